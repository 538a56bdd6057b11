"""Starter for orbax_load_simulate. Replace the body; keep the signature.

Run `grader show orbax_load_simulate` for the statement, and
`grader grade orbax_load_simulate this_file.py` to grade it.
"""

import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    """Return the forward pass of a freshly built nnx.Linear on x, flattened to 1-D.

    seed: float, cast with int(); x: array of shape (N, in_dim); features: float, cast with int().
    """
    raise NotImplementedError("build nnx.Linear(in_dim, features, rngs=nnx.Rngs(seed)) and apply it to x")
