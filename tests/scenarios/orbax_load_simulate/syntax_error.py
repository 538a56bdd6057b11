# scenario: the file does not compile (a missing closing parenthesis)
# expect: verdict=syntax_error score=0
# expect: test=* verdict=syntax_error message~="does not compile"
import numpy as np


def orbax_load_simulate(seed, x, features):
    return np.zeros((x.shape[0] * int(features),)
