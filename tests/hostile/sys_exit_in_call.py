# scenario: calls sys.exit(0) in the call, after computing the right answer
# expect: verdict=runtime_error score=0
# expect: test=test_matches_reference verdict=runtime_error message~="SystemExit"
import os
import sys

import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    np.asarray(layer(x)).reshape(-1)
    sys.exit(0)
