"""A local worker process reached over pipes: shared by the process and bwrap backends."""

from __future__ import annotations

import ctypes
import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

from ..problem import Limits
from .base import CapturedStream, ExitStatus
from .cgroup import Cgroup

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Make orphaned descendants re-parent to this process, so none can slip away unkilled."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class PipeTransport:
    """The worker's stdin (to it) and stdout (from it) as a transport."""

    def __init__(self, to_worker: int, from_worker: int) -> None:
        self._tx, self._rx = to_worker, from_worker

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                sent = os.write(self._tx, view)
            except BrokenPipeError:
                raise EOFError("worker closed its input") from None
            view = view[sent:]

    def read(self, n: int, timeout: float) -> bytes:
        ready, _, _ = select.select([self._rx], [], [], max(0.0, timeout))
        if not ready:
            raise TimeoutError
        return os.read(self._rx, n)

    def close(self) -> None:
        for fd in (self._tx, self._rx):
            try:
                os.close(fd)
            except OSError:
                pass


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, start time in clock ticks since boot), read from /proc."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may contain spaces and parentheses; fields follow the last ')'.
        fields = stat[stat.rfind(b")") + 2:].split()
        table[int(entry)] = (int(fields[1]), int(fields[19]))
    return table


def descendants(root: int) -> list[int]:
    """Every process below ``root`` in the process tree, read from /proc."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in _process_table().items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def orphans_since(started: int, known: set[int]) -> list[int]:
    """Our direct children started at or after ``started`` that we did not start ourselves.

    With this process as subreaper, a submission's double-forked, setsid()'d
    background process re-parents here, out of the worker's tree and group.
    """
    me = os.getpid()
    return [pid for pid, (parent, start) in _process_table().items()
            if parent == me and start >= started and pid not in known]


class LocalWorker:
    """A worker started with subprocess in its own session; killed as a whole tree."""

    #: Root pids of the workers alive in this process (never mistaken for orphans).
    live_roots: set[int] = set()

    def __init__(self, argv: list[str], env: dict[str, str], cwd: str, cleanup: list[Path],
                 limits: Limits | None = None) -> None:
        become_subreaper()
        self._cleanup = cleanup
        self._status: ExitStatus | None = None
        self.cgroup = Cgroup.create(limits.pids, limits.memory_mb << 20) if limits is not None else None
        if self.cgroup is not None:
            argv = self.cgroup.wrap(argv)
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, cwd=cwd, start_new_session=True, close_fds=True,
        )
        assert self.process.stdin and self.process.stdout and self.process.stderr
        LocalWorker.live_roots.add(self.process.pid)
        self._started = _process_table().get(self.process.pid, (0, 0))[1]
        self.transport = PipeTransport(os.dup(self.process.stdin.fileno()), os.dup(self.process.stdout.fileno()))
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        self._stderr = CapturedStream()
        self._drain = self._stderr.drain_fd(os.dup(self.process.stderr.fileno()))
        self.process.stderr.close()

    def output(self) -> CapturedStream:
        return self._stderr

    def poll(self) -> ExitStatus | None:
        code = self.process.poll()
        return None if code is None else _status(code)

    def kill(self) -> ExitStatus:
        if self._status is not None:
            return self._status
        tree = descendants(self.process.pid)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        # Those that called setsid() left the group, not the tree; those that also
        # double-forked left the tree and re-parented to us.
        if self.cgroup is not None:
            self.cgroup.kill_all()
        stray = orphans_since(self._started, LocalWorker.live_roots)
        for pid in tree + stray + [d for o in stray for d in descendants(o)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._status = _status(self.process.wait())
        if self.cgroup is not None:
            self._status.oom_killed = self.cgroup.oom_killed()
            self.cgroup.remove()
        LocalWorker.live_roots.discard(self.process.pid)
        reap_orphans(tree + stray)
        self.transport.close()
        self._drain.join(timeout=2)
        for path in self._cleanup:
            shutil.rmtree(path, ignore_errors=True)
        return self._status


def reap_orphans(pids: list[int]) -> None:
    """Collect the exit status of killed descendants that re-parented to us (we are their subreaper)."""
    deadline = time.monotonic() + 2
    pending = set(pids)
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not our child: someone else reaps it, or it is gone
                pending.discard(pid)
                continue
            if done:
                pending.discard(pid)
        if pending:
            time.sleep(0.01)


def _status(code: int) -> ExitStatus:
    return ExitStatus(signal=-code) if code < 0 else ExitStatus(code=code)
