"""Hidden tests for orbax_sharded_restore.

The checkpoint was written by prepare.py (4 devices, axis 'model'). Every test
asks for a restore onto a *different* target mesh and layout. ``data_dir`` is
the folder as this (trusted) side sees it, for the reference;
``sandbox_data_path`` is the same folder as the submission sees it.

``submission.start(...).placed()`` returns each jax.Array as a
``grader.worker.wire.Placed``: the values plus the worker's description of where
the array lived (mesh, spec, shard shapes); ``.result()`` gives plain NumPy.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.worker.wire import Placed
from strategies import PARAMS, targets

# -- explicit cases ------------------------------------------------------------
TP8 = ([8], ["model"], {  # classic tensor parallelism, 8-way instead of the saved 4-way
    "layer1": {"kernel": [None, "model"], "bias": ["model"]},
    "layer2": {"kernel": ["model", None], "bias": []}})
GRID_2x4 = ([2, 4], ["data", "model"], {  # 2-D sharded kernels on a (2, 4) grid
    "layer1": {"kernel": ["data", "model"], "bias": ["model"]},
    "layer2": {"kernel": ["model", "data"], "bias": [None]}})
GRID_4x2 = ([4, 2], ["data", "model"], {  # the same names, the other grid: axis sizes matter
    "layer1": {"kernel": ["data", "model"], "bias": ["data"]},
    "layer2": {"kernel": [None, "model"], "bias": ["model"]}})
ROW_1x8 = ([1, 8], ["data", "model"], {  # a size-1 axis
    "layer1": {"kernel": ["data", "model"], "bias": ["model"]},
    "layer2": {"kernel": ["model", "data"], "bias": []}})
REPLICATED = ([8], ["model"], {  # everything replicated on 8 devices
    "layer1": {"kernel": [], "bias": []},
    "layer2": {"kernel": [None, None], "bias": [None]}})
JOINT_AXES = ([2, 4], ["data", "model"], {  # one dimension split over both axes (8 ways)
    "layer1": {"kernel": [["data", "model"], None], "bias": [["model", "data"]]},
    "layer2": {"kernel": [None, ["data", "model"]], "bias": ["model"]}})
CUBE = ([2, 2, 2], ["fsdp", "data", "model"], {  # three axes, no axis called 'model' used for kernels
    "layer1": {"kernel": ["fsdp", "data"], "bias": ["model"]},
    "layer2": {"kernel": [["data", "fsdp"], "model"], "bias": []}})
AS_SAVED = ([4], ["model"], {  # the saved layout itself
    "layer1": {"kernel": [None, "model"], "bias": ["model"]},
    "layer2": {"kernel": ["model", None], "bias": []}})

rows = st.integers(1, 8)
x_seeds = st.integers(0, 2**16)


def sizes(data_dir: Path) -> dict[str, Any]:
    return json.loads((Path(data_dir) / "spec.json").read_text(encoding="utf-8"))


def make_x(data_dir: Path, n_rows: int, x_seed: int) -> np.ndarray:
    """The input batch: float32, shape (n_rows, in_features), with negative entries so ReLU matters."""
    return np.random.default_rng(x_seed).standard_normal((n_rows, sizes(data_dir)["in_features"])).astype(np.float32)


def param_shapes(data_dir: Path) -> dict[str, dict[str, tuple[int, ...]]]:
    s = sizes(data_dir)
    i, h, o = s["in_features"], s["hidden_features"], s["out_features"]
    return {"layer1": {"kernel": (i, h), "bias": (h,)}, "layer2": {"kernel": (h, o), "bias": (o,)}}


def unpack(got: Any) -> tuple[Any, dict[str, dict[str, Any]]]:
    """Check the result's structure and return (output, params) with clear messages."""
    assert isinstance(got, dict), f"expected a dict with keys 'output' and 'params', got a {type(got).__name__}"
    missing = {"output", "params"} - set(got)
    assert not missing, f"the result dict is missing {sorted(missing)} (it has {sorted(map(str, got))})"
    params = got["params"]
    assert isinstance(params, dict), f"result['params'] must be a nested dict, got a {type(params).__name__}"
    for layer, names in PARAMS.items():
        assert isinstance(params.get(layer), dict), (
            f"result['params'] must have a dict under {layer!r} (keys found: {sorted(map(str, params))})")
        for name in names:
            assert name in params[layer], (
                f"result['params'][{layer!r}] has no {name!r} (keys found: {sorted(map(str, params[layer]))}); "
                "return nnx.to_pure_dict(state), without the 'value' level of the saved tree")
    return got["output"], params


