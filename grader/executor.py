"""The trusted side's handle on one submission running in a sandboxed worker.

The executor starts the worker, loads the submission, calls its entry point
with deadlines, validates every reply, and turns whatever the learner's code
did (raise, hang, crash, exhaust memory, flood output, corrupt the channel)
into a :class:`Failure` carrying a verdict. It restarts the worker after a
crash or time-out so later tests still run.
"""

from __future__ import annotations

import importlib.metadata
import time
from dataclasses import dataclass, field
from typing import Any

from .problem import Problem
from .sandbox.base import Sandbox, Worker, WorkerSpec
from .submission import Submission
from .verdict import Verdict
from .worker import wire

# Versions that must agree between the trusted side and the worker, or the
# reference and the submission would be compared across library versions.
PARITY = ("numpy", "jax", "jaxlib", "flax")


@dataclass
class Failure:
    """What went wrong in the learner's code, as the learner should hear it."""

    verdict: Verdict
    message: str
    traceback: str = ""
    output: str = ""
    args: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        # Everything here may have come from the sandbox: make it printable and bounded.
        self.message = safe_text(self.message, 8 * 1024)
        self.traceback = safe_text(self.traceback, 16 * 1024)
        self.output = safe_text(self.output, 64 * 1024)


def safe_text(value: Any, cap: int) -> str:
    """Untrusted text as valid, NUL-free Unicode of at most ``cap`` characters (marked if cut)."""
    text = value if isinstance(value, str) else str(value)
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\0", "\\0")
    return text if len(text) <= cap else text[:cap] + f"\n[... {len(text) - cap} more characters dropped ...]\n"


class SubmissionFault(Exception):
    """The learner's function failed on this input and the worker is still usable.

    An ordinary exception, so Hypothesis shrinks the input that provokes it.
    """

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class SubmissionAbort(BaseException):
    """The worker had to be killed (time-out, crash, memory, output) or cannot load.

    A BaseException, so that Hypothesis stops at once instead of shrinking by
    re-running something that takes a full time limit or a worker restart each try.
    """

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


@dataclass
class CallResult:
    value: Any
    output: str
    elapsed: float


