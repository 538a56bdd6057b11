# mutant: takes in_dim from the first axis of x and transposes to fit; square inputs hide the shape error
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[0], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x.T)).reshape(-1)
