# scenario: allocates and touches 64 MiB blocks without bound in the call
# limits: call_seconds=30
# (filling 4 GiB takes seconds on a loaded machine; a 5 s call limit would turn it into time_limit)
# expect: verdict=memory_limit score=0
# expect: test=test_matches_reference verdict=memory_limit
import numpy as np


def orbax_load_simulate(seed, x, features):
    hoard = []
    while True:
        hoard.append(np.ones(64 << 20, dtype=np.uint8))
