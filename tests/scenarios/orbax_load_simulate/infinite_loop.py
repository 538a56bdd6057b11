# scenario: loops forever inside the call
# limits: call_seconds=3 import_seconds=30
# expect: verdict=time_limit score=0
# expect: test=* verdict=time_limit counterexample=seed,x,features message~="3 s limit for one call"


def orbax_load_simulate(seed, x, features):
    while True:
        pass
