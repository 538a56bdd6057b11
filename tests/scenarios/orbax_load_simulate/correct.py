# scenario: a correct solution, written like the reference: int() both floats, last axis, row-major flatten
# max_examples: 5  (every explicit edge case, plus a few generated inputs per property)
# expect: verdict=accepted score=max
# expect: test=* verdict=accepted
# expect: message~="all [0-9]+ hidden tests passed"
import jax.numpy as jnp
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return jnp.ravel(layer(jnp.asarray(x)))