def values(leaf: Any) -> np.ndarray:
    return leaf.array if isinstance(leaf, Placed) else np.asarray(leaf)


def normalize(spec: Any) -> tuple:
    """A spec as a canonical tuple: each entry None or a tuple of axis names; no trailing Nones."""
    out = []
    for entry in spec or []:
        if entry is None:
            out.append(None)
        elif isinstance(entry, str):
            out.append((entry,))
        else:
            names = tuple(entry)
            out.append(names if names else None)
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


def show(spec: tuple, rank: int) -> str:
    """A normalized spec as PartitionSpec text, padded with None to the parameter's rank for readability."""
    padded = list(spec) + [None] * (rank - len(spec))
    return "P(" + ", ".join("None" if e is None else repr(e[0]) if len(e) == 1 else repr(e) for e in padded) + ")"


def expected_shard(shape: tuple[int, ...], spec: tuple, mesh: dict[str, int]) -> list[int]:
    return [dim // (math.prod(mesh[a] for a in spec[i]) if i < len(spec) and spec[i] else 1)
            for i, dim in enumerate(shape)]


_saved_values: dict[str, Any] = {}


def saved_values(reference: Any, data_dir: Path) -> dict[str, dict[str, np.ndarray]]:
    """The checkpoint's values, restored once per prepared folder by the reference (layout-independent).

    Keyed by the folder and its spec.json's mtime, so a process that grades twice never reuses
    an earlier grade's values.
    """
    key = f"{data_dir}:{(Path(data_dir) / 'spec.json').stat().st_mtime_ns}"
    if key not in _saved_values:
        _saved_values.clear()
        _saved_values[key] = reference(str(data_dir), *AS_SAVED, make_x(data_dir, 1, 0))["params"]
    return _saved_values[key]


# -- the tests -----------------------------------------------------------------
@given(target=targets(), n_rows=rows, x_seed=x_seeds)
@example(target=TP8, n_rows=4, x_seed=1)
@example(target=GRID_2x4, n_rows=8, x_seed=2)
@example(target=GRID_4x2, n_rows=3, x_seed=3)
@example(target=ROW_1x8, n_rows=1, x_seed=4)
@example(target=JOINT_AXES, n_rows=5, x_seed=5)
def test_forward_pass_matches_reference(submission, reference, compare, data_dir, sandbox_data_path,
                                        target, n_rows, x_seed):
    mesh_shape, axis_names, specs = target
    x = make_x(data_dir, n_rows, x_seed)
    pending = submission.start(sandbox_data_path, mesh_shape, axis_names, specs, x)
    expected = reference(str(data_dir), mesh_shape, axis_names, specs, x)
    output, _ = unpack(pending.result())
    compare(values(output), expected["output"])


