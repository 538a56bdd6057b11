# scenario: returns a NumPy subclass whose __array_function__/__array_ufunc__ answer True to every comparison (data wrong)
# expect: verdict=wrong_answer
# expect: test=test_matches_reference verdict=wrong_answer
import numpy as np


class Agreeable(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.ones(self.shape, dtype=bool)

    def __eq__(self, other):
        return True


def orbax_load_simulate(seed, x, features):
    return np.full(x.shape[0] * int(features), 7.0, dtype=np.float32).view(Agreeable)
