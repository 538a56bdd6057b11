"""Submissions: the learner's source, read as data on the trusted side and never executed here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

MAX_SOURCE_BYTES = 1 << 20


@dataclass(frozen=True)
class Submission:
    """A learner's solution file: its display name and its source text."""

    filename: str
    source: str

    @classmethod
    def from_path(cls, path: str | Path) -> "Submission":
        """Read a submission file (at most 1 MiB). Undecodable bytes are kept, not rejected."""
        path = Path(path)
        if not path.is_file():
            raise UsageError(f"submission {str(path)!r} is not a file")
        data = path.read_bytes()
        if len(data) > MAX_SOURCE_BYTES:
            raise UsageError(f"submission {str(path)!r} is {len(data)} bytes; the limit is {MAX_SOURCE_BYTES}")
        # surrogateescape keeps invalid UTF-8 round-trippable; the worker's compile() reports it.
        return cls(filename=safe_filename(path.name), source=data.decode("utf-8", errors="surrogateescape"))


def safe_filename(name: str) -> str:
    """A file name that is safe to create inside the sandbox's scratch directory."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(name).name).lstrip(".") or "submission"
    return stem if stem.endswith(".py") else stem + ".py"
