"""The ``bwrap`` backend: the worker in a bubblewrap sandbox.

Every namespace is unshared (user, pid, network, IPC, UTS, cgroup, mount). The
worker runs as ``nobody`` (65534) with no capabilities, in a new session, with
an empty environment plus exactly the worker's. Its file system is built from
scratch on a read-only root:

* read-only: ``/usr`` (``/lib``, ``/lib64``, ``/bin``, ``/sbin`` as they are on
  the host: symlinks or binds), ``/etc/ld.so.cache``, the interpreter's base
  prefix and the venv (at their own paths, so ``sys.prefix`` resolves), the
  staged worker package at ``/opt/grader/lib``, the data folder at ``/data``;
* fresh: ``/proc`` (of the new pid namespace), a minimal read-only ``/dev``, size-capped
  tmpfs ``/dev/shm``, ``/tmp`` and ``/work`` (the worker's cwd and ``HOME``);
* synthesized: ``/etc/passwd`` and ``/etc/group`` naming only ``nobody``.

Nothing else of the host is visible: not the repository (problems, hidden
tests, reference solutions), not ``/root`` beyond the interpreter's own
directories, not the rest of ``/etc``. The pid namespace's init is bwrap's
child, so killing the worker's tree (what :class:`LocalWorker` does) takes
every process the submission started with it, detached or not.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import SandboxUnavailable
from .base import WORKER_BOOTSTRAP, WorkerSpec, make_private_dir, stage_worker_package
from .pipes import LocalWorker
from .rlimits import rlimit_prelude

SANDBOX_UID = 65534
SANDBOX_GID = 65534
SCRATCH = "/work"  # cwd and HOME inside the sandbox (a tmpfs)
TMP = "/tmp"
LIB = "/opt/grader/lib"  # the staged worker package
DATA = "/data"
HOST_PATH = "/usr/local/bin:/usr/bin:/bin"
SCRATCH_BYTES = 512 << 20  # each of /work and /tmp; RLIMIT_FSIZE caps single files too

# Host system directories the interpreter and its libraries may need. Each is
# mirrored as it is on the host: a symlink stays a symlink (merged /usr), a
# directory is bound read-only.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache",)

PASSWD = f"nobody:x:{SANDBOX_UID}:{SANDBOX_GID}:nobody:{SCRATCH}:/usr/sbin/nologin\n"
GROUP = f"nogroup:x:{SANDBOX_GID}:\n"

# Namespace and privilege options, shared by the availability probe and the worker.
ISOLATION = [
    "--unshare-all", "--unshare-user",
    "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID),
    "--hostname", "sandbox",
    "--die-with-parent", "--new-session", "--cap-drop", "ALL",
    "--clearenv",
]
# Used when the installed bwrap has it (0.8+): no nested user namespaces inside the sandbox.
NO_NESTED_USERNS = ["--disable-userns"]


@dataclass(frozen=True)
class Features:
    """What the installed bwrap supports, from its --help."""

    tmpfs_size: bool = False
    disable_userns: bool = False

    def isolation(self) -> list[str]:
        return ISOLATION + (NO_NESTED_USERNS if self.disable_userns else [])


def python_dirs() -> list[str]:
    """The directories the running interpreter needs: base prefix, venv, site-packages.

    Only these exact directories are bound, so a venv or a pyenv under ``/root``
    exposes nothing else of ``/root``.
    """
    candidates = [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix,
                  os.path.dirname(os.path.realpath(sys.executable))]
    paths = sysconfig.get_paths()
    candidates += [paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths]
    try:
        candidates += site.getsitepackages()
    except AttributeError:  # some embedded interpreters lack it
        pass
    found: list[str] = []
    for path in candidates:
        if not path or not os.path.isdir(path):
            continue
        for real in {os.path.abspath(path), os.path.realpath(path)}:
            if real == "/" or real in found:
                continue
            found.append(real)
    # Drop directories already inside another one (or inside /usr, bound anyway).
    found.sort(key=len)
    kept: list[str] = []
    for path in found:
        if any(path == root or path.startswith(root.rstrip("/") + "/") for root in (*kept, "/usr")):
            continue
        kept.append(path)
    return kept


def system_binds() -> list[str]:
    args: list[str] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        if os.path.isfile(path):
            args += ["--ro-bind", path, path]
    return args


class BwrapSandbox:
    """A bubblewrap sandbox per worker, killed as a whole tree."""

    name = "bwrap"
    isolated = True
    data_mount = DATA  # where the worker sees a problem's prepared data folder

    # check_available() runs a real sandbox once per process and remembers the answer.
    _probe_lock = threading.Lock()
    _probe: dict[str, tuple[str | None, Features]] = {}

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable or shutil.which("bwrap") or ""
        self.features = Features()

    def check_available(self) -> None:
        """Raise SandboxUnavailable (with the reason) unless bwrap can start a sandbox here."""
        if not self.executable:
            raise SandboxUnavailable("sandbox 'bwrap' is not available: bubblewrap (bwrap) is not on PATH")
        with self._probe_lock:
            if self.executable not in self._probe:
                self._probe[self.executable] = self._run_probe()
        error, self.features = self._probe[self.executable]
        if error is not None:
            raise SandboxUnavailable(f"sandbox 'bwrap' is not available: {error}")

    def _run_probe(self) -> tuple[str | None, Features]:
        features = Features()
        try:
            help_text = subprocess.run([self.executable, "--help"], capture_output=True, text=True,
                                       timeout=10).stdout
            features = Features(tmpfs_size="--size" in help_text, disable_userns="--disable-userns" in help_text)
            tmpfs = (["--size", str(1 << 20)] if features.tmpfs_size else []) + ["--tmpfs", SCRATCH]
            argv = [self.executable, *features.isolation(), *system_binds(), "--proc", "/proc", "--dev", "/dev",
                    *tmpfs, "--chdir", SCRATCH, "--remount-ro", "/", "--", "true"]
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=30, env={"PATH": "/usr/bin:/bin"})
        except (OSError, subprocess.SubprocessError) as exc:
            return f"running {self.executable} failed: {exc}", features
        if done.returncode != 0:
            reason = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
            return (f"a trial sandbox failed ({reason[0]}); user namespaces may be disabled here "
                    "(kernel.unprivileged_userns_clone, user.max_user_namespaces, or a container's seccomp)",
                    features)
        return None, features

    def argv(self, spec: WorkerSpec, lib: Path, etc: Path) -> list[str]:
        """The bwrap command line for one worker (``lib``: the staged package; ``etc``: passwd/group)."""
        env = spec.environment(home=SCRATCH, scratch=TMP)
        mounts = [*system_binds(),
                  "--ro-bind", str(etc / "passwd"), "/etc/passwd",
                  "--ro-bind", str(etc / "group"), "/etc/group",
                  "--proc", "/proc", "--dev", "/dev"]
        size = ["--size", str(SCRATCH_BYTES)] if self.features.tmpfs_size else []
        # bwrap's /dev is a tmpfs without a size cap, and so would be /dev/shm: either would let a
        # submission fill host memory (tmpfs pages escape RLIMIT_AS). A capped /dev/shm, a read-only /dev.
        mounts += [*size, "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
        # The tmpfs mounts come before the interpreter's binds, which may live below /tmp (a venv there).
        mounts += [*size, "--tmpfs", TMP, *size, "--tmpfs", SCRATCH]
        for path in python_dirs():
            mounts += ["--ro-bind", path, path]
        mounts += ["--ro-bind", str(lib), LIB]
        if spec.data_dir is not None:
            mounts += ["--ro-bind", str(Path(spec.data_dir).resolve()), DATA]
            env["GRADER_DATA"] = DATA
        setenv: list[str] = []
        for key, value in env.items():
            setenv += ["--setenv", key, value]
        return [self.executable, *self.features.isolation(), *setenv, *mounts,
                "--remount-ro", "/", "--chdir", SCRATCH, "--",
                sys.executable, "-I", "-c", rlimit_prelude(spec.limits) + WORKER_BOOTSTRAP, LIB]

    def start(self, spec: WorkerSpec) -> LocalWorker:
        self.check_available()
        base = make_private_dir("grader-bwrap-")
        lib = stage_worker_package(base / "lib")
        etc = base / "etc"
        etc.mkdir()
        (etc / "passwd").write_text(PASSWD)
        (etc / "group").write_text(GROUP)
        # bwrap itself gets a bare environment too; --clearenv empties the worker's.
        return LocalWorker(self.argv(spec, lib, etc), env={"PATH": HOST_PATH}, cwd=str(base), cleanup=[base],
                           limits=spec.limits)
