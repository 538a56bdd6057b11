# scenario: calls sys.exit(0) at module level, while the file is imported
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error message~=SystemExit
import sys

sys.exit(0)


def orbax_load_simulate(seed, x, features):
    return None
