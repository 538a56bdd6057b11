# scenario: defines the function under another name, so the entry point is missing
# expect: verdict=missing_function score=0
# expect: test=* verdict=missing_function message~=orbax_load_simulate
import numpy as np


def orbax_load_simulated(seed, x, features):
    return np.zeros(x.shape[0] * int(features), np.float32)
