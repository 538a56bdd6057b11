"""Trusted: write the checkpoint that orbax_sharded_restore's learners restore.

Runs on the grader's side before the worker starts (the grader process has 8
simulated CPU devices). It builds the two-layer MLP the statement describes,
overwrites every parameter with values drawn from the seed (so re-initialising
the model can never reproduce them), shards them over a 4-device ``('model',)``
mesh and saves ``nnx.state(model)`` with Orbax into ``directory/checkpoint``.
``directory/spec.json`` tells the learner the sizes.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax
import numpy as np
import orbax.checkpoint as ocp
from flax import nnx
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

SAVE_DEVICES = 4
SAVE_AXIS = "model"
# How the checkpoint was laid out when it was saved (the learner must NOT reproduce this).
SAVE_SPECS = {
    "layer1": {"kernel": [None, "model"], "bias": ["model"]},
    "layer2": {"kernel": ["model", None], "bias": []},
}
# Sizes are drawn from the seed; all are multiples of 8, so any mesh of up to 8 devices divides them.
IN_CHOICES, HIDDEN_CHOICES, OUT_CHOICES = (16, 24), (32, 48), (16, 8)


class MLP(nnx.Module):
    """layer2(relu(layer1(x))): the architecture the statement describes."""

    def __init__(self, in_features: int, hidden_features: int, out_features: int, *, rngs: nnx.Rngs) -> None:
        self.layer1 = nnx.Linear(in_features, hidden_features, rngs=rngs)
        self.layer2 = nnx.Linear(hidden_features, out_features, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.layer2(jax.nn.relu(self.layer1(x)))


def sizes_for(seed: int) -> dict[str, int]:
    rng = np.random.default_rng([seed, 1])
    return {"in_features": int(rng.choice(IN_CHOICES)), "hidden_features": int(rng.choice(HIDDEN_CHOICES)),
            "out_features": int(rng.choice(OUT_CHOICES))}


def prepare(directory: Path, seed: int) -> None:
    directory = Path(directory)
    sizes = sizes_for(seed)
    if len(jax.devices()) < SAVE_DEVICES:
        raise RuntimeError(f"prepare needs {SAVE_DEVICES} devices, the grader has {len(jax.devices())}")
    model = MLP(sizes["in_features"], sizes["hidden_features"], sizes["out_features"], rngs=nnx.Rngs(0))
    state = nnx.state(model)
    mesh = Mesh(np.array(jax.devices()[:SAVE_DEVICES]), (SAVE_AXIS,))
    rng = np.random.default_rng([seed, 2])
    values = {}
    for layer, params in nnx.to_pure_dict(state).items():
        values[layer] = {}
        for name, init in params.items():
            drawn = rng.standard_normal(init.shape).astype(np.float32) * np.float32(0.5)
            drawn += np.float32(0.25 if name == "bias" else 0.0)  # nonzero biases: a lost bias shows
            sharding = NamedSharding(mesh, P(*SAVE_SPECS[layer][name]))
            values[layer][name] = jax.device_put(drawn, sharding)
    nnx.replace_by_pure_dict(state, values)
    with ocp.StandardCheckpointer() as checkpointer:
        checkpointer.save((directory / "checkpoint").resolve(), state)
        checkpointer.wait_until_finished()
    spec = {
        **sizes,
        "dtype": "float32",
        "layers": ["layer1", "layer2"],
        "saved_mesh": {"shape": [SAVE_DEVICES], "axis_names": [SAVE_AXIS]},
        "saved_partition_specs": SAVE_SPECS,
    }
    (directory / "spec.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
