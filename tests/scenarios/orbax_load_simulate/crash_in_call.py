# scenario: the function raises ValueError from a helper on every call
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error counterexample=seed,x,features message~="raised ValueError"
# expect: test=* traceback~="crash_in_call.py" traceback~="in _helper" traceback~="ValueError: learner bug"
# expect: test=* traceback!~="grader/|grader_worker"
import numpy as np


def _helper(x):
    raise ValueError("learner bug: shape " + str(x.shape))


def orbax_load_simulate(seed, x, features):
    return _helper(np.asarray(x))