@settings(max_examples=10)
@given(target=targets(), n_rows=rows, x_seed=x_seeds)
@example(target=TP8, n_rows=2, x_seed=6)
@example(target=GRID_2x4, n_rows=2, x_seed=7)
@example(target=GRID_4x2, n_rows=2, x_seed=8)
@example(target=ROW_1x8, n_rows=2, x_seed=9)
@example(target=REPLICATED, n_rows=2, x_seed=10)
@example(target=JOINT_AXES, n_rows=2, x_seed=11)
@example(target=CUBE, n_rows=2, x_seed=12)
def test_parameters_are_sharded_as_requested(submission, data_dir, sandbox_data_path, target, n_rows, x_seed):
    mesh_shape, axis_names, specs = target
    # .placed() keeps the worker's description of each jax.Array (wire.Placed); a plain call drops it.
    pending = submission.start(sandbox_data_path, mesh_shape, axis_names, specs, make_x(data_dir, n_rows, x_seed))
    _, params = unpack(pending.placed())
    want_mesh = [[name, size] for name, size in zip(axis_names, mesh_shape)]
    for layer, names in param_shapes(data_dir).items():
        for name, shape in names.items():
            where = f"params[{layer!r}][{name!r}]"
            leaf = params[layer][name]
            assert isinstance(leaf, Placed), (
                f"{where} came back as plain host data, not a jax.Array: return the restored arrays "
                "themselves, still sharded on the mesh")
            placement = leaf.placement
            assert placement.get("kind") == "NamedSharding", (
                f"{where} has a {placement.get('kind')} sharding; restore it with a NamedSharding on the target mesh")
            got_mesh = [[str(k), v] for k, v in placement.get("mesh_shape", {}).items()]
            assert got_mesh == want_mesh, (
                f"{where} lives on mesh {dict(map(tuple, got_mesh))} (axes in that order); the target mesh is "
                f"{dict(map(tuple, want_mesh))}: build it from the first {math.prod(mesh_shape)} devices with the "
                "given shape and axis names, in the given order")
            assert placement.get("num_devices") == math.prod(mesh_shape), (
                f"{where} spans {placement.get('num_devices')} devices, expected {math.prod(mesh_shape)}")
            want_spec, got_spec = normalize(specs[layer][name]), normalize(placement.get("spec"))
            assert got_spec == want_spec, (
                f"{where} has partition spec {show(got_spec, len(shape))}, expected {show(want_spec, len(shape))} "
                f"(the spec given for it was {specs[layer][name]!r})")
            mesh = dict(zip(axis_names, mesh_shape))
            want_shard = expected_shard(shape, want_spec, mesh)
            shards = placement.get("shard_shapes", [])
            assert shards == [want_shard], (
                f"{where} (global shape {list(shape)}) has per-device shards of shape(s) {shards}; with spec "
                f"{show(want_spec, len(shape))} on mesh {mesh} every device should hold exactly {want_shard}")
            split = any(e and math.prod(mesh[a] for a in e) > 1 for e in want_spec)
            assert not (split and list(shape) in shards), (
                f"{where} should be split across devices, but a device holds the whole parameter {list(shape)}")
            assert placement.get("fully_replicated") == (not split), (
                f"{where} is {'' if placement.get('fully_replicated') else 'not '}fully replicated; with spec "
                f"{show(want_spec, len(shape))} it should {'' if not split else 'not '}be")


@settings(max_examples=8)
@given(target=targets(), n_rows=rows, x_seed=x_seeds)
@example(target=TP8, n_rows=1, x_seed=13)
@example(target=GRID_2x4, n_rows=1, x_seed=14)
@example(target=CUBE, n_rows=1, x_seed=15)
@example(target=AS_SAVED, n_rows=1, x_seed=16)
def test_parameters_equal_the_saved_values(submission, reference, data_dir, sandbox_data_path,
                                           target, n_rows, x_seed):
    mesh_shape, axis_names, specs = target
    x = make_x(data_dir, n_rows, x_seed)
    pending = submission.start(sandbox_data_path, mesh_shape, axis_names, specs, x)
    saved = saved_values(reference, data_dir)
    _, params = unpack(pending.result())
    for layer, names in saved.items():
        for name, want in names.items():
            where = f"params[{layer!r}][{name!r}]"
            got = values(params[layer][name])
            assert got.dtype == np.float32, (
                f"{where} has dtype {got.dtype}; the checkpoint holds float32 and the restore must keep it "
                "(Orbax casts silently to whatever dtype the target asks for)")
            assert got.shape == want.shape, (
                f"{where} has shape {got.shape}; the checkpoint's is {want.shape}")
            differ = got != want
            if differ.any():
                index = tuple(int(i) for i in np.argwhere(differ)[0])
                raise AssertionError(
                    f"{where}: {int(differ.sum())} of {differ.size} values differ from the checkpoint's; first at "
                    f"{list(index)}: saved {want[index]!r}, got {got[index]!r}. Restore the saved values "
                    "exactly (no re-initialisation, no transposes, no casts)")
