"""Starter for orbax_sharded_restore. Replace the body; keep the signature.

Run `grader show orbax_sharded_restore` for the statement, and
`grader grade orbax_sharded_restore this_file.py` to grade it.
"""

import json
import math
from pathlib import Path

import jax
import numpy as np
import orbax.checkpoint as ocp
from flax import nnx
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P


def orbax_sharded_restore(data_dir, mesh_shape, axis_names, partition_specs, x):
    """Restore data_dir/checkpoint onto the given mesh and layout, run the model on x.

    Return {"output": model(x), "params": {"layer1": {"kernel": ..., "bias": ...}, "layer2": {...}}},
    with the restored jax.Arrays still sharded as partition_specs asks.
    """
    raise NotImplementedError("rebuild the model abstractly, restore with a sharded abstract target, merge, apply")
