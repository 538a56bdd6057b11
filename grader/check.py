"""``grader check``: prove a problem's hidden tests are strong before any learner sees them.

A problem holds when: its files exist and parse; the reference, graded through
the sandbox like any learner, is accepted twice with the same report; the
starter is rejected; every known-wrong solution in ``mutants/`` is rejected;
nothing of the hidden tests or reference is reachable from inside the sandbox;
and the reference grade fits comfortably in the problem's time limits.
"""

from __future__ import annotations

import ast
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ProblemError
from .feedback import short_args
from .grade import grade
from .problem import Problem
from .probe import leak_probe
from .sandbox import select_sandbox
from .submission import Submission
from .verdict import Report, Verdict


@dataclass
class Step:
    """One claim about the problem, and whether it held."""

    name: str
    ok: bool
    detail: str = ""
    warning: bool = False


@dataclass
class MutantRow:
    name: str
    mistake: str
    verdict: Verdict
    caught_by: str
    shrunk_input: str

    @property
    def killed(self) -> bool:
        return self.verdict is not Verdict.ACCEPTED and self.verdict is not Verdict.INTERNAL_ERROR


@dataclass
class CheckResult:
    problem: str
    sandbox: str
    steps: list[Step] = field(default_factory=list)
    mutants: list[MutantRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


def mutant_mistake(path: Path) -> str:
    """The mistake a mutant models, from its ``# mutant: ...`` comment."""
    for line in path.read_text(encoding="utf-8").splitlines()[:20]:
        if line.strip().startswith("# mutant:"):
            return line.split(":", 1)[1].strip()
    raise ProblemError(path, "a mutant must say what mistake it models in a `# mutant: ...` comment")


def check_problem(problem: Problem, sandbox: str = "auto", seed: int = 0, max_examples: int | None = None,
                  progress=lambda line: None) -> CheckResult:
    """Run every check on ``problem``; never raises for a failing check."""
    selection = select_sandbox(sandbox)
    backend = selection.sandbox
    result = CheckResult(problem.slug, backend.name)

    def run(name: str, fn) -> None:
        progress(f"{problem.slug}: {name} ...")
        try:
            step = fn()
        except ProblemError as exc:
            step = Step(name, False, str(exc))
        step.name = name
        result.steps.append(step)
        progress(f"{problem.slug}: {name}: {'ok' if step.ok else 'FAILED'} {step.detail}")

    run("files exist and parse", lambda: _files_parse(problem))
    timing: dict[str, float] = {}

    def reference_twice() -> Step:
        started = time.monotonic()
        first = grade(problem, problem.reference_path, sandbox=backend, seed=seed, max_examples=max_examples)
        timing["reference"] = time.monotonic() - started
        second = grade(problem, problem.reference_path, sandbox=backend, seed=seed, max_examples=max_examples)
        if not first.accepted:
            return Step("", False, f"the reference was not accepted: {first.message}")
        if first.to_dict() != second.to_dict():
            return Step("", False, "two grades of the reference with the same seed gave different reports")
        return Step("", True, f"accepted twice, identical reports ({first.max_score:g} tests)")

    run("reference accepted twice, same report", reference_twice)

    def starter() -> Step:
        report = grade(problem, problem.starter_path, sandbox=backend, seed=seed, max_examples=max_examples)
        return Step("", not report.accepted, f"{report.verdict.value}: {report.message}")

    run("starter rejected", starter)

    def mutants() -> Step:
        paths = sorted(problem.mutants_dir.glob("*.py")) if problem.mutants_dir.is_dir() else []
        if not paths:
            return Step("", True, "no mutants/ to run (add known-wrong solutions to prove the tests)", warning=True)
        for path in paths:
            mistake = mutant_mistake(path)
            report = grade(problem, path, sandbox=backend, seed=seed, max_examples=max_examples)
            result.mutants.append(_row(path, mistake, report))
            progress(f"  mutant {path.stem}: {report.verdict.value}")
        survivors = [m.name for m in result.mutants if not m.killed]
        if survivors:
            return Step("", False, "survived (the hidden tests miss these mistakes): " + ", ".join(survivors))
        return Step("", True, f"all {len(paths)} rejected")

    run("every mutant rejected", mutants)
    run("hidden material unreachable from the sandbox", lambda: _no_leak(problem, backend, seed))

    def timing_step() -> Step:
        took = timing.get("reference")
        if took is None:
            return Step("", False, "the reference grade did not run")
        limit = problem.limits.total_seconds
        detail = f"reference graded in {took:.1f} s; total limit {limit:g} s ({100 * took / limit:.0f}%)"
        return Step("", took <= limit, detail, warning=took > limit / 2)

    run("reference grade within the time limits", timing_step)
    return result


def _files_parse(problem: Problem) -> Step:
    if not problem.statement_path.read_text(encoding="utf-8").strip():
        return Step("", False, f"{problem.statement_path} is empty")
    tests = sorted(problem.tests_dir.glob("*.py"))
    for path in [problem.starter_path, problem.reference_path, *tests]:
        try:
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError as exc:
            return Step("", False, f"{path}: does not parse: {exc.msg} (line {exc.lineno})")
    return Step("", True, f"statement, starter, reference and {len(tests)} test files")


def _row(path: Path, mistake: str, report: Report) -> MutantRow:
    worst = next((t for t in report.tests if t.verdict is report.verdict), None)
    shrunk = ""
    if worst is not None and worst.counterexample:
        shrunk = short_args(worst.counterexample)
    return MutantRow(path.stem, mistake, report.verdict, worst.name.split("::")[-1] if worst else "", shrunk)


def _no_leak(problem: Problem, backend, seed: int) -> Step:
    if not backend.isolated:
        return Step("", True, f"not checked: the {backend.name} sandbox is not isolated, so hidden files are "
                    "reachable there by design", warning=True)
    secrets = [p for p in problem.tests_dir.rglob("*") if p.is_file()] + [problem.reference_path]
    probe = Submission("leak_probe.py", leak_probe(problem.entry_point, secrets))
    limited = problem.with_limits(call_seconds=max(problem.limits.call_seconds, 60))
    report = grade(limited, probe, sandbox=backend, seed=seed, max_examples=1)
    messages = " ".join(t.message for t in report.tests)
    if "LEAK-FOUND" in messages:
        found = messages.split("LEAK-FOUND", 1)[1].split("\n")[0][:400]
        return Step("", False, f"the sandbox can see hidden material:{found}")
    if "NO-LEAK" not in messages:
        return Step("", False, f"the leak probe did not run to completion: {report.message}")
    return Step("", True, f"a probe searched the sandbox's filesystem for {len(secrets)} hidden files: none found")
