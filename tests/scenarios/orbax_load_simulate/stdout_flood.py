# scenario: a correct solution that prints about a megabyte per call and writes a megabyte to fd 1 at import
# max_examples: 2
# expect: verdict=accepted score=max
# expect: test=test_matches_reference output~="^x{100}" output~="more characters of output dropped"
# expect: output~="y{100}" output~="output dropped"
import os

import numpy as np
from flax import nnx

os.write(1, b"y" * (1 << 20))


def orbax_load_simulate(seed, x, features):
    print("x" * (1 << 20))
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
