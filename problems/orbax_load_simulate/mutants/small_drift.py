# mutant: adds a small constant drift (1e-3) to every output value, as a sloppy re-implementation might
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1) + 1e-3
