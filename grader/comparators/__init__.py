"""Comparators: how a submission's result is judged against the reference's.

Each variant is one module exposing a class with ``name`` and
``compare(got, expected) -> None`` that raises :class:`Mismatch` (an
AssertionError, so a failed comparison is a wrong answer) when they differ.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..errors import ProblemError
from ..problem import Problem
from .mismatch import Mismatch


class Comparator(Protocol):
    name: str

    def compare(self, got: Any, expected: Any) -> None:
        """Return if ``got`` is acceptable for ``expected``; raise Mismatch otherwise."""
        ...


def comparator_for(problem: Problem) -> Comparator:
    """The comparator a problem asks for (``[compare] method``), configured with its tolerances."""
    from .allclose import AllClose
    from .exact import Exact

    if problem.compare_method == "allclose":
        return AllClose(rtol=problem.tolerance.rtol, atol=problem.tolerance.atol)
    if problem.compare_method == "exact":
        return Exact()
    raise ProblemError(problem.root / "problem.toml", f"unknown comparator {problem.compare_method!r} "
                       "(known: allclose, exact)", "compare.method")


__all__ = ["Comparator", "Mismatch", "comparator_for"]
