# scenario: allocates 16 GiB with NumPy in the call, far over the 4096 MiB address-space limit
# expect: verdict=memory_limit score=0
# expect: test=* verdict=memory_limit counterexample=seed,x,features message~="ran out of memory"
import numpy as np


def orbax_load_simulate(seed, x, features):
    hog = np.ones((16, 1 << 30), dtype=np.uint8)
    return hog.sum()
