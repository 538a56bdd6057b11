# mutant: uses abs(seed), thinking PRNG seeds must be non-negative; only negative seeds reveal it
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(abs(int(seed))))
    return np.asarray(layer(x)).reshape(-1)
