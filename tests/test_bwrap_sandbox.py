"""The bwrap backend, end to end: real grades of probing submissions in a bubblewrap sandbox.

Each probing submission checks one property of the sandbox when it is imported
and raises, naming what it found, if the sandbox falls short; otherwise it
defines a correct solution, so a sound sandbox turns every probe into an
``accepted`` grade. Skipped where bubblewrap cannot run, except under CI=true,
where that is a failure.
"""

from __future__ import annotations

import ast
import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from grader.errors import SandboxUnavailable
from grader.grade import grade
from grader.problem import find_problem
from grader.sandbox import load_backend
from grader.sandbox.base import BASE_ENV

from conftest import marked

# no_leftover_workers (tests/conftest.py) also fails a test whose grade left a worker behind.
pytestmark = [pytest.mark.bwrap, pytest.mark.slow, pytest.mark.usefixtures("no_leftover_workers")]

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "reference" / "orbax_load_simulate.py"

# Every probe ends with the reference's body, so a probe that finds nothing is accepted.
SOLUTION = '''
import numpy as np


def orbax_load_simulate(seed, x, features):
    from flax import nnx
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
'''


def _unavailable() -> str | None:
    try:
        load_backend("bwrap")
    except SandboxUnavailable as exc:
        return str(exc)
    return None


UNAVAILABLE = _unavailable()


@pytest.fixture(autouse=True)
def _needs_bwrap() -> None:
    if UNAVAILABLE is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the bwrap sandbox cannot run: {UNAVAILABLE}")
        pytest.skip(f"bwrap sandbox cannot run here: {UNAVAILABLE}")


@pytest.fixture(scope="module")
def problem():
    return find_problem("orbax_load_simulate").with_limits(call_seconds=5, import_seconds=30)


def run(problem, tmp_path: Path, probe: str, name: str = "probe.py"):
    path = tmp_path / name
    path.write_text(probe + SOLUTION)
    report = grade(problem, path, sandbox="bwrap", max_examples=5)
    assert report.sandbox == "bwrap"
    return report


def assert_accepted(report) -> None:
    assert report.verdict.value == "accepted", json.dumps(report.to_dict(), indent=1)[:6000]


def docstring(path: Path) -> str:
    text = ast.get_docstring(ast.parse(path.read_text()))
    assert text
    return text


def test_reference_is_accepted(problem, tmp_path: Path) -> None:
    report = grade(problem, REFERENCE, sandbox="bwrap", max_examples=5)
    assert report.sandbox == "bwrap"
    assert report.warnings == []
    assert_accepted(report)


def test_hidden_tests_and_reference_are_not_visible(problem, tmp_path: Path) -> None:
    hidden = problem.root / "tests" / "test_orbax_load_simulate.py"
    forbidden = [str(problem.root), str(hidden), str(REFERENCE), "/etc/shadow", "/root/.ssh",
                 "/root/.bash_history"]
    probe = f'''
import os

FORBIDDEN = {forbidden!r}
found = [path for path in FORBIDDEN if os.path.lexists(path)]
# A venv inside the checkout (CI's .venv) is bound at its own path, so the checkout's folder
# exists as its mount point; nothing else of the checkout may show there.
for repo in {[str(REPO), "/work/main"]!r}:
    if os.path.isdir(repo):
        found += [os.path.join(repo, n) for n in os.listdir(repo) if n != ".venv"]
mine = os.path.join(os.getcwd(), os.path.basename(__file__))
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    if root == "/usr":
        dirs[:] = [d for d in dirs if d != "share"]
    for name in dirs + files:
        path = os.path.join(root, name)
        if path == mine:
            continue
        if "orbax_load_simulate" in name or name in ("problem.toml", "statement.md", "starter.py") \\
                or (name in ("reference", "problems") and os.path.isdir(path)
                    and any("orbax" in entry for entry in os.listdir(path))):
            found.append(path)
if found:
    raise RuntimeError(f"the sandbox shows {{len(found)}} forbidden paths: {{found[:20]}}")
'''
    report = run(problem, tmp_path, probe)
    text = json.dumps(report.to_dict())
    assert docstring(hidden).splitlines()[0] not in text
    assert docstring(REFERENCE).splitlines()[0] not in text
    assert_accepted(report)


