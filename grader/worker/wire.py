"""The wire format between the trusted side and the sandboxed worker.

A message is one frame::

    b"GW1\\0" | uint32 header length (big-endian) | JSON header | blob 0 | blob 1 | ...

The JSON header names the blobs' sizes under ``"blobs"``; values inside the
header refer to blobs by index. Arrays travel as their raw bytes plus dtype and
shape, so nothing is ever unpickled. This module is shared by both sides, and
imports only the standard library and NumPy, because it also runs inside the
sandbox. The decoder treats every byte as hostile: sizes, dtypes, shapes,
nesting and counts are all checked before anything is allocated.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAGIC = b"GW1\0"
PREFIX = struct.Struct(">4sI")

# dtype kinds that may cross: booleans, integers and floats (real and complex).
# Object, string, void and datetime dtypes never cross: they can carry code or
# pointers, or simply are not numeric data.
ALLOWED_KINDS = frozenset("biufc")


class WireError(Exception):
    """A frame or value that does not follow the wire format."""


class WireLimit(WireError):
    """A frame or value that follows the format but exceeds a size limit."""


@dataclass(frozen=True)
class Limits:
    """Caps the decoder enforces before it allocates anything."""

    max_header_bytes: int = 4 << 20
    max_blob_bytes: int = 256 << 20
    max_depth: int = 32
    max_items: int = 100_000


@dataclass
class Frame:
    """A decoded message: a JSON header and the blobs that follow it."""

    header: dict[str, Any]
    blobs: list[bytes] = field(default_factory=list)


@dataclass
class Placed:
    """An array together with where it lived in the sandbox (mesh, sharding, shard shapes).

    ``placement`` is plain JSON data described by the worker; like everything
    from the sandbox it is a claim to be checked, not a fact.
    """

    array: np.ndarray
    placement: dict[str, Any]


def encode_value(value: Any, blobs: list[bytes]) -> Any:
    """Turn a Python/NumPy value into its JSON form, appending array bytes to ``blobs``."""
    if value is None:
        return {"t": "none"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"t": "int", "v": str(int(value))}
    if isinstance(value, (float, np.floating)) and not isinstance(value, np.ndarray):
        return {"t": "float", "v": repr(float(value))}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, Placed):
        out = encode_value(value.array, blobs)
        out["placement"] = value.placement
        return out
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value)
        if arr.dtype.kind not in ALLOWED_KINDS:
            raise WireError(f"arrays of dtype {arr.dtype} cannot cross the sandbox boundary")
        # Always little-endian on the wire, whatever the host.
        arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        blobs.append(arr.tobytes())
        return {"t": "array", "dtype": arr.dtype.str, "shape": list(arr.shape), "blob": len(blobs) - 1}
    if isinstance(value, (list, tuple)):
        return {"t": "list" if isinstance(value, list) else "tuple",
                "v": [encode_value(v, blobs) for v in value]}
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if not isinstance(k, (str, int)):
                raise WireError(f"dict keys must be str or int, not {type(k).__name__}")
            items.append([encode_value(k, blobs), encode_value(v, blobs)])
        return {"t": "dict", "v": items}
    raise WireError(f"values of type {type(value).__name__} cannot cross the sandbox boundary")


def decode_value(obj: Any, blobs: list[bytes], limits: Limits = Limits()) -> Any:
    """Rebuild a value from its JSON form, validating every field."""
    counter = [0]
    used: set[int] = set()
    return _decode(obj, blobs, limits, 0, counter, used)


def _decode(obj: Any, blobs: list[bytes], limits: Limits, depth: int, counter: list[int], used: set[int]) -> Any:
    if depth > limits.max_depth:
        raise WireLimit(f"value nested deeper than {limits.max_depth} levels")
    counter[0] += 1
    if counter[0] > limits.max_items:
        raise WireLimit(f"value has more than {limits.max_items} parts")
    if not isinstance(obj, dict) or not isinstance(obj.get("t"), str):
        raise WireError("malformed value")
    kind = obj["t"]
    if kind == "none":
        return None
    if kind == "bool":
        return _typed(obj.get("v"), bool)
    if kind == "int":
        text = _typed(obj.get("v"), str)
        if len(text) > 4300 or not text.lstrip("-").isdigit():
            raise WireError("malformed int")
        return int(text)
    if kind == "float":
        text = _typed(obj.get("v"), str)
        if len(text) > 64:
            raise WireError("malformed float")
        try:
            return float(text)
        except ValueError:
            raise WireError("malformed float") from None
    if kind == "str":
        return _typed(obj.get("v"), str)
    if kind == "array":
        array = _decode_array(obj, blobs, used)
        if "placement" in obj:
            return Placed(array, _check_json(obj["placement"], limits, depth + 1, counter))
        return array
    if kind in ("list", "tuple"):
        items = [_decode(v, blobs, limits, depth + 1, counter, used) for v in _typed(obj.get("v"), list)]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        out: dict[Any, Any] = {}
        for pair in _typed(obj.get("v"), list):
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("malformed dict item")
            key = _decode(pair[0], blobs, limits, depth + 1, counter, used)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise WireError("dict keys must be str or int")
            out[key] = _decode(pair[1], blobs, limits, depth + 1, counter, used)
        return out
    raise WireError(f"unknown value kind {kind[:40]!r}")


def _check_json(obj: Any, limits: Limits, depth: int, counter: list[int]) -> Any:
    """Accept plain JSON metadata (numbers, short strings, lists, string-keyed objects) within limits."""
    if depth > limits.max_depth:
        raise WireLimit(f"metadata nested deeper than {limits.max_depth} levels")
    counter[0] += 1
    if counter[0] > limits.max_items:
        raise WireLimit(f"value has more than {limits.max_items} parts")
    if obj is None or isinstance(obj, (bool, int, float)):
        return obj
    if isinstance(obj, str):
        if len(obj) > 4096:
            raise WireLimit("metadata string too long")
        return obj
    if isinstance(obj, list):
        return [_check_json(v, limits, depth + 1, counter) for v in obj]
    if isinstance(obj, dict) and all(isinstance(k, str) for k in obj):
        return {k: _check_json(v, limits, depth + 1, counter) for k, v in obj.items()}
    raise WireError("malformed metadata")


def _decode_array(obj: dict[str, Any], blobs: list[bytes], used: set[int]) -> np.ndarray:
    dtype_text = _typed(obj.get("dtype"), str)
    if len(dtype_text) > 8:
        raise WireError("malformed dtype")
    try:
        dtype = np.dtype(dtype_text)
    except TypeError:
        raise WireError(f"unknown dtype {dtype_text!r}") from None
    if dtype.kind not in ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
        raise WireError(f"dtype {dtype_text!r} may not cross the sandbox boundary")
    shape = _typed(obj.get("shape"), list)
    if len(shape) > 32 or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise WireError("malformed shape")
    index = _typed(obj.get("blob"), int)
    if not 0 <= index < len(blobs) or index in used:
        raise WireError("array refers to a missing or reused blob")
    used.add(index)
    data = blobs[index]
    if math.prod(shape) * dtype.itemsize != len(data):
        raise WireError(f"array of shape {tuple(shape)} and dtype {dtype} does not match its {len(data)} bytes")
    # frombuffer shares memory with the bytes; copy so callers own a writable array.
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _typed(value: Any, kind: type) -> Any:
    if kind is int and isinstance(value, bool):
        raise WireError("expected an int")
    if not isinstance(value, kind):
        raise WireError(f"expected {kind.__name__}")
    return value


def encode_frame(header: dict[str, Any], blobs: list[bytes] | None = None) -> bytes:
    """Serialise a header and its blobs into one frame."""
    blobs = blobs or []
    header = dict(header, blobs=[len(b) for b in blobs])
    text = json.dumps(header, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return b"".join([PREFIX.pack(MAGIC, len(text)), text, *blobs])


def parse_header(prefix: bytes, text: bytes, limits: Limits = Limits()) -> tuple[dict[str, Any], list[int]]:
    """Validate a frame's prefix and header; return the header and its blob sizes."""
    magic, length = PREFIX.unpack(prefix)
    if magic != MAGIC:
        raise WireError("bad frame magic")
    if length != len(text):
        raise WireError("truncated header")
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WireError("header is not valid JSON") from None
    if not isinstance(header, dict):
        raise WireError("header is not an object")
    sizes = header.get("blobs", [])
    if not isinstance(sizes, list) or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes):
        raise WireError("malformed blob sizes")
    if sum(sizes) > limits.max_blob_bytes:
        raise WireLimit(f"message carries {sum(sizes)} bytes of arrays, over the {limits.max_blob_bytes}-byte cap")
    return header, sizes


def header_length(prefix: bytes, limits: Limits = Limits()) -> int:
    """The header length announced by a frame prefix, checked against the cap."""
    magic, length = PREFIX.unpack(prefix)
    if magic != MAGIC:
        raise WireError("bad frame magic")
    if length > limits.max_header_bytes:
        raise WireLimit(f"header of {length} bytes exceeds the {limits.max_header_bytes}-byte cap")
    return length
