# mutant: ignores the seed and always builds the layer from Rngs(0); only seeds that truncate to 0 pass
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(0))
    return np.asarray(layer(x)).reshape(-1)
