"""The ``process`` backend: a plain subprocess with a scrubbed environment and rlimits.

It contains mistakes, not attacks: the learner's code runs as the grader's user
and can read whatever that user can. Use it for development, or where neither
bubblewrap nor a Docker engine is available; the report says it was used.
"""

from __future__ import annotations

import sys

from .base import WORKER_BOOTSTRAP, WorkerSpec, make_private_dir, stage_worker_package
from .pipes import LocalWorker
from .rlimits import rlimit_prelude


class ProcessSandbox:
    """A subprocess in its own session and process group, killed as a whole tree."""

    name = "process"
    isolated = False

    def start(self, spec: WorkerSpec) -> LocalWorker:
        base = make_private_dir("grader-process-")
        lib = stage_worker_package(base / "lib")
        (base / "home").mkdir()
        (base / "scratch").mkdir()
        argv = [sys.executable, "-I", "-c", rlimit_prelude(spec.limits) + WORKER_BOOTSTRAP, str(lib)]
        env = spec.environment(home=str(base / "home"), scratch=str(base / "scratch"))
        if spec.data_dir is not None:
            env["GRADER_DATA"] = str(spec.data_dir)
        return LocalWorker(argv, env, cwd=str(base / "scratch"), cleanup=[base],
                           limits=spec.limits)