def test_network_is_unreachable(problem, tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    probe = f'''
import socket

reached = []
for address in (("127.0.0.1", {port}), ("1.1.1.1", 53), ("8.8.8.8", 443)):
    try:
        socket.create_connection(address, timeout=2).close()
    except OSError:
        continue
    reached.append(address)
if reached:
    raise RuntimeError(f"the sandbox reached the network: {{reached}}")
'''
    try:
        report = run(problem, tmp_path, probe)
        with pytest.raises(socket.timeout):
            listener.accept()[0].close()
    finally:
        listener.close()
    assert_accepted(report)


def test_writes_outside_scratch_fail(problem, tmp_path: Path) -> None:
    probe = '''
import os, sys, tempfile

targets = ["/usr", "/opt", "/opt/grader/lib", "/", "/etc", sys.prefix, sys.base_prefix,
           os.path.dirname(os.__file__)]
written = []
for directory in targets:
    path = os.path.join(directory, "grader-bwrap-probe")
    try:
        with open(path, "w") as f:
            f.write("x")
    except OSError:
        continue
    written.append(path)
# The scratch folders do work: cwd, HOME and TMPDIR.
for directory in (os.getcwd(), os.environ["HOME"], tempfile.gettempdir()):
    with open(os.path.join(directory, "scratch-probe"), "w") as f:
        f.write("ok")
if written:
    raise RuntimeError(f"the sandbox let the submission write {written}")
'''
    assert_accepted(run(problem, tmp_path, probe))


def test_detached_background_process_is_killed(problem, tmp_path: Path) -> None:
    marker = f"1000.{uuid.uuid4().int % 10**9:09d}"
    probe = f'''
import os, shutil

sleep = shutil.which("sleep")
child = os.fork()
if child == 0:
    try:
        os.setsid()
        if os.fork() == 0:
            os.execv(sleep, ["sleep", "{marker}"])
    finally:
        os._exit(0)
os.waitpid(child, 0)
'''
    seen = threading.Event()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set() and not seen.is_set():
            if marked(marker):
                seen.set()
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        report = run(problem, tmp_path, probe)
    finally:
        done.set()
        watcher.join()
    assert_accepted(report)
    assert seen.is_set(), "the probe's detached sleep never ran, so the test proves nothing"
    deadline = time.monotonic() + 3
    while marked(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not marked(marker), f"a detached `sleep {marker}` outlived the grade: pids {marked(marker)}"



def test_runs_unprivileged_in_its_own_namespaces(problem, tmp_path: Path, monkeypatch) -> None:
    canary = uuid.uuid4().hex
    monkeypatch.setenv("GRADER_TEST_SECRET_TOKEN", canary)
    expected = sorted({*BASE_ENV, "HOME", "TMPDIR", *problem.env})
    probe = (f"EXPECTED_ENV = {expected!r}\nCANARY = {canary!r}\n"
             + '''
import os, socket

problems = []
if os.getuid() == 0 or os.geteuid() == 0 or os.getgid() == 0:
    problems.append(f"uid {os.getuid()}/{os.geteuid()} gid {os.getgid()}")
with open("/proc/self/status") as f:
    caps = {line.split(":")[0]: int(line.split()[1], 16) for line in f if line.startswith("Cap")}
if caps.get("CapEff") or caps.get("CapPrm") or caps.get("CapBnd"):
    problems.append(f"capabilities {caps}")
pids = [entry for entry in os.listdir("/proc") if entry.isdigit()]
if len(pids) > 10:
    problems.append(f"{len(pids)} processes visible: not a private pid namespace")
if socket.gethostname() != "sandbox":
    problems.append(f"hostname {socket.gethostname()!r}: not a private uts namespace")
# The environment the worker was started with (Python's imports may have added to os.environ since).
with open("/proc/self/environ", "rb") as f:
    initial = dict(item.decode().split("=", 1) for item in f.read().split(b"\\0") if item)
# bwrap's --chdir sets PWD, to the sandbox's own cwd.
extra = sorted(set(initial) - set(EXPECTED_ENV) - {"PWD"})
missing = sorted(set(EXPECTED_ENV) - set(initial))
if extra or missing or any(CANARY in value for value in initial.values()):
    problems.append(f"the environment is not exactly the worker's: extra {extra}, missing {missing}")
if problems:
    raise RuntimeError("; ".join(problems))
''')
    assert_accepted(run(problem, tmp_path, probe))
