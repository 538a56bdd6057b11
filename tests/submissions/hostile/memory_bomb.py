"""Hostile: allocate and touch memory without bound on the first call."""

import numpy as np


def orbax_load_simulate(seed, x, features):
    hoard = []
    while True:
        block = np.ones(64 << 20, dtype=np.uint8)  # 64 MiB, touched
        hoard.append(block)
