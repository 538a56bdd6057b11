"""Benchmark: a cold `grader grade` of the reference against the naive in-process pytest check.

Prints wall-clock figures (median of --repeat runs). Not a test: it asserts nothing.

    python benchmarks/bench_grade.py [--examples 100] [--repeat 3] [--sandbox process bwrap docker]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = ROOT / "problems" / "orbax_load_simulate"
REFERENCE = ROOT / "reference" / "orbax_load_simulate.py"


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed


def naive(examples: int, tmp: Path) -> list[str]:
    text = (Path(__file__).with_name("naive_test_template.py").read_text()
            .replace("@TESTS@", str(PROBLEM / "tests")).replace("@SUBMISSION@", str(REFERENCE))
            .replace("@REFERENCE@", str(REFERENCE)).replace("@N@", str(examples)))
    path = tmp / "test_naive.py"
    path.write_text(text)
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path), "--hypothesis-seed=0"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sandbox", nargs="+", default=["process"])
    args = parser.parse_args()
    grader = [sys.executable, "-m", "grader.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        rows = {"naive in-process pytest": naive(args.examples, Path(tmp))}
        for backend in args.sandbox:
            rows[f"grader grade --sandbox {backend}"] = grader + [
                "grade", "orbax_load_simulate", str(REFERENCE), "--sandbox", backend,
                "--max-examples", str(args.examples), "--format", "json"]
        print(f"{args.examples} examples per property test, {args.repeat} cold runs each, median wall time")
        for label, argv in rows.items():
            runs = [timed(argv) for _ in range(args.repeat)]
            print(f"  {label:40} {statistics.median(runs):6.2f} s   (runs: {', '.join(f'{r:.2f}' for r in runs)})")


if __name__ == "__main__":
    main()
