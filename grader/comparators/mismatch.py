"""The exception comparators raise, carrying a structured description of the difference."""

from __future__ import annotations

from typing import Any


class Mismatch(AssertionError):
    """A result that differs from the reference. ``details`` is JSON-ready."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
