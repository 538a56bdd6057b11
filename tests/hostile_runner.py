"""Grade one hostile submission in a fresh grader process and describe, as JSON, how the grader fared.

Used by tests/test_hostile.py, which runs several of these at once (a grade is mostly waiting on
the sandbox, and a grader process of its own means a submission that did take the grader down
would show as a dead process, not as a dead test session)::

    python tests/hostile_runner.py BACKEND SUBMISSION OUT.json [--limits JSON] [--max-examples N] [--watch MARKER]

The JSON holds the rendered report (``report_json``, ``report_text``), the grader's peak RSS
growth during the grade, the workers and containers it left, and, with ``--watch``, whether a
process whose command line holds MARKER ran during the grade and whether one outlived it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import leftover_workers, marked  # noqa: E402



def our_containers() -> list[str]:
    try:
        from grader.image import docker_client
        from grader.sandbox.docker import LABEL, OWNER_LABEL

        client = docker_client(timeout=10)
        owner = f"{socket.gethostname()}:{os.getpid()}"
        found = client.api.containers(all=True, filters={"label": [f"{LABEL}=1", f"{OWNER_LABEL}={owner}"]})
        client.close()
        return [entry["Id"][:12] for entry in found]
    except Exception as exc:  # noqa: BLE001 - report, do not crash the runner
        return [f"could not list containers: {exc}"]


def warm_up() -> None:
    """Import and exercise what every grade needs, so the RSS growth measured is the grade's own."""
    import numpy as np

    import grader.grade  # noqa: F401 - sets XLA_FLAGS before JAX is imported
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    from flax import nnx

    layer = nnx.Linear(3, 2, rngs=nnx.Rngs(0))
    np.asarray(layer(np.ones((2, 3), np.float32)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("backend")
    parser.add_argument("submission")
    parser.add_argument("out")
    parser.add_argument("--limits", default="{}")
    parser.add_argument("--max-examples", type=int, default=3)
    parser.add_argument("--watch", default=None)
    options = parser.parse_args()

    warm_up()
    from grader.grade import grade
    from grader.problem import find_problem
    from grader.reports import render

    limits = dict(call_seconds=5, import_seconds=40, total_seconds=120)
    limits.update(json.loads(options.limits))
    problem = find_problem("orbax_load_simulate").with_limits(**limits)

    seen = threading.Event()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set() and not seen.is_set():
            if marked(options.watch):
                seen.set()
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    if options.watch:
        watcher.start()
    result: dict = {"backend": options.backend, "submission": options.submission}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        report = grade(problem, options.submission, sandbox=options.backend, max_examples=options.max_examples)
        result["report_json"] = render(report, "json")
        result["report_text"] = render(report, "text")
    except BaseException:  # noqa: BLE001 - the point is to record it
        result["crash"] = traceback.format_exc()
    result["seconds"] = time.monotonic() - started
    result["rss_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    done.set()
    if options.watch:
        watcher.join()
        deadline = time.monotonic() + 3
        while marked(options.watch) and time.monotonic() < deadline:
            time.sleep(0.1)
        result["marker_seen"] = seen.is_set()
        result["marker_left"] = marked(options.watch)
    deadline = time.monotonic() + 3
    while leftover_workers() and time.monotonic() < deadline:
        time.sleep(0.1)
    result["leftover_workers"] = leftover_workers()
    result["containers"] = our_containers() if options.backend == "docker" else []
    Path(options.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
