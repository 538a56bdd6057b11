"""Benchmark: a cold `grader grade` of the reference against the naive in-process pytest check.

Prints wall-clock figures (median of --repeat runs). Not a test: it asserts nothing.

    python benchmarks/bench_grade.py [--examples 100] [--repeat 3] [--sandbox process bwrap docker]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = ROOT / "problems" / "orbax_load_simulate"
REFERENCE = ROOT / "reference" / "orbax_load_simulate.py"


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed


def naive(examples: int) -> tuple[list[str], dict[str, str]]:
    """The same hidden tests, run by plain pytest with the submission imported in-process."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent), NAIVE_SUBMISSION=str(REFERENCE),
               NAIVE_REFERENCE=str(REFERENCE), NAIVE_ENTRY="orbax_load_simulate")
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "naive_fixtures",
            str(PROBLEM / "tests"), "--hypothesis-seed=0", "-o", "python_files=test_*.py",
            f"--hypothesis-profile=naive{examples}"]
    env["NAIVE_EXAMPLES"] = str(examples)
    return argv, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sandbox", nargs="+", default=["process"])
    args = parser.parse_args()
    grader = [sys.executable, "-m", "grader.cli"]
    rows: dict[str, tuple[list[str], dict[str, str] | None]] = {"naive in-process pytest": naive(args.examples)}
    for backend in args.sandbox:
        rows[f"grader grade --sandbox {backend}"] = (grader + [
            "grade", "orbax_load_simulate", str(REFERENCE), "--sandbox", backend,
            "--max-examples", str(args.examples), "--format", "json"], None)
    print(f"orbax_load_simulate's hidden tests, up to {args.examples} examples per property test, "
          f"{args.repeat} cold runs each (median wall time)")
    for label, (argv, env) in rows.items():
        runs = [timed(argv, env) for _ in range(args.repeat)]
        print(f"  {label:40} {statistics.median(runs):6.2f} s   (runs: {', '.join(f'{r:.2f}' for r in runs)})")

if __name__ == "__main__":
    main()
