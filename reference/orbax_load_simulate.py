"""Trusted solution for orbax_load_simulate. Runs on the grader's side only."""

from __future__ import annotations

import numpy as np
from flax import nnx


def orbax_load_simulate(seed: float, x: np.ndarray, features: float) -> np.ndarray:
    """Build the layer from the seed (as a restore would rebuild it) and run it on ``x``, flattened."""
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
