# mutant: casts x to integers "to be safe with any dtype"; only non-integral float inputs reveal it
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x.astype(np.int32))).reshape(-1)
