# scenario: sleeps at import, longer than the import limit
# limits: import_seconds=15
# expect: verdict=time_limit score=0
# expect: test=* verdict=time_limit message~="15 s limit for importing your file"
import time

time.sleep(1000)


def orbax_load_simulate(seed, x, features):
    return None
