"""Verdicts, per-test results and the report: the fixed results contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Verdict(str, Enum):
    """The outcome of one test, or of a whole grade. Serialised in lower case."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    SYNTAX_ERROR = "syntax_error"
    MISSING_FUNCTION = "missing_function"
    INTERNAL_ERROR = "internal_error"

    @property
    def severity(self) -> int:
        """Rank in the overall-verdict precedence: the most severe test verdict wins."""
        return PRECEDENCE.index(self)

    def __str__(self) -> str:
        return self.value


# Most severe first. An internal fault outranks everything so that it is never
# hidden behind (or blamed on) the learner; a submission that cannot even load
# outranks what its calls did; wrong answers rank just above accepted.
PRECEDENCE: tuple[Verdict, ...] = (
    Verdict.INTERNAL_ERROR,
    Verdict.SYNTAX_ERROR,
    Verdict.MISSING_FUNCTION,
    Verdict.TIME_LIMIT,
    Verdict.MEMORY_LIMIT,
    Verdict.OUTPUT_LIMIT,
    Verdict.RUNTIME_ERROR,
    Verdict.WRONG_ANSWER,
    Verdict.ACCEPTED,
)


def overall(verdicts: list[Verdict]) -> Verdict:
    """The overall verdict of a grade: the most severe of its tests' verdicts."""
    if not verdicts:
        return Verdict.INTERNAL_ERROR
    return min(verdicts, key=lambda v: v.severity)


@dataclass
class CaseResult:
    """The result of one hidden test (one pytest test item)."""

    name: str
    verdict: Verdict
    max_score: float = 1.0
    message: str = ""
    output: str = ""
    counterexample: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.max_score if self.verdict is Verdict.ACCEPTED else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "verdict": self.verdict.value,
            "score": self.score,
            "max_score": self.max_score,
            "message": self.message,
            "output": self.output,
        }
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        if self.details:
            out["details"] = self.details
        return out


REPORT_VERSION = 1


@dataclass
class Report:
    """Everything a grade produced. Deterministic for a given submission and seed."""

    problem: str
    seed: int
    sandbox: str
    tests: list[CaseResult]
    message: str = ""
    output: str = ""
    submission: str = ""
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        return overall([t.verdict for t in self.tests])

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.ACCEPTED

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "problem": self.problem,
            "submission": self.submission,
            "verdict": self.verdict.value,
            "score": self.score,
            "max_score": self.max_score,
            "seed": self.seed,
            "sandbox": self.sandbox,
            "message": self.message,
            "output": self.output,
            "warnings": list(self.warnings),
            "versions": dict(self.versions),
            "tests": [t.to_dict() for t in self.tests],
        }
