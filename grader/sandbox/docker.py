"""The ``docker`` backend: one throw-away container per worker, from the image of :mod:`grader.image`.

The container has no network, a read-only root, tmpfs scratch space, no
capabilities, no privilege escalation, a non-root user, and memory (without
swap), process and CPU limits from the problem. The channel is the container's
stdin/stdout through the engine's attach socket, opened *before* the container
starts so no byte is lost; with ``tty=False`` the engine multiplexes what the
container writes into frames (8-byte header: stream type, 3 zero bytes, a
big-endian length), which :class:`AttachTransport` strips. Learner output
(stderr) comes through a second, stderr-only attach.

Containers are labelled ``grader.sandbox=1`` (and with their owner process)
and removed by :meth:`DockerWorker.kill`, at interpreter exit, on SIGTERM, and
by :func:`remove_stale_containers` for those whose owner died.
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import socket
import struct
import threading
import time
from typing import Any

from ..errors import SandboxError, SandboxUnavailable
from .base import WORKER_BOOTSTRAP, CapturedStream, ExitStatus, WorkerSpec
from .rlimits import rlimit_prelude

LABEL = "grader.sandbox"
OWNER_LABEL = "grader.sandbox.owner"
SCRATCH = "/work"
DATA_MOUNT = "/data"
USER = "10001:10001"
NANO_CPUS = 1_500_000_000  # 1.5 CPUs
TMPFS_OPTIONS = "rw,noexec,nosuid,nodev,size=64m,mode=1777"
ENGINE_TIMEOUT = 60.0  # seconds for one engine request once running (create, kill, remove)

_HEADER = struct.Struct(">BxxxL")
_STDOUT, _STDERR = 1, 2


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class AttachTransport:
    """A plain byte stream over an attach socket that carries multiplexed frames from the engine."""

    def __init__(self, sock: Any, stream: int = _STDOUT) -> None:
        self._holder = sock  # the SDK's SocketIO; keeps the HTTP response (and connection) alive
        self._sock: socket.socket = getattr(sock, "_sock", sock)
        self._stream = stream
        self._raw = bytearray()  # undecoded bytes from the socket
        self._data = bytearray()  # decoded payload of our stream, not yet read
        self._frame_left = 0  # payload bytes of the current frame still in self._raw's future
        self._frame_type = 0
        self._eof = False
        self._closed = False
        self._write_lock = threading.Lock()

    # -- writing -----------------------------------------------------------
    def write(self, data: bytes) -> None:
        if self._closed:
            raise EOFError("the channel to the worker is closed")
        with self._write_lock:
            try:
                self._sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                raise EOFError("worker closed its input") from None

    # -- reading -----------------------------------------------------------
    def read(self, n: int, timeout: float) -> bytes:
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._data:
            if self._eof or self._closed:
                return b""
            pending = getattr(self._sock, "pending", None)  # TLS may hold decrypted bytes select cannot see
            if not (pending and pending()):
                left = deadline - time.monotonic()
                ready, _, _ = select.select([self._sock], [], [], max(0.0, left))
                if not ready:
                    raise TimeoutError
            try:
                chunk = self._sock.recv(1 << 16)
            except (ConnectionResetError, OSError):
                chunk = b""
            if not chunk:
                self._eof = True
                continue
            self._demux(chunk)
        out = bytes(self._data[:n])
        del self._data[:n]
        return out

    def _demux(self, chunk: bytes) -> None:
        self._raw += chunk
        while self._raw:
            if self._frame_left == 0:
                if len(self._raw) < _HEADER.size:
                    return
                self._frame_type, self._frame_left = _HEADER.unpack_from(self._raw)
                del self._raw[:_HEADER.size]
                continue
            take = min(self._frame_left, len(self._raw))
            if self._frame_type == self._stream:
                self._data += self._raw[:take]
            del self._raw[:take]
            self._frame_left -= take

    def drain_into(self, sink: CapturedStream) -> threading.Thread:
        """Read this stream to its end in a daemon thread, feeding ``sink`` (for stderr)."""

        def run() -> None:
            try:
                while True:
                    try:
                        chunk = self.read(1 << 16, 3600.0)
                    except TimeoutError:
                        continue
                    if not chunk:
                        return
                    sink.feed(chunk)
            except Exception:
                pass

        thread = threading.Thread(target=run, name="docker-worker-stderr", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for step in (lambda: self._sock.shutdown(socket.SHUT_RDWR), self._sock.close, self._holder.close,
                     lambda: getattr(self._holder, "_response", None) and self._holder._response.close()):
            try:
                step()
            except Exception:
                pass


# -- live containers of this process, removed however the grader ends ---------

_live: dict[str, "DockerWorker"] = {}
_live_lock = threading.Lock()
_hooks_installed = False


def _remove_live() -> None:
    with _live_lock:
        workers = list(_live.values())
    for worker in workers:
        worker.kill()


def _install_hooks() -> None:
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(_remove_live)
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum: int, frame: Any) -> None:
        _remove_live()
        if callable(previous):
            previous(signum, frame)
            return
        if previous == signal.SIG_IGN:
            return
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    try:
        signal.signal(signal.SIGTERM, on_sigterm)
    except (ValueError, OSError):
        pass


def remove_stale_containers(client: Any = None, everyone: bool = False) -> int:
    """Remove containers labelled ``grader.sandbox=1`` whose owner process is gone (or all, with ``everyone``).

    Containers of this process and of other live graders on this host are left alone
    unless ``everyone`` is set. Returns how many were removed; never raises.
    """
    try:
        if client is None:
            from ..image import docker_client

            client = docker_client(timeout=10)
        found = client.api.containers(all=True, filters={"label": f"{LABEL}=1"})
    except Exception:
        return 0
    host = socket.gethostname()
    removed = 0
    for entry in found:
        owner = (entry.get("Labels") or {}).get(OWNER_LABEL, "")
        owner_host, _, owner_pid = owner.rpartition(":")
        if not everyone and owner_host == host and owner_pid.isdigit():
            if int(owner_pid) == os.getpid() or _alive(int(owner_pid)):
                continue
        try:
            client.api.remove_container(entry["Id"], force=True)
            removed += 1
        except Exception:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DockerWorker:
    """One worker in its own container."""

    def __init__(self, client: Any, image: str, python: str, spec: WorkerSpec) -> None:
        self._api = client.api
        self._status: ExitStatus | None = None
        self._stderr = CapturedStream()
        self._kill_lock = threading.Lock()
        limits = spec.limits
        env = spec.environment(home=SCRATCH, scratch=SCRATCH)
        binds = {}
        if spec.data_dir is not None:
            env["GRADER_DATA"] = DATA_MOUNT
            binds[str(spec.data_dir)] = {"bind": DATA_MOUNT, "mode": "ro"}
        memory = f"{int(limits.memory_mb)}m"
        host_config = self._api.create_host_config(
            network_mode="none", read_only=True, ipc_mode="private",
            tmpfs={SCRATCH: TMPFS_OPTIONS, "/tmp": TMPFS_OPTIONS},
            binds=binds or None,
            cap_drop=["ALL"], security_opt=["no-new-privileges"],
            mem_limit=memory, memswap_limit=memory, pids_limit=int(limits.pids), nano_cpus=NANO_CPUS,
            # The channel must not also go to a log file on the host: attach is the only reader.
            log_config={"type": "none", "config": {}},
            auto_remove=False, init=False, privileged=False,
        )
        command = [python, "-I", "-c", rlimit_prelude(limits) + WORKER_BOOTSTRAP, "/opt/grader/lib"]
        created = self._api.create_container(
            image, command=command, user=USER, working_dir=SCRATCH, environment=env,
            stdin_open=True, tty=False, network_disabled=True, use_config_proxy=False,
            labels={LABEL: "1", OWNER_LABEL: _owner()}, host_config=host_config,
        )
        self.id: str = created["Id"]
        with _live_lock:
            _live[self.id] = self
        self.transport: AttachTransport | None = None
        self._stderr_stream: AttachTransport | None = None
        self._drain: threading.Thread | None = None
        try:
            # Attach before starting, so nothing the worker writes early is lost.
            self.transport = AttachTransport(self._api.attach_socket(
                self.id, params={"stdin": 1, "stdout": 1, "stream": 1}), _STDOUT)
            self._stderr_stream = AttachTransport(self._api.attach_socket(
                self.id, params={"stderr": 1, "stream": 1}), _STDERR)
            self._drain = self._stderr_stream.drain_into(self._stderr)
            self._api.start(self.id)
        except Exception as exc:
            self.kill()
            raise SandboxError(f"sandbox 'docker' could not start a container: {exc}") from None

    def output(self) -> CapturedStream:
        return self._stderr

    def poll(self) -> ExitStatus | None:
        if self._status is not None:
            return self._status
        try:
            state = self._api.inspect_container(self.id)["State"]
        except Exception:
            return None
        return None if state.get("Running") else _status(state)

    def kill(self) -> ExitStatus:
        with self._kill_lock:
            if self._status is not None:
                return self._status
            status = ExitStatus()
            try:
                state = self._api.inspect_container(self.id)["State"]
                if state.get("Running") or state.get("Status") == "created":
                    # Close the channel first: an unread reply blocks the engine's stream copier,
                    # and the container cannot finish exiting (wait() hangs) until it drains.
                    if self.transport is not None:
                        self.transport.close()
                    try:
                        self._api.kill(self.id)
                    except Exception:
                        pass  # it stopped in between
                    self._api.wait(self.id, timeout=ENGINE_TIMEOUT)
                    state = self._api.inspect_container(self.id)["State"]
                elif state.get("ExitCode") == 137 and not state.get("OOMKilled"):
                    # It died by SIGKILL on its own: the engine may record the OOM event a moment later.
                    time.sleep(0.2)
                    state = self._api.inspect_container(self.id)["State"]
                status = _status(state)
            except Exception:
                pass
            self._status = status
            for stream in (self.transport, self._stderr_stream):
                if stream is not None:
                    stream.close()
            if self._drain is not None:
                self._drain.join(timeout=2)
            try:
                self._api.remove_container(self.id, force=True)
            except Exception as exc:
                if "No such container" not in str(exc) and "404" not in str(exc):
                    # Retry once; remove_stale_containers() gets it otherwise (its owner will be gone).
                    try:
                        time.sleep(0.5)
                        self._api.remove_container(self.id, force=True)
                    except Exception:
                        pass
            with _live_lock:
                _live.pop(self.id, None)
            return status


def _status(state: dict[str, Any]) -> ExitStatus:
    code = state.get("ExitCode")
    oom = bool(state.get("OOMKilled"))
    if isinstance(code, int) and code > 128:
        return ExitStatus(signal=code - 128, oom_killed=oom)
    return ExitStatus(code=code if isinstance(code, int) else None, oom_killed=oom)


class DockerSandbox:
    """Each worker in a fresh container of the current sandbox image."""

    name = "docker"
    isolated = True
    data_mount = DATA_MOUNT

    def __init__(self) -> None:
        self._client: Any = None
        self._image: str | None = None
        self._python: str | None = None

    def check_available(self) -> None:
        from ..image import docker_client, image_status

        probe = docker_client(timeout=5)  # raises SandboxUnavailable with the reason
        status = image_status(probe)
        if not status.current:
            raise SandboxUnavailable(f"sandbox 'docker' is not available: {status.describe()}")
        self._image, self._python = status.image_id or status.tag, status.python
        probe.close()

    def start(self, spec: WorkerSpec) -> DockerWorker:
        if self._image is None:
            self.check_available()
        if self._client is None:
            from ..image import docker_client

            self._client = docker_client(timeout=ENGINE_TIMEOUT)
        _install_hooks()
        assert self._image is not None and self._python is not None
        try:
            return DockerWorker(self._client, self._image, self._python, spec)
        except SandboxError:
            raise
        except Exception as exc:
            raise SandboxError(f"sandbox 'docker' could not create a container: {exc}") from None
