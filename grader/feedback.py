"""Turning what a hidden test raised into a verdict and a message a learner can act on."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .comparators import Mismatch
from .executor import Failure, SubmissionAbort, SubmissionFault
from .verdict import Verdict

SMALL_ARRAY = 64  # arrays up to this many elements are shown in full in a counterexample


def describe_value(value: Any) -> Any:
    """A JSON-ready, deterministic description of one input value."""
    if isinstance(value, np.ndarray):
        out: dict[str, Any] = {"shape": list(value.shape), "dtype": str(value.dtype)}
        if value.size <= SMALL_ARRAY:
            out["values"] = _plain(value.tolist())
        return out
    if isinstance(value, (np.generic,)):
        return _plain(value.item())
    if isinstance(value, (list, tuple)):
        return [describe_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): describe_value(v) for k, v in value.items()}
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return repr(value)


def describe_args(names: tuple[str, ...], args: tuple[Any, ...] | None) -> dict[str, Any] | None:
    """Name each argument of a call, for the report's counterexample."""
    if args is None:
        return None
    labels = list(names) + [f"arg{i}" for i in range(len(names), len(args))]
    return {label: describe_value(value) for label, value in zip(labels, args)}


def short_args(counterexample: dict[str, Any] | None) -> str:
    """One line: seed=1.5, x=float32[2, 3], features=4.0."""
    if not counterexample:
        return ""
    parts = []
    for name, value in counterexample.items():
        if isinstance(value, dict) and "shape" in value:
            parts.append(f"{name}={value['dtype']}{value['shape']}")
        else:
            text = repr(value)
            parts.append(f"{name}={text if len(text) <= 40 else text[:37] + '...'}")
    return ", ".join(parts)


def unwrap(exc: BaseException) -> BaseException:
    """Find the most telling exception inside Hypothesis' flaky-failure groups."""
    if isinstance(exc, BaseExceptionGroup):
        inner = list(exc.exceptions)
        for kind in (SubmissionAbort, SubmissionFault, Mismatch, AssertionError):
            for sub in inner:
                found = unwrap(sub)
                if isinstance(found, kind):
                    return found
        return unwrap(inner[0]) if inner else exc
    return exc


def classify(exc: BaseException, last_args: tuple[Any, ...] | None) -> tuple[Verdict, str, Failure | None]:
    """Map an exception from a hidden test to (verdict, message, failure-if-from-the-submission)."""
    flaky = isinstance(exc, BaseExceptionGroup) and type(exc).__name__.startswith("Flaky")
    found = unwrap(exc)
    if isinstance(found, (SubmissionFault, SubmissionAbort)):
        return found.failure.verdict, found.failure.message, found.failure
    if isinstance(found, AssertionError):
        message = found.message if isinstance(found, Mismatch) else (str(found).split("\n")[0] or
                                                                      "a hidden check failed")
        if flaky:
            message += (" (this failure did not happen again on a second run with the same input: does your "
                        "function keep state between calls or use randomness of its own?)")
        return Verdict.WRONG_ANSWER, message, None
    name = type(found).__name__
    return Verdict.INTERNAL_ERROR, f"the hidden test itself failed ({name}: {str(found)[:300]}); " \
        "this is the grader's fault, not yours", None
