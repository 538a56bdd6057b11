"""The wire format treats every byte from the sandbox as hostile, and never unpickles anything."""

from __future__ import annotations

import ast
import inspect
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from grader.worker import wire
from grader.worker.wire import Limits, WireError, WireLimit


def header_bytes(header: dict) -> tuple[bytes, bytes]:
    text = json.dumps(header).encode()
    return wire.PREFIX.pack(wire.MAGIC, len(text)), text


def array_value(dtype: str, shape: list[int], blob: int = 0) -> dict:
    return {"t": "array", "dtype": dtype, "shape": shape, "blob": blob}


def round_trip(value):
    blobs: list[bytes] = []
    encoded = wire.encode_value(value, blobs)
    frame = wire.encode_frame({"op": "call", "args": encoded}, blobs)
    prefix, rest = frame[:wire.PREFIX.size], frame[wire.PREFIX.size:]
    length = wire.header_length(prefix)
    header, sizes = wire.parse_header(prefix, rest[:length])
    data, offset = [], length
    for size in sizes:
        data.append(rest[offset:offset + size])
        offset += size
    assert offset == len(rest)
    return wire.decode_value(header["args"], data)


# -- frames -------------------------------------------------------------------
def test_bad_magic_is_refused_by_header_length_and_parse_header():
    prefix = struct.pack(">4sI", b"PKL\0", 2)
    with pytest.raises(WireError, match="magic"):
        wire.header_length(prefix)
    with pytest.raises(WireError, match="magic"):
        wire.parse_header(prefix, b"{}")


def test_header_over_the_cap_is_refused_before_it_is_read():
    prefix = wire.PREFIX.pack(wire.MAGIC, (4 << 20) + 1)
    with pytest.raises(WireLimit, match="exceeds"):
        wire.header_length(prefix)
    with pytest.raises(WireLimit):
        wire.header_length(wire.PREFIX.pack(wire.MAGIC, 101), Limits(max_header_bytes=100))
    assert wire.header_length(wire.PREFIX.pack(wire.MAGIC, 100), Limits(max_header_bytes=100)) == 100


def test_header_length_that_disagrees_with_the_text_is_refused():
    prefix = wire.PREFIX.pack(wire.MAGIC, 10)
    with pytest.raises(WireError, match="truncated"):
        wire.parse_header(prefix, b"{}")


@pytest.mark.parametrize("text", [b"\xff\xfe", b"not json", b"[1, 2]", b"[" * 100_000, b'"a string"'])
def test_header_that_is_not_a_json_object_is_refused(text):
    with pytest.raises(WireError):
        wire.parse_header(wire.PREFIX.pack(wire.MAGIC, len(text)), text)


@pytest.mark.parametrize("sizes", [[-1], ["3"], [True], "12", [1.5], {"a": 1}])
def test_malformed_blob_sizes_are_refused(sizes):
    with pytest.raises(WireError, match="blob sizes"):
        wire.parse_header(*header_bytes({"op": "call", "blobs": sizes}))


def test_blobs_adding_up_over_the_cap_are_refused_before_allocation():
    with pytest.raises(WireLimit, match="cap"):
        wire.parse_header(*header_bytes({"blobs": [600, 600]}), Limits(max_blob_bytes=1000))
    header, sizes = wire.parse_header(*header_bytes({"blobs": [500, 500]}), Limits(max_blob_bytes=1000))
    assert sizes == [500, 500]


# -- arrays -------------------------------------------------------------------
@pytest.mark.parametrize("shape, nbytes", [([2, 3], 23), ([2, 3], 25), ([2, 3], 0), ([0], 4), ([4], 8)])
def test_blob_size_not_matching_shape_times_itemsize_is_refused(shape, nbytes):
    with pytest.raises(WireError, match="does not match"):
        wire.decode_value(array_value("<f4", shape), [b"\0" * nbytes])


def test_huge_shape_with_a_small_blob_is_refused_without_allocating():
    with pytest.raises(WireError, match="does not match"):
        wire.decode_value(array_value("<f8", [1 << 40, 1 << 40]), [b"\0" * 8])


@pytest.mark.parametrize("dtype", ["|O", "O", "|O8", "<U4", "|S4", "|V8", "<M8[s]", "<m8", "|b1,<f4",
                                   "[('a','<f4')]"])
def test_object_void_string_and_time_dtypes_are_refused(dtype):
    with pytest.raises(WireError):
        wire.decode_value(array_value(dtype, [1]), [b"\0" * 8])


def test_decoding_a_crafted_object_array_raises_wire_error_and_never_unpickles(monkeypatch):
    import pickle

    def forbidden(*args, **kwargs):
        raise AssertionError("the wire decoder must never unpickle")

    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(np, "load", forbidden)
    payload = pickle.dumps([object()])  # what an attacker would put in the blob
    for dtype in ("|O", "O"):
        with pytest.raises(WireError, match="may not cross"):
            wire.decode_value(array_value(dtype, [1]), [payload])
    with pytest.raises(WireError):
        wire.decode_value({"t": "pickle", "v": payload.hex()}, [])


def test_object_arrays_are_refused_when_encoding_too():
    with pytest.raises(WireError, match="cannot cross"):
        wire.encode_value(np.array([object()], dtype=object), [])
    with pytest.raises(WireError, match="cannot cross"):
        wire.encode_value(np.array(["text"]), [])
    with pytest.raises(WireError, match="cannot cross"):
        wire.encode_value(object(), [])


