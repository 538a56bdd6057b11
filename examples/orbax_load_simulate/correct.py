"""An example correct submission."""

import jax.numpy as jnp
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return jnp.ravel(layer(x))
