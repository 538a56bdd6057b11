"""The sandbox protocol: what every backend (process, bwrap, docker) provides.

A backend starts a *worker*: the learner-side process running
``grader.worker``, reachable only through a byte transport. The trusted side
frames messages over that transport with :mod:`grader.worker.wire`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..problem import Limits

WORKER_PACKAGE = Path(__file__).resolve().parent.parent / "worker"

# The only environment a worker sees, plus what the problem asks for. Scrubbed
# so that no token, path or proxy setting of the grader's leaks into the sandbox,
# and so that JAX behaves the same on both sides (no stray JAX_ENABLE_X64).
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONUNBUFFERED": "1",
    "JAX_PLATFORMS": "cpu",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class WorkerSpec:
    """What a backend needs to start one worker."""

    limits: Limits
    env: dict[str, str] = field(default_factory=dict)
    # A read-only folder the worker may see (e.g. a checkpoint the trusted side wrote), mounted at /data.
    data_dir: Path | None = None

    def environment(self, home: str, scratch: str) -> dict[str, str]:
        env = dict(BASE_ENV, HOME=home, TMPDIR=scratch)
        env.update(self.env)
        return env


@dataclass
class ExitStatus:
    """How a worker ended: exit code or signal, and whether the kernel's OOM killer did it."""

    code: int | None = None
    signal: int | None = None
    oom_killed: bool = False

    def describe(self) -> str:
        if self.oom_killed:
            return "was killed for using too much memory"
        if self.signal is not None:
            import signal as _signal

            try:
                name = _signal.Signals(self.signal).name
            except ValueError:
                name = f"signal {self.signal}"
            return f"was killed by {name}"
        if self.code is not None:
            return f"exited with code {self.code}"
        return "ended"


class Transport(Protocol):
    """A bidirectional byte stream to the worker."""

    def write(self, data: bytes) -> None: ...

    def read(self, n: int, timeout: float) -> bytes:
        """Up to ``n`` bytes; ``b""`` at end of stream; raises TimeoutError after ``timeout`` seconds."""
        ...

    def close(self) -> None: ...


class Worker(Protocol):
    """A running sandboxed worker process."""

    transport: Transport

    def output(self) -> "CapturedStream": ...

    def kill(self) -> ExitStatus:
        """Kill the worker and everything it started; wait for it; return how it ended."""
        ...

    def poll(self) -> ExitStatus | None:
        """How the worker ended, or None while it runs."""
        ...


class Sandbox(Protocol):
    """A sandbox backend."""

    name: str
    #: False for backends that are not a security boundary (the report warns).
    isolated: bool

    def start(self, spec: WorkerSpec) -> Worker: ...


class CapturedStream:
    """Drains a worker's stderr so it can never block, keeping the first ``cap`` bytes."""

    def __init__(self, cap: int = 64 * 1024) -> None:
        self.cap = cap
        self._kept = bytearray()
        self.dropped = 0
        self._lock = threading.Lock()
        self.mark = 0

    def feed(self, data: bytes) -> None:
        with self._lock:
            room = self.cap - len(self._kept)
            if room > 0:
                self._kept += data[:room]
            self.dropped += max(0, len(data) - max(room, 0))

    def drain_fd(self, fd: int) -> threading.Thread:
        """Start a daemon thread that reads ``fd`` to end of file into this buffer."""

        def run() -> None:
            try:
                while chunk := os.read(fd, 1 << 16):
                    self.feed(chunk)
            except OSError:
                pass
            finally:
                os.close(fd)

        thread = threading.Thread(target=run, name="worker-stderr", daemon=True)
        thread.start()
        return thread

    def text(self) -> str:
        with self._lock:
            text = bytes(self._kept).decode("utf-8", errors="replace").replace("\0", "\\0")
            if self.dropped:
                text += f"\n[... {self.dropped} more bytes of output dropped ...]\n"
            return text


def stage_worker_package(into: Path) -> Path:
    """Copy the worker package into ``into/grader_worker`` and return ``into``.

    Copying (rather than pointing at the checkout) means the sandbox sees the
    worker's few files and nothing else of the repository.
    """
    target = into / "grader_worker"
    shutil.copytree(WORKER_PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return into


def make_private_dir(prefix: str) -> Path:
    """A fresh temporary directory, mode 0700, for one worker's files."""
    return Path(tempfile.mkdtemp(prefix=prefix))


# Run the staged package as ``grader_worker`` under -I (isolated mode: no
# PYTHONPATH, no user site, no script directory on sys.path).
WORKER_BOOTSTRAP = (
    "import sys, runpy; sys.path.insert(0, sys.argv[1]); "
    "runpy.run_module('grader_worker', run_name='__main__', alter_sys=True)"
)
