"""Loading trusted reference solutions. They run in the grader's process, never in a sandbox."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any, Callable

from .errors import ProblemError
from .problem import Problem


def load_reference(problem: Problem) -> Callable[..., Any]:
    """Import ``reference/<slug>.py`` and return its entry point."""
    name = f"grader_reference_{problem.slug}"
    module = sys.modules.get(name)
    if module is None or getattr(module, "__file__", None) != str(problem.reference_path):
        spec = importlib.util.spec_from_file_location(name, problem.reference_path)
        if spec is None or spec.loader is None:
            raise ProblemError(problem.reference_path, "cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            raise ProblemError(problem.reference_path, f"fails to import: {type(exc).__name__}: {exc}") from exc
    function = getattr(module, problem.entry_point, None)
    if not callable(function):
        raise ProblemError(problem.reference_path, f"has no function `{problem.entry_point}`", "entry_point")
    return function
