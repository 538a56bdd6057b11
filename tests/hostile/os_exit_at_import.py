# scenario: calls os._exit(0) at import, hoping a "success" exit reads as success
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error message~="exited with code 0"
import os
import sys

os._exit(0)


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
