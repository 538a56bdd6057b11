# scenario: loops forever in the call
# expect: verdict=time_limit score=0
# expect: test=* verdict=time_limit message~="limit for one call"


def orbax_load_simulate(seed, x, features):
    while True:
        pass
