"""Turning untrusted results into arrays, and describing how two arrays differ."""

from __future__ import annotations

from typing import Any

import numpy as np

from .mismatch import Mismatch


def as_result_array(got: Any) -> np.ndarray:
    """The learner's result as a numeric ndarray, or a Mismatch saying why it is not one."""
    if isinstance(got, np.ndarray):
        array = got
    elif isinstance(got, (bool, int, float)):
        array = np.asarray(got)
    else:
        kind = type(got).__name__ if not isinstance(got, (list, tuple, dict)) else f"a {type(got).__name__}"
        raise Mismatch(f"expected an array, got {kind}", got_type=type(got).__name__)
    if array.dtype.kind not in "biuf":
        raise Mismatch(f"expected a real-valued array, got dtype {array.dtype}", got_dtype=str(array.dtype))
    return array


def check_shape(got: np.ndarray, expected: np.ndarray) -> None:
    if got.shape != expected.shape:
        hint = ""
        if got.size == expected.size:
            hint = " (same number of elements: check how you flatten)"
        raise Mismatch(f"expected shape {tuple(expected.shape)}, got {tuple(got.shape)}{hint}",
                       expected_shape=list(expected.shape), got_shape=list(got.shape))


def first_difference(bad: np.ndarray) -> tuple[int, ...]:
    """Index of the first True in ``bad`` (row-major)."""
    flat = int(np.flatnonzero(bad.reshape(-1))[0])
    return tuple(int(i) for i in np.unravel_index(flat, bad.shape)) if bad.ndim else ()
