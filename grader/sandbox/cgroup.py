"""A pids + memory cgroup per local worker (bwrap and process backends).

rlimits cannot bound what these backends need bounded: RLIMIT_NPROC is not
enforced for a host root user (bwrap's sandbox user maps to it), and tmpfs
pages escape RLIMIT_AS. A cgroup caps both, and also lets kill() find every
process a submission started, however it detached. The worker is placed in
the cgroup by a tiny shell wrapper *before* it execs, so no process escapes
by forking early. Where no cgroup can be written (no privileges, no
controllers) workers run without one and the sandbox selection warns.
"""

from __future__ import annotations

import os
import shlex
import signal
import time
import uuid
from pathlib import Path

V1_ROOT = Path("/sys/fs/cgroup")


def _own_v1_path(controller: str) -> Path | None:
    """Where this process sits in a cgroup-v1 hierarchy (new groups go below it)."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                return V1_ROOT / controller / path.lstrip("/")
    except OSError:
        return None
    return None


class Cgroup:
    """The cgroup directories (one per controller) of one worker."""

    def __init__(self, dirs: dict[str, Path], version: int) -> None:
        self.dirs, self.version = dirs, version

    @classmethod
    def create(cls, pids_max: int, memory_bytes: int) -> "Cgroup | None":
        """A fresh cgroup with these limits, or None where cgroups cannot be written here."""
        name = f"grader-{uuid.uuid4().hex[:12]}"
        if (V1_ROOT / "pids").is_dir() and (V1_ROOT / "memory").is_dir():
            dirs: dict[str, Path] = {}
            try:
                for controller in ("pids", "memory"):
                    parent = _own_v1_path(controller) or V1_ROOT / controller
                    dirs[controller] = parent / name
                    dirs[controller].mkdir()
                (dirs["pids"] / "pids.max").write_text(str(pids_max))
                (dirs["memory"] / "memory.limit_in_bytes").write_text(str(memory_bytes))
                return cls(dirs, 1)
            except OSError:
                cls(dirs, 1).remove()
                return None
        if (V1_ROOT / "cgroup.controllers").is_file():
            unified = V1_ROOT / name
            try:
                unified.mkdir()
                (unified / "pids.max").write_text(str(pids_max))
                (unified / "memory.max").write_text(str(memory_bytes))
                (unified / "memory.swap.max").write_text("0")
                return cls({"unified": unified}, 2)
            except OSError:
                cls({"unified": unified}, 2).remove()
                return None
        return None

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` behind a shell that first moves itself into this cgroup, then execs it."""
        moves = " && ".join(f"echo $$ > {shlex.quote(str(d / 'cgroup.procs'))}" for d in self.dirs.values())
        return ["/bin/sh", "-c", f'{moves} && exec "$@"', "grader-cgroup", *argv]

    def pids(self) -> list[int]:
        found: set[int] = set()
        for d in self.dirs.values():
            try:
                found.update(int(p) for p in (d / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return sorted(found)

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup until it is empty (forks racing the kill included)."""
        deadline = time.monotonic() + 5
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.01)

    def oom_killed(self) -> bool:
        """Whether the kernel's OOM killer acted on this cgroup."""
        try:
            if self.version == 1:
                text = (self.dirs["memory"] / "memory.oom_control").read_text()
                counters = dict(line.split() for line in text.splitlines() if len(line.split()) == 2)
                if int(counters.get("oom_kill", "0")) > 0:
                    return True
                return int((self.dirs["memory"] / "memory.failcnt").read_text()) > 0 \
                    and "oom_kill" not in counters
            events = (self.dirs["unified"] / "memory.events").read_text().split()
            return int(events[events.index("oom_kill") + 1]) > 0
        except (OSError, ValueError, KeyError, IndexError):
            return False

    def remove(self) -> None:
        for d in self.dirs.values():
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # still populated for a moment after the kill
                    time.sleep(0.02)


_AVAILABLE: bool | None = None


def available() -> bool:
    """Whether this machine lets the grader create worker cgroups (checked once)."""
    global _AVAILABLE
    if _AVAILABLE is None:
        probe = Cgroup.create(pids_max=8, memory_bytes=64 << 20)
        _AVAILABLE = probe is not None
        if probe is not None:
            probe.remove()
    return _AVAILABLE
