# mutant: caches the layer by seed alone, so a later call with the same seed but other shapes reuses a wrong layer
import numpy as np
from flax import nnx

_layers = {}


def orbax_load_simulate(seed, x, features):
    key = int(seed)
    if key not in _layers:
        _layers[key] = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(key))
    return np.asarray(_layers[key](x)).reshape(-1)
