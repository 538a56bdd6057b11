"""Grading one submission against one problem: the grader's main Python API."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import pytest

from .comparators import comparator_for
from .errors import GraderError
from .executor import Executor
from .plugin import GraderPlugin
from .problem import Problem, find_problem
from .reference import load_reference, load_trusted_function
from .sandbox import Selection, select_sandbox
from .sandbox.base import Sandbox, WorkerSpec
from .submission import Submission
from .verdict import CaseResult, Report, Verdict

DEFAULT_SEED = 0
SIMULATED_DEVICES = 8


def simulate_cpu_devices(count: int = SIMULATED_DEVICES) -> None:
    """Give the trusted side's JAX ``count`` CPU devices, as sharded problems' references need.

    Only possible before JAX is imported; afterwards it is left as it is (a
    sharded problem's reference then reports too few devices as an internal error).
    """
    flags = os.environ.get("XLA_FLAGS", "")
    if "jax" not in sys.modules and "xla_force_host_platform_device_count" not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} --xla_force_host_platform_device_count={count}".strip()


def cache_trusted_compilations() -> None:
    """Keep the trusted side's XLA compilations on disk, so references compile once per machine.

    Reference calls otherwise recompile every shape in every grade. The cache is
    the grader's own (under ~/.cache/grader/jax, or $GRADER_JAX_CACHE) and is
    never visible to a sandbox: nothing a submission produced is ever loaded.
    Set GRADER_JAX_CACHE=off to disable. Only possible before JAX is imported.
    """
    where = os.environ.get("GRADER_JAX_CACHE", str(Path.home() / ".cache" / "grader" / "jax"))
    if where == "off" or "jax" in sys.modules or "JAX_COMPILATION_CACHE_DIR" in os.environ:
        return
    os.environ["JAX_COMPILATION_CACHE_DIR"] = where
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")


simulate_cpu_devices()
cache_trusted_compilations()


def grade(
    problem: Problem | str | os.PathLike[str],
    submission: Submission | str | os.PathLike[str],
    *,
    sandbox: str | Sandbox = "auto",
    seed: int | None = None,
    max_examples: int | None = None,
    data_dir: Path | None = None,
) -> Report:
    """Grade ``submission`` on ``problem`` and return the report.

    Learner failures of every kind come back as verdicts in the report. A fault
    of the grader's own during the grade comes back as an ``internal_error``
    report; only bad arguments (an unknown problem or sandbox, a missing file)
    raise, as :class:`~grader.errors.GraderError`.
    """
    if not isinstance(problem, Problem):
        problem = find_problem(problem)
    if not isinstance(submission, Submission):
        submission = Submission.from_path(submission)
    seed = DEFAULT_SEED if seed is None else seed
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise GraderError(f"seed must be a whole number from 0 to 2**32 - 1, not {seed!r}")
    if max_examples is not None and (not isinstance(max_examples, int) or max_examples < 1):
        raise GraderError(f"max_examples must be a positive whole number, not {max_examples!r}")
    selection = select_sandbox(sandbox) if isinstance(sandbox, str) else Selection(sandbox)
    report = Report(problem=problem.slug, seed=seed, sandbox=selection.sandbox.name, tests=[],
                    submission=submission.filename, warnings=list(selection.warnings))
    with contextlib.ExitStack() as stack:
        if data_dir is None and problem.prepare_path is not None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="grader-data-")))
        _grade_into(report, problem, submission, selection, seed, max_examples, data_dir)
    report.message = summary(report)
    return report


def _grade_into(report: Report, problem: Problem, submission: Submission, selection: Selection, seed: int,
                max_examples: int | None, data_dir: Path | None) -> None:
    spec = WorkerSpec(limits=problem.limits, env=dict(problem.env), data_dir=data_dir)
    executor = Executor(problem, submission, selection.sandbox, spec)
    try:
        if problem.prepare_path is not None and data_dir is not None:
            prepare = load_trusted_function(problem.prepare_path, "prepare", f"grader_prepare_{problem.slug}")
            prepare(data_dir, seed)
            _make_world_readable(data_dir)
        # Start the worker first: its imports (JAX, the submission) overlap with ours below.
        executor.start()
        reference = load_reference(problem)
        plugin = GraderPlugin(problem, executor, reference, comparator_for(problem), data_dir=data_dir,
                              sandbox_data_path=sandbox_data_path(selection.sandbox, data_dir))
        plugin.max_examples_cap = max_examples
        code, log = run_hidden_tests(problem, plugin, seed, max_examples or problem.max_examples)
        report.tests = [plugin.results[name] for name in plugin.order]
        if plugin.collect_errors or code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            detail = "\n".join(plugin.collect_errors) or log[-2000:]
            report.tests.append(CaseResult("hidden tests", Verdict.INTERNAL_ERROR, message=(
                f"the hidden tests could not run (pytest exit {int(code)}); this is the grader's fault"),
                details={"log": detail}))
        report.output = executor.stderr_text()
        report.versions = dict(executor.versions)
        if executor.load_output:
            report.output = executor.load_output + report.output
    except GraderError as exc:
        report.tests.append(CaseResult("grader", Verdict.INTERNAL_ERROR, message=str(exc)))
    except Exception as exc:  # a bug of ours: report it, never blame the learner, never crash
        report.tests.append(CaseResult("grader", Verdict.INTERNAL_ERROR, message=f"{type(exc).__name__}: {exc}",
                                       details={"traceback": traceback.format_exc()[-4000:]}))
    finally:
        executor.close()


def sandbox_data_path(sandbox: Sandbox, data_dir: Path | None) -> str | None:
    """Where the worker sees the prepared data folder: a fixed mount point, or the host path."""
    if data_dir is None:
        return None
    return getattr(sandbox, "data_mount", None) or str(data_dir)


def _make_world_readable(folder: Path) -> None:
    # The sandbox user is unprivileged; it must read (never write) what prepare() wrote.
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def run_hidden_tests(problem: Problem, plugin: GraderPlugin, seed: int, max_examples: int) -> tuple[Any, str]:
    """Run the problem's pytest files in this process with the grader's fixtures."""
    from hypothesis import HealthCheck, Phase, settings

    profile = f"grader-{max_examples}"
    settings.register_profile(
        profile, max_examples=max_examples, deadline=None, database=None, derandomize=False,
        print_blob=False, report_multiple_bugs=False, suppress_health_check=list(HealthCheck),
        # No 'explain' phase: its output depends on timing-free but costly re-runs we do not need.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    )
    with tempfile.TemporaryDirectory(prefix="grader-pytest-") as tmp:
        ini = Path(tmp) / "pytest.ini"
        ini.write_text("[pytest]\n")
        args = [
            str(problem.tests_dir), "-c", str(ini), "--rootdir", str(problem.tests_dir),
            "-p", "no:cacheprovider", "-p", "no:randomly", "--import-mode=importlib", "-q",
            "--capture=sys", f"--hypothesis-seed={seed}", f"--hypothesis-profile={profile}",
            "-o", "python_files=test_*.py", "-W", "ignore::DeprecationWarning",
        ]
        log = io.StringIO()
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), importable(problem.tests_dir):
            code = pytest.main(args, plugins=[plugin])
    return code, log.getvalue()


@contextlib.contextmanager
def importable(folder: Path) -> Any:
    """Let hidden tests import their helper modules, then forget them (another problem may reuse a name)."""
    folder = folder.resolve()
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if file and Path(file).resolve().is_relative_to(folder):
                del sys.modules[name]


def summary(report: Report) -> str:
    """A one-line account of the grade."""
    passed = sum(t.verdict is Verdict.ACCEPTED for t in report.tests)
    if report.accepted:
        return f"all {passed} hidden tests passed"
    worst = next((t for t in report.tests if t.verdict is report.verdict), None)
    head = f"{passed} of {len(report.tests)} hidden tests passed"
    return f"{head}; {worst.name}: {worst.message.splitlines()[0]}" if worst else head
