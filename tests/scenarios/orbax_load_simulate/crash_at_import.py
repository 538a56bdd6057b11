# scenario: raises at module level, while the file is imported
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error message~="raised RuntimeError when imported"
# expect: test=test_matches_reference traceback~="crash_at_import.py" traceback!~="grader/|grader_worker"
import numpy as np

raise RuntimeError("boom at import")


def orbax_load_simulate(seed, x, features):
    return np.zeros(x.shape[0] * int(features), np.float32)
