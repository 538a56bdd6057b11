"""Exact equality of shape and values (for integer or discrete results)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import as_result_array, check_shape, first_difference
from .mismatch import Mismatch


@dataclass(frozen=True)
class Exact:
    """Same shape, and every value equal."""

    name: str = "exact"

    def compare(self, got: Any, expected: Any) -> None:
        want = np.asarray(expected)
        have = as_result_array(got)
        check_shape(have, want)
        differ = have != want
        if differ.any():
            index = first_difference(differ)
            raise Mismatch(f"{int(differ.sum())} of {differ.size} values differ; first at index "
                           f"{list(index)}: expected {want[index].item()!r}, got {have[index].item()!r}",
                           first_index=list(index), mismatched=int(differ.sum()), total=int(differ.size))
