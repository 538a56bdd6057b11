# mutant: rounds the seed instead of truncating it; only seeds with a fractional part >= .5 (or negative ones) reveal it
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(round(seed)))
    return np.asarray(layer(x)).reshape(-1)
