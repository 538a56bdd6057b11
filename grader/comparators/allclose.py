"""Numerical closeness with relative and absolute tolerance, NaN-aware."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import as_result_array, check_shape, first_difference
from .mismatch import Mismatch


@dataclass(frozen=True)
class AllClose:
    """|got - expected| <= atol + rtol * |expected| elementwise; NaN only where the reference has NaN."""

    rtol: float = 1e-5
    atol: float = 1e-6
    name: str = "allclose"

    def compare(self, got: Any, expected: Any) -> None:
        want = np.asarray(expected)
        have = as_result_array(got)
        check_shape(have, want)
        if have.size == 0:
            return
        a, b = have.astype(np.float64), want.astype(np.float64)
        nan_a, nan_b = np.isnan(a), np.isnan(b)
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.abs(a - b)
            close = (err <= self.atol + self.rtol * np.abs(b)) | (nan_a & nan_b) | (a == b)
        close &= nan_a == nan_b
        if close.all():
            return
        index = first_difference(~close)
        finite = np.isfinite(err)
        max_abs = float(err[finite].max()) if finite.any() else float("inf")
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(np.abs(b) > 0, err / np.abs(b), np.inf)
        rel_f = rel[np.isfinite(rel)]
        max_rel = float(rel_f.max()) if rel_f.size else float("inf")
        bad = int((~close).sum())
        where = f"[{', '.join(map(str, index))}]"
        raise Mismatch(
            f"{bad} of {close.size} values differ; first at index {where}: expected {float(b[index]):.7g}, "
            f"got {float(a[index]):.7g} (max abs error {max_abs:.3g}, max rel error {max_rel:.3g}, "
            f"tolerance atol={self.atol:g} rtol={self.rtol:g})",
            first_index=list(index), expected_value=float(b[index]), got_value=float(a[index]),
            max_abs_error=max_abs, max_rel_error=max_rel, mismatched=bad, total=int(close.size),
        )
