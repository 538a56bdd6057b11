"""Report formats, one module each: ``render(report, color=False) -> str``."""

from __future__ import annotations

from typing import Callable

from ..errors import UsageError
from ..verdict import Report

Renderer = Callable[..., str]


def renderer(name: str) -> Renderer:
    """The render function of format ``name`` (text or json)."""
    if name == "text":
        from .text import render
    elif name == "json":
        from .json import render
    else:
        raise UsageError(f"unknown report format {name!r} (choose text or json)")
    return render


def render(report: Report, fmt: str = "text", color: bool = False) -> str:
    return renderer(fmt)(report, color=color)
