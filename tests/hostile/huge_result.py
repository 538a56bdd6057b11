# scenario: returns a 3 GiB array (zero pages, so allocating it is cheap for the worker)
# expect: verdict~=^(output_limit|memory_limit)$ score=0
import numpy as np


def orbax_load_simulate(seed, x, features):
    return np.zeros(3 << 30, dtype=np.uint8)