@dataclass
class Executor:
    """Runs one submission for one grade."""

    problem: Problem
    submission: Submission
    sandbox: Sandbox
    spec: WorkerSpec
    worker: Worker | None = None
    versions: dict[str, str] = field(default_factory=dict)
    last_args: tuple[Any, ...] | None = None
    load_output: str = ""
    restarts: int = 0
    _load_failure: Failure | None = None
    _loaded: bool = False
    _pending: bool = False
    _started_at: float = 0.0
    _stderr_log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.limits = self.spec.limits
        self.wire_limits = wire.Limits(max_blob_bytes=self.limits.output_mb << 20)
        self._deadline_total = 0.0

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> None:
        """Start the worker and send it the submission; return without waiting for the import."""
        if not self._started_at:
            self._started_at = time.monotonic()
            self._deadline_total = self._started_at + self.limits.total_seconds
        self.worker = self.sandbox.start(self.spec)
        self._loaded = False
        self._send({"op": "load", "source": self.submission.source, "filename": self.submission.filename,
                    "entry": self.problem.entry_point, "preload": list(self.problem.preload)})

    def ensure_loaded(self) -> None:
        """Wait for the submission to import; raise SubmissionAbort if it cannot."""
        if self._load_failure is not None:
            raise SubmissionAbort(self._load_failure)
        if self._loaded:
            return
        if self.worker is None:
            self.restarts += 1
            self.start()
        deadline = min(time.monotonic() + self.limits.import_seconds, self._deadline_total)
        hello = self._receive(deadline, phase="start-up")
        if hello.header.get("op") != "hello":
            self._fail_load(Failure(Verdict.RUNTIME_ERROR, "the worker sent an unexpected message at start-up"))
        self._check_versions(hello.header.get("versions"))
        prepared = self._receive(deadline, phase="start-up").header
        if not prepared.get("ok"):
            error = prepared.get("error") if isinstance(prepared.get("error"), dict) else {}
            self._fail_load(Failure(Verdict.INTERNAL_ERROR, "the sandbox could not import the problem's "
                                    f"libraries: {error.get('message', '')}", str(error.get("traceback", ""))))
        reply = self._receive(deadline, phase="import").header
        output = _output_text(reply.get("output"))
        self.load_output = output
        if not reply.get("ok"):
            error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
            verdict = _verdict(reply.get("verdict"))
            message = str(error.get("message", ""))
            if verdict is Verdict.RUNTIME_ERROR:
                message = f"your file raised {error.get('type', 'an exception')} when imported: {message}"
            elif verdict is Verdict.SYNTAX_ERROR:
                message = f"your file does not compile: {message}"
            elif verdict not in (Verdict.MISSING_FUNCTION, Verdict.MEMORY_LIMIT):
                verdict = Verdict.RUNTIME_ERROR  # learner code has run: it cannot make the fault ours
            self._fail_load(Failure(verdict, message, str(error.get("traceback", "")), output))
        self._loaded = True

    def close(self) -> None:
        """Stop the worker and remove everything it left."""
        if self.worker is not None:
            try:
                if not self._pending:
                    self.worker.transport.write(wire.encode_frame({"op": "exit"}))
            except (EOFError, OSError):
                pass
            self._kill()

    def stderr_text(self, cap: int = 64 * 1024) -> str:
        """What the worker processes wrote to their file descriptors, across restarts (capped)."""
        parts = list(self._stderr_log)
        if self.worker is not None:
            parts.append(self.worker.output().text())
        text = "".join(parts)
        return text if len(text) <= cap else text[:cap] + "\n[... more output dropped ...]\n"

    # -- calls -------------------------------------------------------------
    def submit(self, *args: Any) -> "Pending":
        """Send a call now and return a handle; the reference can run while the worker works."""
        self.ensure_loaded()
        now = time.monotonic()
        if now >= self._deadline_total:
            raise SubmissionAbort(Failure(Verdict.TIME_LIMIT, "the grade's total time limit of "
                                          f"{self.limits.total_seconds:g} s ran out", args=args))
        self.last_args = args
        blobs: list[bytes] = []
        header = {"op": "call", "args": wire.encode_value(list(args), blobs)}
        self._send(header, blobs)
        self._pending = True
        return Pending(self, args, min(now + self.limits.call_seconds, self._deadline_total))

    def call(self, *args: Any) -> CallResult:
        """Call the entry point and wait for its result."""
        return self.submit(*args).result()

    def _finish(self, args: tuple[Any, ...], deadline: float) -> CallResult:
        frame = self._receive(deadline, phase="call", args=args)
        self._pending = False
        reply = frame.header
        output = _output_text(reply.get("output"))
        if reply.get("ok"):
            try:
                value = wire.decode_value(reply.get("result"), frame.blobs, self.wire_limits)
            except wire.WireLimit as exc:
                self._abort(Failure(Verdict.OUTPUT_LIMIT, f"the returned value is too large: {exc}", args=args))
            except wire.WireError as exc:
                self._abort(Failure(Verdict.RUNTIME_ERROR, f"the returned value could not be read: {exc}",
                                    args=args))
            return CallResult(value, output, _seconds(reply.get("elapsed")))
        error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
        verdict = _verdict(reply.get("verdict"))
        kind = str(error.get("type", "an exception"))
        message = str(error.get("message", ""))
        if kind == "NotImplementedError":
            text = "not implemented yet: your function raises NotImplementedError"
        elif verdict is Verdict.MEMORY_LIMIT:
            text = f"your function ran out of memory (limit {self.limits.memory_mb} MiB)"
        else:
            text = f"your function raised {kind}: {message}" if message else f"your function raised {kind}"
        if verdict not in (Verdict.RUNTIME_ERROR, Verdict.MEMORY_LIMIT):
            # Once learner code has run, the worker's word cannot make a fault ours.
            verdict = Verdict.RUNTIME_ERROR
        raise SubmissionFault(Failure(verdict, text, str(error.get("traceback", "")), output, args))

    # -- plumbing ----------------------------------------------------------
    def _send(self, header: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        assert self.worker is not None
        try:
            self.worker.transport.write(wire.encode_frame(header, blobs))
        except (EOFError, OSError):
            pass  # the worker is gone; the next receive reports how it ended

    def _receive(self, deadline: float, phase: str, args: tuple[Any, ...] | None = None) -> wire.Frame:
        try:
            prefix = self._read_exact(wire.PREFIX.size, deadline)
            text = self._read_exact(wire.header_length(prefix), deadline)
            header, sizes = wire.parse_header(prefix, text, self.wire_limits)
            return wire.Frame(header, [self._read_exact(n, deadline) for n in sizes])
        except TimeoutError:
            total = time.monotonic() >= self._deadline_total - 0.01
            limit = (f"the grade's total time limit of {self.limits.total_seconds:g} s" if total else
                     f"the {self.limits.import_seconds:g} s limit for importing your file" if phase != "call"
                     else f"the {self.limits.call_seconds:g} s limit for one call")
            failure = Failure(Verdict.TIME_LIMIT, f"your code did not finish within {limit}", args=args)
        except EOFError:
            status = self._kill()
            verdict = Verdict.MEMORY_LIMIT if status.oom_killed else Verdict.RUNTIME_ERROR
            where = "during the call" if phase == "call" else f"during {phase}"
            failure = Failure(verdict, f"the process running your code {status.describe()} {where}"
                              " (a correct solution returns normally; it never exits or crashes)", args=args)
        except wire.WireLimit as exc:
            failure = Failure(Verdict.OUTPUT_LIMIT, f"your code sent too much data back: {exc}", args=args)
        except wire.WireError as exc:
            failure = Failure(Verdict.RUNTIME_ERROR, "your code wrote into the grader's private channel, "
                              f"which it must not touch ({exc})", args=args)
        if phase != "call":
            self._fail_load(failure)
        self._abort(failure)
        raise AssertionError("unreachable")

    def _read_exact(self, n: int, deadline: float) -> bytes:
        assert self.worker is not None
        chunks, remaining = [], n
        while remaining:
            chunk = self.worker.transport.read(min(remaining, 1 << 20), deadline - time.monotonic())
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _check_versions(self, theirs: Any) -> None:
        theirs = theirs if isinstance(theirs, dict) else {}
        self.versions = {str(k): str(v)[:40] for k, v in theirs.items()}
        mismatched = []
        for dist, ours in trusted_versions().items():
            if self.versions.get(dist) != ours:
                mismatched.append(f"{dist} {ours} here, {self.versions.get(dist, 'missing')} in the sandbox")
        if mismatched:
            self._fail_load(Failure(Verdict.INTERNAL_ERROR, "the sandbox's libraries differ from the grader's: "
                                    + "; ".join(mismatched) + " (rebuild the sandbox image)"))

    def _fail_load(self, failure: Failure) -> None:
        self._load_failure = failure
        self._kill()
        raise SubmissionAbort(failure)

    def _abort(self, failure: Failure) -> None:
        self._kill()
        raise SubmissionAbort(failure)

    def _kill(self) -> Any:
        self._pending = False
        if self.worker is None:
            return None
        worker, self.worker = self.worker, None
        status = worker.kill()
        self._stderr_log.append(worker.output().text())
        self._loaded = False
        return status


@dataclass
class Pending:
    """A call in flight. ``result()`` waits for it (once)."""

    executor: Executor
    args: tuple[Any, ...]
    deadline: float
    _result: CallResult | None = None

    def result(self) -> CallResult:
        if self._result is None:
            self._result = self.executor._finish(self.args, self.deadline)
        return self._result


def trusted_versions() -> dict[str, str]:
    """The versions of the PARITY libraries installed on the trusted side."""
    found = {}
    for dist in PARITY:
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _verdict(value: Any) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        return Verdict.RUNTIME_ERROR


def _seconds(value: Any) -> float:
    """The worker's claimed call duration; anything but a finite non-negative number counts as 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1e9:
        return float(value)
    return 0.0


def _output_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    text = safe_text(value.get("text", ""), 64 * 1024)
    dropped = value.get("dropped")
    if isinstance(dropped, int) and dropped > 0:
        text += f"\n[... {dropped} more characters of output dropped ...]\n"
    return text
