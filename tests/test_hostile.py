"""Hostile submissions, graded in the docker and the bwrap sandboxes: every attack is contained.

Each file under tests/hostile/ is one submission whose header says what it attempts and the grade
it must get, in the format of tests/scenarios/ (parsed by test_scenarios.Scenario). Every
submission runs against every backend (marks ``docker`` and ``bwrap``; a backend that cannot run
here is skipped, or is a failure under CI=true). For each grade the suite asserts:

* the grader process survived and produced a report that is valid JSON (exactly one document,
  the grader's own keys, the report schema) and renders as text; no ``internal_error``;
* the header's expectations hold;
* nothing leaked: no worker process, no container labelled grader.sandbox of that grader, none
  of the hidden test's text, the reference's text, /etc/shadow or the grader's environment in
  the report; the grader's peak RSS grew by less than RSS_BUDGET_MB;
* the attack-specific checks below (listener, detached process, fork count, tmpfs sizes).

Grades run in grader processes of their own (tests/hostile_runner.py), HOSTILE_JOBS (default 2)
at a time, all at the first test that needs one, so the suite takes minutes, not a quarter hour.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import REFERENCE, assert_valid
from grader.errors import SandboxUnavailable
from test_scenarios import Scenario, check

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile"
RUNNER = HERE / "hostile_runner.py"
HIDDEN_TEST = HERE.parent / "problems" / "orbax_load_simulate" / "tests" / "test_orbax_load_simulate.py"
BACKENDS = ("docker", "bwrap")
IN_CI = os.environ.get("CI", "").lower() == "true"
JOBS = int(os.environ.get("HOSTILE_JOBS", "2"))
MAX_EXAMPLES = 3
RSS_BUDGET_MB = 300
PIDS_SLACK = 32  # the fork bomb may start this many more processes than the pids limit
REPORT_KEYS = {"version", "problem", "submission", "verdict", "score", "max_score", "seed", "sandbox",
               "message", "output", "warnings", "versions", "tests"}
CANARY_NAME = "HOSTILE_SUITE_CANARY"
CANARY = f"canary-{uuid.uuid4().hex}"

# Grades that take longest first, so the pool is not left waiting on one at the end.
SLOW_FIRST = ("fork_bomb", "busy_threads", "infinite_loop", "sleep_at_import", "huge_header", "deep_header",
              "memory_bomb", "output_flood", "os_exit_in_call")

# Known weaknesses of a backend, as non-strict xfails with the reason (none at present: the
# bwrap fork bomb is capped by the worker's pids cgroup, the docker output_limit hang is fixed).
KNOWN_WEAK: dict[tuple[str, str], str] = {
}


def submissions() -> list[Path]:
    files = sorted(HOSTILE.glob("*.py"))
    order = {name: i for i, name in enumerate(SLOW_FIRST)}
    return sorted(files, key=lambda p: (order.get(p.stem, len(order)), p.stem))


def _unavailable(backend: str) -> str | None:
    from grader.sandbox import load_backend

    try:
        load_backend(backend)
    except SandboxUnavailable as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a half-finished backend is unavailable, with the reason
        return f"sandbox {backend!r} failed to load: {type(exc).__name__}: {exc}"
    return None


def params() -> list:
    out = []
    for backend in BACKENDS:
        for path in submissions():
            marks = [getattr(pytest.mark, backend), pytest.mark.slow]
            if (backend, path.stem) in KNOWN_WEAK:
                marks.append(pytest.mark.xfail(strict=False, reason=KNOWN_WEAK[backend, path.stem]))
            out.append(pytest.param(backend, path, marks=marks, id=f"{backend}-{path.stem}"))
    return out


class Listener:
    """A TCP listener on every host address; records whatever connects."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("0.0.0.0", 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture(scope="session")
def listener():
    server = Listener()
    yield server
    server.sock.close()


@pytest.fixture(scope="session")
def availability() -> dict[str, str | None]:
    return {backend: _unavailable(backend) for backend in BACKENDS}


@pytest.fixture(scope="session")
def hostile_results(request, listener, availability, tmp_path_factory) -> dict[tuple[str, str], dict]:
    """Grade every selected (backend, submission) pair at once; results by (backend, stem)."""
    wanted = []
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if spec is None or item.originalname != "test_hostile_submission_is_contained":
            continue
        backend, path = spec.params["backend"], spec.params["path"]
        if availability[backend] is None:
            wanted.append((backend, path))
    wanted.sort(key=lambda job: submissions().index(job[1]))
    folder = tmp_path_factory.mktemp("hostile")
    env = dict(os.environ, **{CANARY_NAME: CANARY})

    def run(job: tuple[str, Path]) -> tuple[tuple[str, str], dict]:
        backend, path = job
        scenario = Scenario.parse(path)
        marker = f"1000.{uuid.uuid4().int % 10**9:09d}"
        source = path.read_text().replace("@PORT@", str(listener.port)).replace("@MARKER@", marker)
        staged = folder / backend / path.name
        staged.parent.mkdir(exist_ok=True)
        staged.write_text(source)
        out = folder / f"{backend}-{path.stem}.json"
        argv = [sys.executable, str(RUNNER), backend, str(staged), str(out),
                "--limits", json.dumps(scenario.limits),
                "--max-examples", str(min(scenario.max_examples, MAX_EXAMPLES))]
        if "@MARKER@" in path.read_text():
            argv += ["--watch", marker]
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
        result = json.loads(out.read_text()) if out.exists() else {}
        result.update(returncode=done.returncode, runner_stderr=done.stderr[-4000:], marker=marker)
        return (backend, path.stem), result

    with ThreadPoolExecutor(max_workers=max(1, JOBS)) as pool:
        return dict(pool.map(run, wanted))


