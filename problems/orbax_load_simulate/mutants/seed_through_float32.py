# mutant: converts the seed through float32 before int(); only large seeds (beyond 2**24) reveal it
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(np.float32(seed))))
    return np.asarray(layer(x)).reshape(-1)
