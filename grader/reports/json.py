"""The JSON report: exactly one document, the fixed results contract (see README)."""

from __future__ import annotations

import json

from ..verdict import Report


def render(report: Report, color: bool = False) -> str:
    """One JSON document, keys in a fixed order, ASCII only (learner output is escaped)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=True, allow_nan=False) + "\n"
