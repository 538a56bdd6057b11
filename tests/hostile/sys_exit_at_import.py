# scenario: calls sys.exit(0) at import, hoping a "success" exit reads as success
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error message~="SystemExit"
import os
import sys

sys.exit(0)


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
