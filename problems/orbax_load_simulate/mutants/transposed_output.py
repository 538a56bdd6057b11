# mutant: transposes the (N, features) output before flattening (column-major order); only N > 1 and features > 1 reveal it
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).T.reshape(-1)
