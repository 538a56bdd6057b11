# scenario: returns an object whose __eq__ always says True and whose __array__ gives zeros of the right shape
# expect: verdict=wrong_answer
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features
import numpy as np


class Liar:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        return True

    __hash__ = None

    def __ne__(self, other):
        return False

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.n, dtype=np.float32)

    def __len__(self):
        return self.n


def orbax_load_simulate(seed, x, features):
    return Liar(x.shape[0] * int(features))
