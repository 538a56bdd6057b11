# mutant: restores to host memory (np.asarray), then re-shards with jax.device_put: right values and layout, but every parameter passes whole through one host buffer
# NOT in mutants/: the hidden tests accept this file, and no legitimate test can reject it.
# Its returned arrays have the same values, dtype, mesh, spec and shard shapes as a sharded
# restore's. On simulated CPU devices device memory is host memory, so JAX's transfer guard
# (jax_transfer_guard_device_to_host) does not fire on np.asarray / jax.device_get (checked:
# both are allowed even under "disallow_explicit"), and the parameters are far too small for
# peak memory to tell. The statement forbids the pattern and says that it cannot be detected.
# Kept here so that `grader check` (which fails on any surviving mutant) stays meaningful.

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jax
import numpy as np
import orbax.checkpoint as ocp
from flax import nnx
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P


class MLP(nnx.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int, *, rngs: nnx.Rngs) -> None:
        self.layer1 = nnx.Linear(in_features, hidden_features, rngs=rngs)
        self.layer2 = nnx.Linear(hidden_features, out_features, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.layer2(jax.nn.relu(self.layer1(x)))


def to_partition_spec(entries: list[Any]) -> P:
    """Plain data -> PartitionSpec: None stays None, a name stays, a list of names becomes a tuple."""
    return P(*[tuple(e) if isinstance(e, (list, tuple)) else e for e in entries])


def orbax_sharded_restore(data_dir: str, mesh_shape: list[int], axis_names: list[str],
                          partition_specs: dict[str, dict[str, list[Any]]], x: np.ndarray) -> dict[str, Any]:
    folder = Path(data_dir)
    sizes = json.loads((folder / "spec.json").read_text(encoding="utf-8"))
    # 1. The structure, with no arrays allocated: shapes and dtypes only.
    abstract_model = nnx.eval_shape(lambda: MLP(sizes["in_features"], sizes["hidden_features"],
                                                sizes["out_features"], rngs=nnx.Rngs(0)))
    graphdef, abstract_state = nnx.split(abstract_model)
    # 2. The target mesh: the first prod(mesh_shape) devices, in order.
    count = math.prod(mesh_shape)
    mesh = Mesh(np.array(jax.devices()[:count]).reshape(tuple(mesh_shape)), tuple(axis_names))
    # 3. The abstract target: saved shape and dtype, *our* sharding.
    target = {
        layer: {name: jax.ShapeDtypeStruct(leaf.shape, leaf.dtype,
                                           sharding=NamedSharding(mesh, to_partition_spec(partition_specs[layer][name])))
                for name, leaf in params.items()}
        for layer, params in nnx.to_pure_dict(abstract_state).items()
    }
    nnx.replace_by_pure_dict(abstract_state, target)
    # 4. Restore straight into that layout; each device reads only its shard.
    with ocp.StandardCheckpointer() as checkpointer:
        raw = checkpointer.restore((folder / "checkpoint").resolve())  # the saved layout
    host = {layer: {name: np.asarray(leaf["value"]) for name, leaf in params.items()}  # gather
            for layer, params in raw.items()}
    restored = nnx.state(abstract_model)
    nnx.replace_by_pure_dict(restored, jax.tree.map(lambda a, t: jax.device_put(a, t.sharding),
                                                     host, nnx.to_pure_dict(abstract_state)))
    model = nnx.merge(graphdef, restored)
    return {"output": model(x), "params": nnx.to_pure_dict(nnx.state(model))}
