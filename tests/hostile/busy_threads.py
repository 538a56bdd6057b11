# scenario: starts 64 threads that spin forever (NumPy work that releases the GIL, and pure Python) in the call
# expect: verdict=time_limit score=0
# expect: test=test_matches_reference verdict=time_limit message~="limit for one call"
import threading

import numpy as np


def spin_numpy():
    a = np.ones((256, 256))
    while True:
        a = a @ a / 256.0


def spin_python():
    while True:
        pass


def orbax_load_simulate(seed, x, features):
    for i in range(64):
        threading.Thread(target=spin_numpy if i % 2 else spin_python, daemon=True).start()
    threading.Event().wait()
