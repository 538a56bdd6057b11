"""Loading trusted reference solutions. They run in the grader's process, never in a sandbox."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, Callable

from .errors import ProblemError
from .problem import Problem


def load_reference(problem: Problem) -> Callable[..., Any]:
    """Import ``reference/<slug>.py`` and return its entry point."""
    return load_trusted_function(problem.reference_path, problem.entry_point, f"grader_reference_{problem.slug}")


def load_trusted_function(path: Path, function_name: str, module_name: str) -> Callable[..., Any]:
    """Import a trusted file of a problem package (never a submission) and return one function."""
    module = sys.modules.get(module_name)
    if module is None or getattr(module, "__file__", None) != str(path):
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ProblemError(path, "cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[module_name]
            raise ProblemError(path, f"fails to import: {type(exc).__name__}: {exc}") from exc
    function = getattr(module, function_name, None)
    if not callable(function):
        raise ProblemError(path, f"has no function `{function_name}`")
    return function
