"""The docker backend, end to end: real grades of real (and hostile) submissions in containers.

Needs a Docker engine. The module fixture builds the sandbox image when it is not current
(`grader image build`, a minute or two the first time). Without an engine the tests skip,
except under CI=true, where they fail: a docker test must run in CI.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from grader.grade import grade
from grader.problem import find_problem
from grader.sandbox.base import WorkerSpec
from grader.verdict import Verdict

pytestmark = pytest.mark.docker

HOSTILE = Path(__file__).parent / "submissions" / "hostile"
REFERENCE = Path(__file__).resolve().parent.parent / "reference" / "orbax_load_simulate.py"
EXAMPLES = 5
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"docker tests must run in CI, but: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def docker_client():
    from grader.errors import SandboxUnavailable
    from grader.image import docker_client as connect

    try:
        client = connect(timeout=10)
    except SandboxUnavailable as exc:
        _unavailable(str(exc))
    yield client
    client.close()


@pytest.fixture(scope="module")
def sandbox_image(docker_client):
    """The image for this checkout, built if it is not current."""
    from grader.image import build_image, image_status

    status = image_status(docker_client)
    if not status.current:
        try:
            build_image(log=lambda line: None)
        except Exception as exc:  # noqa: BLE001 - any build failure means: cannot test here
            _unavailable(f"the sandbox image could not be built: {exc}")
        status = image_status(docker_client)
        assert status.current, status.describe()
    return status


@pytest.fixture(scope="module")
def problem(sandbox_image):
    return find_problem("orbax_load_simulate").with_limits(call_seconds=30, import_seconds=60, total_seconds=300)


def our_containers(client) -> list[dict]:
    from grader.sandbox.docker import LABEL, OWNER_LABEL

    owner = f"{socket.gethostname()}:{os.getpid()}"
    return client.api.containers(all=True, filters={"label": [f"{LABEL}=1", f"{OWNER_LABEL}={owner}"]})


def grade_file(problem, path: Path, **kwargs):
    return grade(problem, path, sandbox="docker", max_examples=EXAMPLES, **kwargs)


def test_reference_is_accepted_in_docker_and_the_container_is_removed(problem, docker_client):
    report = grade_file(problem, REFERENCE)
    assert report.sandbox == "docker"
    assert report.verdict is Verdict.ACCEPTED, [(t.name, t.verdict, t.message) for t in report.tests]
    assert not report.warnings  # docker is a security boundary: no "not isolated" warning
    import jax

    assert report.versions.get("jax") == jax.__version__
    assert our_containers(docker_client) == []


def test_no_network_host_loopback_bridge_engine_socket_and_dns_all_fail(problem, tmp_path):
    # Listen on every host address, so a container with any network could reach us on
    # 127.0.0.1 (host network) or 172.17.0.1 (the default bridge).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    accepted: list[object] = []

    def serve() -> None:
        listener.settimeout(1)
        while not stop.is_set():
            try:
                conn, peer = listener.accept()
            except OSError:
                continue
            accepted.append(peer)
            conn.close()

    stop = threading.Event()
    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        # The listener works from here: the sandbox's failure to connect is the sandbox's doing.
        socket.create_connection(("127.0.0.1", port), timeout=3).close()
        time.sleep(0.2)
        assert accepted, "the test's own listener does not answer"
        accepted.clear()
        submission = tmp_path / "no_network.py"
        submission.write_text((HOSTILE / "no_network.py").read_text().replace("@PORT@", str(port)))
        report = grade_file(problem, submission)
    finally:
        stop.set()
        server.join(timeout=3)
        listener.close()
    assert accepted == [], f"the sandbox connected to the host listener from {accepted}"
    assert report.verdict is Verdict.ACCEPTED, [(t.name, t.verdict, t.message) for t in report.tests]
    assert "network blocked: host loopback" in report.output
    assert "docker0 bridge" in report.output and "engine socket" in report.output


def test_read_only_root_non_root_user_no_capabilities_and_stderr_is_captured(problem):
    report = grade_file(problem, HOSTILE / "read_only_root.py")
    assert report.verdict is Verdict.ACCEPTED, [(t.name, t.verdict, t.message) for t in report.tests]
    assert "read-only root held; uid 10001; cwd /work" in report.output
    assert "raw write to fd 2 reached the grader" in report.output


def test_memory_bomb_is_memory_limit_and_leaves_no_container(problem, docker_client):
    report = grade_file(problem, HOSTILE / "memory_bomb.py")
    assert report.verdict is Verdict.MEMORY_LIMIT, [(t.name, t.verdict, t.message) for t in report.tests]
    assert our_containers(docker_client) == []


def test_cgroup_oom_kill_is_reported_as_memory_limit(problem, docker_client):
    # Memory that RLIMIT_AS cannot see (tmpfs pages) plus allocations: only the cgroup's OOM
    # killer stops this, and the verdict must still say memory, not crash.
    small = dataclasses.replace(problem.with_limits(memory_mb=320, import_seconds=60), preload=())
    report = grade_file(small, HOSTILE / "oom_bomb.py")
    assert report.verdict is Verdict.MEMORY_LIMIT, [(t.name, t.verdict, t.message) for t in report.tests]
    assert "killed for using too much memory" in " ".join(t.message for t in report.tests)
    assert our_containers(docker_client) == []


def test_kill_is_idempotent_and_reports_how_the_worker_ended(problem, docker_client):
    from grader.sandbox.docker import DockerSandbox

    worker = DockerSandbox().start(WorkerSpec(limits=problem.limits))
    first = worker.kill()
    assert worker.kill() is first
    assert not first.oom_killed and first.signal == signal.SIGKILL
    assert worker.transport.read(1, 0.5) == b""
    assert our_containers(docker_client) == []


def test_sigterm_removes_the_containers_of_the_grader(sandbox_image, docker_client):
    from grader.sandbox.docker import LABEL

    script = textwrap.dedent("""
        import sys, time
        from grader.problem import Limits
        from grader.sandbox.base import WorkerSpec
        from grader.sandbox.docker import DockerSandbox
        worker = DockerSandbox().start(WorkerSpec(limits=Limits()))
        print(worker.id, flush=True)
        time.sleep(120)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        container = child.stdout.readline().strip()
        assert container, "the child did not start a container"
        assert docker_client.api.containers(all=True, filters={"id": container, "label": f"{LABEL}=1"})
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == -signal.SIGTERM
    finally:
        if child.poll() is None:
            child.kill()
    assert docker_client.api.containers(all=True, filters={"id": container}) == []


def test_stale_containers_of_dead_graders_are_removed(sandbox_image, docker_client):
    from grader.sandbox.docker import LABEL, OWNER_LABEL, remove_stale_containers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owner = f"{socket.gethostname()}:{int(dead.stdout)}"
    created = docker_client.api.create_container(sandbox_image.image_id, command=["true"],
                                                 labels={LABEL: "1", OWNER_LABEL: owner})
    assert remove_stale_containers(docker_client) >= 1
    assert docker_client.api.containers(all=True, filters={"id": created["Id"]}) == []