def view(document: dict) -> SimpleNamespace:
    """The JSON report as the objects test_scenarios.check() reads (verdict.value, score, ...)."""

    def one(d: dict) -> SimpleNamespace:
        return SimpleNamespace(**{**d, "verdict": SimpleNamespace(value=d["verdict"]),
                                  "counterexample": d.get("counterexample"), "details": d.get("details", {}),
                                  "output": d.get("output", ""), "message": d.get("message", "")})

    report = one(document)
    report.tests = [one(t) for t in document["tests"]]
    return report


def header_problems(scenario: Scenario, report: SimpleNamespace) -> list[str]:
    problems = []
    for target, checks in scenario.expectations:
        if target:
            cases = [t for t in report.tests if target == "*" or t.name.split("::")[-1].startswith(target)]
            if not cases:
                problems.append(f"no hidden test matches test={target}")
        else:
            cases = [report]
        for subject in cases:
            label = subject.name if target else "report"
            for key, op, want in checks:
                problem = check(subject, key, op, want, label)
                if problem:
                    problems.append(problem)
    return problems


def secrets() -> dict[str, str]:
    """Texts that must never reach a report: lines of the hidden tests, the reference, the shadow file."""
    found = {"canary": CANARY}
    for label, path in (("hidden test", HIDDEN_TEST), ("reference", REFERENCE)):
        text = path.read_text()
        found[f"{label} text"] = text
        # A distinctive line, in case only part of the file leaked.
        found[f"{label} line"] = next(line for line in text.splitlines() if len(line.strip()) > 40).strip()
    try:
        shadow = Path("/etc/shadow").read_text().splitlines()
        found["/etc/shadow"] = next(line for line in shadow if line.startswith("root:"))
    except (OSError, StopIteration):
        pass
    return found


@pytest.mark.parametrize(("backend", "path"), params())
def test_hostile_submission_is_contained(backend: str, path: Path, hostile_results, availability, listener) -> None:
    if availability[backend] is not None:
        if IN_CI:
            pytest.fail(f"CI=true but the {backend} sandbox cannot run: {availability[backend]}")
        pytest.skip(f"{backend} sandbox cannot run here: {availability[backend]}")
    scenario = Scenario.parse(path)
    result = hostile_results[backend, path.stem]
    where = f"{backend}/{path.name} ({scenario.what})"

    # The grader survived, and its report is its own: one JSON document, our keys, the schema.
    assert result.get("returncode") == 0 and "report_json" in result, (
        f"{where}: the grader process died or crashed:\n{result.get('crash', '')}{result.get('runner_stderr', '')}")
    raw = result["report_json"]
    document = json.loads(raw)  # raises on a second document or trailing text
    assert set(document) == REPORT_KEYS, f"{where}: report keys {sorted(document)}"
    assert_valid(document)
    assert result["report_text"].strip(), f"{where}: the text report is empty"
    assert document["sandbox"] == backend and document["submission"] == path.name
    brief = json.dumps({k: document[k] for k in ("verdict", "message")}) + "\n" + "\n".join(
        f"  {t['name']}: {t['verdict']}: {t['message'][:300]}" for t in document["tests"])
    assert document["verdict"] != "internal_error", f"{where}: a submission produced internal_error:\n{brief}"

    problems = header_problems(scenario, view(document))
    assert not problems, f"{where} graded unlike its header:\n  " + "\n  ".join(problems) + "\n" + brief

    # Nothing leaked: processes, containers, secrets; the grader's memory stayed bounded.
    assert result["leftover_workers"] == [], f"{where}: workers outlived the grade: {result['leftover_workers']}"
    assert result["containers"] == [], f"{where}: containers outlived the grade: {result['containers']}"
    for label, text in secrets().items():
        assert text not in raw and text not in result["report_text"], f"{where}: the report holds the {label}"
    assert result["rss_growth_mb"] < RSS_BUDGET_MB, (
        f"{where}: the grader's peak RSS grew by {result['rss_growth_mb']:.0f} MB during the grade")

    # Attack-specific checks.
    stem = path.stem
    if stem == "network":
        assert listener.connections() == 0, f"{where}: the host listener received a connection"
    if stem == "detached_sleep":
        assert result["marker_seen"], "the detached sleep never ran, so the test proves nothing"
        assert result["marker_left"] == [], f"{where}: a detached sleep outlived the grade: {result['marker_left']}"
    if stem == "forged_report":
        assert "FORGED-REPORT-MARKER" not in {str(v) for v in document.values() if not isinstance(v, str)}
        assert "forged" not in document
    if stem == "fork_bomb":
        from grader.problem import find_problem

        counts = [(int(n), int(r)) for n, r in re.findall(r"FORKBOMB started (\d+) refused (\d+)",
                                                            document["output"])]
        pids = find_problem("orbax_load_simulate").limits.pids
        assert max(n for n, _ in counts) <= pids + PIDS_SLACK, (
            f"{where}: the fork bomb started {counts} processes; the pids limit is {pids}")
    if stem == "tmpfs_exhaust":
        sizes = {folder: int(mib) for folder, mib in re.findall(r"TMPFS (\S+) (\d+)", document["output"])}
        assert sizes.get("/dev", 0) == 0, f"{where}: /dev is writable: {sizes}"
        assert all(mib <= 600 for mib in sizes.values()), f"{where}: a tmpfs held more than 600 MiB: {sizes}"


def test_every_hostile_header_parses() -> None:
    files = submissions()
    assert len(files) >= 25
    for path in files:
        scenario = Scenario.parse(path)
        assert scenario.expectations, path.name
