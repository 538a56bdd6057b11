# scenario: calls os._exit(0) inside the function: the worker vanishes with a "success" code
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error counterexample=seed,x,features message~="exited with code 0"
import os


def orbax_load_simulate(seed, x, features):
    os._exit(0)
