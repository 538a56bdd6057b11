"""The JSON report: exactly one document, the fixed results contract (see README)."""

from __future__ import annotations

import json
import math
from typing import Any

from ..verdict import Report


def render(report: Report, color: bool = False) -> str:
    """One JSON document, keys in a fixed order, ASCII only (learner output is escaped)."""
    return json.dumps(finite(report.to_dict()), indent=2, ensure_ascii=True, allow_nan=False) + "\n"


def finite(value: Any) -> Any:
    """Strict JSON has no NaN or infinity: such numbers (e.g. a max relative error against a zero
    reference value) are written as the strings "nan", "inf" and "-inf", as counterexamples are."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value