def test_wire_module_never_imports_or_calls_pickle():
    source = Path(inspect.getsourcefile(wire)).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports = [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    imported = {alias.name.split(".")[0] for node in imports for alias in node.names}
    imported |= {node.module.split(".")[0] for node in imports if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve"}
    calls = [ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert not [c for c in calls if "pickle" in c or c in ("np.load", "numpy.load", "eval", "exec")]
    assert not [c for c in calls if c.endswith(".loads") and c != "json.loads"]
    assert "allow_pickle" not in source


def test_reused_blob_index_is_refused():
    blob = np.arange(3, dtype="<i4").tobytes()
    value = {"t": "list", "v": [array_value("<i4", [3], 0), array_value("<i4", [3], 0)]}
    with pytest.raises(WireError, match="reused"):
        wire.decode_value(value, [blob])


@pytest.mark.parametrize("index", [1, -1, True, "0", 0.0])
def test_missing_or_malformed_blob_index_is_refused(index):
    with pytest.raises(WireError):
        wire.decode_value(array_value("<i4", [1], index), [b"\0" * 4])


@pytest.mark.parametrize("shape", [[-1], [1.0], [True], "3", [[2]], [1] * 33])
def test_malformed_shapes_are_refused(shape):
    with pytest.raises(WireError, match="shape|expected list"):
        wire.decode_value(array_value("<i4", shape), [b"\0" * 4])


@pytest.mark.parametrize("dtype", [">f8", ">i4", ">u2", ">c16", ">f4"])
def test_big_endian_arrays_round_trip_with_their_values(dtype):
    array = (np.arange(12).reshape(3, 4) - 5).astype(dtype)
    back = round_trip(array)
    assert isinstance(back, np.ndarray)
    assert back.dtype == np.dtype(dtype).newbyteorder("<")  # little-endian on the wire
    assert back.shape == (3, 4) and np.array_equal(back, array)


def test_a_big_endian_array_declared_on_the_wire_decodes_to_its_values():
    data = np.array([1.5, -2.0], dtype=">f8").tobytes()
    back = wire.decode_value(array_value(">f8", [2]), [data])
    assert back.tolist() == [1.5, -2.0]


def test_decoded_arrays_are_writable_copies():
    blob = np.arange(4, dtype="<f4").tobytes()
    back = wire.decode_value(array_value("<f4", [2, 2]), [blob])
    back[0, 0] = 99  # frombuffer alone would give a read-only view of the bytes
    assert back.flags.writeable and back[0, 0] == 99 and blob == np.arange(4, dtype="<f4").tobytes()


# -- nesting and counts -------------------------------------------------------
def nested(depth: int) -> dict:
    value: dict = {"t": "none"}
    for _ in range(depth):
        value = {"t": "list", "v": [value]}
    return value


def test_nesting_deeper_than_the_limit_is_refused():
    limits = Limits(max_depth=32)
    assert wire.decode_value(nested(32), [], limits) is not None
    with pytest.raises(WireLimit, match="deeper"):
        wire.decode_value(nested(33), [], limits)
    with pytest.raises(WireLimit):
        wire.decode_value(nested(5000), [], limits)  # no RecursionError: the limit stops it first


def test_placement_metadata_nesting_is_limited_too():
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    value = dict(array_value("<i4", [1]), placement={"mesh": deep})
    with pytest.raises(WireLimit, match="deeper"):
        wire.decode_value(value, [b"\0" * 4])


def test_more_parts_than_the_item_limit_is_refused():
    value = {"t": "list", "v": [{"t": "none"}] * 20}
    with pytest.raises(WireLimit, match="parts"):
        wire.decode_value(value, [], Limits(max_items=10))


@pytest.mark.parametrize("value", [
    {"t": "int", "v": "1" * 5000},
    {"t": "int", "v": "12a"},
    {"t": "int", "v": 12},
    {"t": "float", "v": "1" * 100},
    {"t": "float", "v": "pi"},
    {"t": "bool", "v": "yes"},
    {"t": "str", "v": 3},
    {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]},
    {"t": "dict", "v": [[{"t": "bool", "v": True}, {"t": "none"}]]},
    {"t": "dict", "v": [["k"]]},
    {"t": "code", "v": "print(1)"},
    {"v": 1},
    [],
    "none",
])
def test_malformed_values_are_refused(value):
    with pytest.raises(WireError):
        wire.decode_value(value, [])


def test_plain_values_round_trip_exactly():
    value = [None, True, -(2**70), 2.75, float("inf"), "text", (1, 2), {"k": [np.float32(1.5)], 3: "int key"}]
    back = round_trip(value)
    assert back[:6] == [None, True, -(2**70), 2.75, float("inf"), "text"]
    assert back[6] == (1, 2) and isinstance(back[6], tuple)
    assert back[7] == {"k": [1.5], 3: "int key"}


def test_placed_arrays_round_trip_with_their_placement():
    placed = wire.Placed(np.ones((2, 2), np.float32), {"kind": "NamedSharding", "shard_shapes": [[1, 2]]})
    back = round_trip(placed)
    assert isinstance(back, wire.Placed)
    assert back.placement == placed.placement and np.array_equal(back.array, placed.array)
