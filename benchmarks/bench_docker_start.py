"""Benchmark: how long a docker-backend worker takes from start() to its first answers.

For each run it measures, from the moment DockerSandbox.start() is called:
  start()   the container is created, attached and started;
  hello     the worker's hello frame arrives (the interpreter and NumPy are up);
  loaded    the problem's preload (JAX, flax.nnx) and the submission are imported;
  1st call  the first call of the entry point answers (includes XLA compilation);
  kill()    how long removing the container takes.
Prints the median of --repeat runs (and the process backend for comparison with --compare).
Not a test: it asserts nothing. Needs a current image (`grader image build`).

    python benchmarks/bench_docker_start.py [--repeat 5] [--compare]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from grader.problem import find_problem
from grader.sandbox import load_backend
from grader.sandbox.base import WorkerSpec
from grader.worker import wire

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference" / "orbax_load_simulate.py"


def read_frame(transport, deadline: float) -> wire.Frame:
    def exact(n: int) -> bytes:
        out = b""
        while len(out) < n:
            chunk = transport.read(n - len(out), deadline - time.monotonic())
            if not chunk:
                raise EOFError("the worker closed the channel")
            out += chunk
        return out

    prefix = exact(wire.PREFIX.size)
    header, sizes = wire.parse_header(prefix, exact(wire.header_length(prefix)))
    return wire.Frame(header, [exact(n) for n in sizes])


def one_run(backend: str) -> dict[str, float]:
    problem = find_problem("orbax_load_simulate")
    sandbox = load_backend(backend)
    spec = WorkerSpec(limits=problem.limits, env=dict(problem.env))
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    worker = sandbox.start(spec)
    marks["start()"] = time.perf_counter() - t0
    try:
        deadline = time.monotonic() + 120
        transport = worker.transport
        transport.write(wire.encode_frame({"op": "load", "source": REFERENCE.read_text(), "filename":
                                           "orbax_load_simulate.py", "entry": problem.entry_point,
                                           "preload": list(problem.preload)}))
        hello = read_frame(transport, deadline)
        assert hello.header.get("op") == "hello", hello.header
        marks["hello"] = time.perf_counter() - t0
        prepared = read_frame(transport, deadline)
        loaded = read_frame(transport, deadline)
        assert prepared.header.get("ok") and loaded.header.get("ok"), (prepared.header, loaded.header)
        marks["loaded"] = time.perf_counter() - t0
        blobs: list[bytes] = []
        args = wire.encode_value([0.0, np.ones((2, 3), np.float32), 4.0], blobs)
        transport.write(wire.encode_frame({"op": "call", "args": args}, blobs))
        answer = read_frame(transport, deadline)
        assert answer.header.get("ok"), answer.header
        marks["1st call"] = time.perf_counter() - t0
    finally:
        t1 = time.perf_counter()
        worker.kill()
        marks["kill()"] = time.perf_counter() - t1
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="also measure the process backend")
    options = parser.parse_args()
    for backend in ["docker"] + (["process"] if options.compare else []):
        runs = [one_run(backend) for _ in range(options.repeat)]
        print(f"{backend}: median of {options.repeat} runs (seconds from start())")
        for key in runs[0]:
            values = [run[key] for run in runs]
            print(f"  {key:9} {statistics.median(values):7.3f}   (min {min(values):.3f}, max {max(values):.3f})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
