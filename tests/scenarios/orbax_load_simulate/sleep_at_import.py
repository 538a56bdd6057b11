# scenario: sleeps at module level far longer than the import limit
# limits: call_seconds=3 import_seconds=8
# expect: verdict=time_limit score=0
# expect: test=* verdict=time_limit message~="limit for importing your file"
import time

time.sleep(3600)


def orbax_load_simulate(seed, x, features):
    return None
