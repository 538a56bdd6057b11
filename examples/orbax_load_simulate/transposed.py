"""An example submission with a classic mistake: the output is flattened column-major."""

import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    y = layer(x)              # (N, features)
    return np.asarray(y.T).reshape(-1)   # bug: transposing first interleaves the rows
