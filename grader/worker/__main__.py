"""The sandboxed worker: imports one submission and calls its entry point on request.

This file runs *inside* the sandbox, next to the learner's code, so nothing it
says is trusted: the trusted side validates every message. It uses only the
standard library and NumPy (plus whatever the submission imports).

The channel is the process's original stdin/stdout. Before any learner code
runs they are moved to private descriptors, and fd 1 is pointed at fd 2, so a
learner's ``print`` (or a C library's write to fd 1) lands in the captured
stderr stream instead of corrupting the channel.
"""

from __future__ import annotations

import importlib.metadata
import io
import linecache
import os
import platform
import sys
import time
import traceback
import types
from typing import Any, BinaryIO

import numpy as np

from . import wire
from .placement import describe_placement

OUTPUT_CAP = 64 * 1024
TRACEBACK_CAP = 16 * 1024
_WORKER_DIR = os.path.dirname(os.path.abspath(__file__))


class CappedText(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        s = str(s)
        room = OUTPUT_CAP - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def flush(self) -> None:
        pass

    def text(self) -> dict[str, Any]:
        return {"text": "".join(self.parts), "dropped": self.dropped}


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for dist in ("numpy", "jax", "jaxlib", "flax", "orbax-checkpoint"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = "missing"
    return found


def format_error(exc: BaseException, source_file: str | None) -> dict[str, Any]:
    """The learner's view of an exception: type, message, traceback without worker frames."""
    try:
        message = str(exc)
    except BaseException:  # a hostile __str__ must not take the worker down
        message = "<the exception's message could not be formatted>"
    frames = traceback.extract_tb(exc.__traceback__)
    # Drop the worker's own frames: learners should see their code first.
    while frames and frames[0].filename.startswith(_WORKER_DIR):
        frames.pop(0)
    if source_file is not None and any(f.filename == source_file for f in frames):
        while frames and frames[0].filename != source_file:
            frames.pop(0)
    lines = ["Traceback (most recent call last):\n"]
    lines += traceback.format_list(frames)
    try:
        lines += traceback.format_exception_only(type(exc), exc)
    except BaseException:
        lines.append(f"{type(exc).__name__}: {message}\n")
    text = "".join(lines)
    if len(text) > TRACEBACK_CAP:
        text = text[: TRACEBACK_CAP // 2] + "\n[... traceback truncated ...]\n" + text[-TRACEBACK_CAP // 2:]
    return {"type": type(exc).__name__, "message": message[:4096], "traceback": text}


def classify(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "memory_limit"
    return "runtime_error"


class Worker:
    def __init__(self, rx: BinaryIO, tx: BinaryIO) -> None:
        self.rx, self.tx = rx, tx
        self.function: Any = None
        self.source_file: str | None = None

    def send(self, header: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        self.tx.write(wire.encode_frame(header, blobs))
        self.tx.flush()

    def receive(self) -> wire.Frame | None:
        prefix = self.rx.read(wire.PREFIX.size)
        if len(prefix) < wire.PREFIX.size:
            return None
        text = self.rx.read(wire.header_length(prefix))
        header, sizes = wire.parse_header(prefix, text)
        return wire.Frame(header, [self.rx.read(n) for n in sizes])

    def serve(self) -> None:
        self.send({"op": "hello", "versions": versions(), "pid": os.getpid()})
        while (frame := self.receive()) is not None:
            op = frame.header.get("op")
            if op == "load":
                # Everything the worker sends before the submission runs is authentic; the
                # preload reply is the last such message, so only it may claim an internal fault.
                prepared = self.preload(frame.header.get("preload", []))
                self.send(prepared)
                if prepared["ok"]:
                    self.send(self.load(frame.header))
            elif op == "call":
                header, blobs = self.call(frame)
                self.send(header, blobs)
            elif op == "exit":
                return
            else:
                self.send({"ok": False, "verdict": "internal_error", "error": {"message": f"unknown op {op!r}"}})

    def preload(self, modules: list[str]) -> dict[str, Any]:
        for name in modules:
            try:
                __import__(name)
            except BaseException as exc:  # the sandbox lacks a library: our fault, not the learner's
                return {"ok": False, "op": "preloaded", "verdict": "internal_error", "error": format_error(exc, None)}
        return {"ok": True, "op": "preloaded"}

    def load(self, request: dict[str, Any]) -> dict[str, Any]:
        filename = os.path.basename(request["filename"]) or "submission.py"
        path = os.path.join(os.getcwd(), filename)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(request["source"])
        # Tracebacks name the file by its bare name, so reports do not depend on where the
        # sandbox's scratch folder happens to be; linecache still shows the source lines.
        self.source_file = filename
        linecache.cache[filename] = (len(request["source"]), None,
                                     request["source"].splitlines(True), filename)
        out = CappedText()
        try:
            code = compile(request["source"], filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            error = format_error(exc, None)
            if isinstance(exc, SyntaxError):
                error["traceback"] = "".join(traceback.format_exception_only(type(exc), exc))
            return {"ok": False, "verdict": "syntax_error", "error": error}
        module = types.ModuleType("submission")
        module.__file__ = path
        sys.modules["submission"] = module
        try:
            with Redirect(out):
                exec(code, module.__dict__)
        except BaseException as exc:
            return {"ok": False, "verdict": classify(exc), "phase": "import",
                    "error": format_error(exc, filename), "output": out.text()}
        function = getattr(module, request["entry"], None)
        if not callable(function):
            found = "is not defined" if function is None else f"is a {type(function).__name__}, not a function"
            return {"ok": False, "verdict": "missing_function", "output": out.text(),
                    "error": {"type": "MissingFunction", "traceback": "",
                              "message": f"`{request['entry']}` {found} in {filename}"}}
        self.function = function
        return {"ok": True, "output": out.text()}

    def call(self, frame: wire.Frame) -> tuple[dict[str, Any], list[bytes]]:
        args = wire.decode_value(frame.header["args"], frame.blobs)
        out = CappedText()
        start = time.perf_counter()
        try:
            with Redirect(out):
                result = self.function(*args)
                plain = to_plain(result)
                blobs: list[bytes] = []
                encoded = wire.encode_value(plain, blobs)
        except BaseException as exc:
            return {"ok": False, "verdict": classify(exc), "error": format_error(exc, self.source_file),
                    "output": out.text(), "elapsed": time.perf_counter() - start}, []
        return {"ok": True, "result": encoded, "output": out.text(),
                "elapsed": time.perf_counter() - start}, blobs


class Redirect:
    """Point sys.stdout and sys.stderr at a capture buffer for the duration of a call."""

    def __init__(self, target: CappedText) -> None:
        self.target = target

    def __enter__(self) -> None:
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.target

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self.saved


def to_plain(value: Any, depth: int = 0) -> Any:
    """Convert a learner's result into values the wire can carry (NumPy arrays, scalars, containers)."""
    if depth > 32:
        raise TypeError("the returned value is nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {k: to_plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_plain(v, depth + 1) for v in value) if type(value) in (list, tuple) \
            else [to_plain(v, depth + 1) for v in value]
    placement = describe_placement(value)
    try:
        array = np.asarray(value)
    except Exception as exc:
        raise TypeError(f"the function returned a {type(value).__name__}, which is not array-like: {exc}") from None
    if array.dtype.kind not in wire.ALLOWED_KINDS:
        raise TypeError(f"the function returned a {type(value).__name__} holding dtype {array.dtype}, "
                        "not numbers")
    array = np.array(array, copy=True, subok=False)  # a plain ndarray, whatever subclass came in
    return wire.Placed(array, placement) if placement else array


def main() -> None:
    # Keep the channel on private descriptors, then make fd 1 an alias of fd 2.
    rx = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    tx = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), write_through=True)
    Worker(rx, tx).serve()


if __name__ == "__main__":
    main()
