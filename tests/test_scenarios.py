"""Golden end-to-end scenarios: every file under tests/scenarios/<problem>/ is one learner submission.

Each file opens with a comment header saying what it models and what its grade must be::

    # scenario: transposes the (N, features) output before flattening
    # max_examples: 10                            (optional; Hypothesis examples, a cap for every test)
    # limits: call_seconds=3 import_seconds=8     (optional; applied with Problem.with_limits)
    # submission: @starter                        (optional; grade the problem's starter instead of this file)
    # expect: verdict=wrong_answer score=0        (report-level checks)
    # expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features
    # expect: test=* message~="not implemented yet"

An ``expect`` line holds ``key OP value`` checks (values may be quoted, shell style). ``test=NAME``
restricts the line to the hidden tests whose function name starts with NAME (``*``: every test; it
must match at least one). OP is ``=`` (equal), ``~=`` (regular expression found) or ``!~=`` (not
found). Keys: ``verdict``, ``score`` (``max`` or a number), ``message``, ``output``,
``counterexample`` (comma-separated argument names that must all be present), ``shrunk``
(the named array argument is small enough to be shown in full: at most 64 elements), ``traceback``
(the test's details.traceback).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import PROBLEM_DIR, assert_valid, leftover_workers
from grader.grade import grade
from grader.reports import render
from grader.verdict import REPORT_VERSION, Report, Verdict

SCENARIOS = Path(__file__).resolve().parent / "scenarios" / "orbax_load_simulate"
DEFAULT_MAX_EXAMPLES = 5
CHECK = re.compile(r"^(?P<key>[a-z_.]+)(?P<op>!~=|~=|=)(?P<value>.*)$", re.S)


@dataclass
class Scenario:
    path: Path
    what: str = ""
    max_examples: int = DEFAULT_MAX_EXAMPLES
    limits: dict[str, float] = field(default_factory=dict)
    submission: Path | None = None
    expectations: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)

    @classmethod
    def parse(cls, path: Path) -> "Scenario":
        scenario = cls(path, submission=path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.startswith("#"):
                break
            key, sep, value = line[1:].strip().partition(":")
            if not sep or key not in ("scenario", "expect", "max_examples", "limits", "submission"):
                continue  # free-form commentary
            value = value.strip()
            where = f"{path.name}:{number}"
            if key == "scenario":
                scenario.what = value
            elif key == "max_examples":
                scenario.max_examples = int(value.split()[0])  # commentary may follow the number
            elif key == "limits":
                for item in value.split():
                    name, _, number_text = item.partition("=")
                    scenario.limits[name] = float(number_text)
            elif key == "submission":
                scenario.submission = PROBLEM_DIR / "starter.py" if value == "@starter" else Path(value)
            else:
                target, checks = "", []
                for token in shlex.split(value):
                    match = CHECK.match(token)
                    assert match, f"{where}: cannot read the expectation {token!r}"
                    if match["key"] == "test":
                        assert match["op"] == "=", f"{where}: test= selects tests; it takes no operator"
                        target = match["value"]
                    else:
                        checks.append((match["key"], match["op"], match["value"]))
                assert checks, f"{where}: an expect line needs at least one check"
                scenario.expectations.append((target, checks))
        assert scenario.what, f"{path.name}: the header must say what the scenario models (# scenario: ...)"
        assert scenario.expectations, f"{path.name}: the header must state the grade (# expect: ...)"
        return scenario


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.py"))


def field_of(subject: object, key: str) -> object:
    """The value an expectation key names, on the report or on one test's result."""
    if key == "traceback":
        return subject.details.get("traceback", "")
    if key == "verdict":
        return subject.verdict.value
    return getattr(subject, key)


def check(subject: object, key: str, op: str, want: str, label: str) -> str | None:
    """None if the expectation holds, else what is wrong."""
    if key == "counterexample":
        got = subject.counterexample
        names = [n for n in want.split(",") if n]
        if not isinstance(got, dict) or any(n not in got for n in names):
            return f"{label}: expected a counterexample naming {names}, got {got!r}"
        return None
    if key == "shrunk":
        # Shrunk far enough to be shown in full: the array argument has at most 64 elements.
        shown = (subject.counterexample or {}).get(want)
        if not isinstance(shown, dict) or "values" not in shown:
            return (f"{label}: expected {want} shrunk to a small array (at most 64 values, shown in full), "
                    f"got {shown!r}")
        return None
    if key == "score":
        got_score = subject.score
        expected = subject.max_score if want == "max" else float(want)
        if op != "=" or got_score != expected:
            return f"{label}: score {got_score} (max {subject.max_score}), expected {want}"
        return None
    value = str(field_of(subject, key))
    if op == "=":
        ok = value == want
    else:
        ok = (re.search(want, value, re.M) is not None) == (op == "~=")
    if not ok:
        shown = value if len(value) < 600 else value[:300] + " ... " + value[-300:]
        return f"{label}: {key} {op} {want!r} does not hold; {key} is {shown!r}"
    return None


def assert_well_formed(report: Report) -> dict:
    """The grade produced a complete report that serialises to one JSON document."""
    assert report.tests, "the report has no tests"
    for case in report.tests:
        assert isinstance(case.verdict, Verdict) and case.name and isinstance(case.message, str)
        assert case.score in (0.0, case.max_score)
        if case.verdict is not Verdict.ACCEPTED:
            assert case.message, f"{case.name}: a rejected test must say why"
    document = json.loads(render(report, "json"))
    assert_valid(document)
    assert document["version"] == REPORT_VERSION
    assert document["verdict"] == report.verdict.value
    assert [t["name"] for t in document["tests"]] == [t.name for t in report.tests]
    assert render(report, "text")  # the text report renders too
    return document


@pytest.mark.slow
@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_scenario_grades_as_its_header_says(path: Path, problem) -> None:
    scenario = Scenario.parse(path)
    graded = problem.with_limits(**scenario.limits) if scenario.limits else problem
    report = grade(graded, scenario.submission, sandbox="process", max_examples=scenario.max_examples)
    try:
        assert_well_formed(report)
        problems = []
        for target, checks in scenario.expectations:
            if target:
                cases = [t for t in report.tests
                         if target == "*" or t.name.split("::")[-1].startswith(target)]
                if not cases:
                    problems.append(f"no hidden test matches test={target}")
            else:
                cases = [report]
            for subject in cases:
                label = getattr(subject, "name", "report") if target else "report"
                for key, op, want in checks:
                    problem_text = check(subject, key, op, want, label)
                    if problem_text:
                        problems.append(problem_text)
        assert not problems, (f"{path.name} ({scenario.what}) graded unlike its header:\n  "
                              + "\n  ".join(problems) + "\n\n" + render(report, "text"))
    finally:
        left = leftover_workers()
        assert not left, f"{path.name}: worker processes outlived the grade: {left}"


def test_every_scenario_header_parses() -> None:
    files = scenario_files()
    assert len(files) >= 18
    for path in files:
        Scenario.parse(path)


def test_leak_check_sees_a_worker_that_is_still_running(problem) -> None:
    from grader.sandbox.base import WorkerSpec
    from grader.sandbox.process import ProcessSandbox

    worker = ProcessSandbox().start(WorkerSpec(limits=problem.limits))
    try:
        assert worker.process.pid in [pid for pid, _ in leftover_workers()]
    finally:
        worker.kill()
    assert not leftover_workers()
