"""The one exception root of the grader.

Learner failures are never exceptions of this family: they are verdicts. These
are raised for faults on the trusted side (a bad problem package, a missing
sandbox engine, bad command-line arguments) and reach users as clear messages
with exit code 2.
"""

from __future__ import annotations


class GraderError(Exception):
    """Root of every error the grader raises on purpose."""


class UsageError(GraderError):
    """The caller asked for something that cannot be done as asked."""


class ProblemError(GraderError):
    """A problem package is missing, malformed or inconsistent.

    The message names the file and, where there is one, the key.
    """

    def __init__(self, path: object, message: str, key: str | None = None) -> None:
        self.path, self.key = str(path), key
        where = f"{self.path}: {key}" if key else self.path
        super().__init__(f"{where}: {message}")


class SandboxError(GraderError):
    """A sandbox backend cannot start or talk to its worker (our fault, never the learner's)."""


class SandboxUnavailable(SandboxError):
    """The requested sandbox backend does not exist or cannot run on this machine."""
