"""The pytest plugin through which hidden tests reach the submission and the reference.

Hidden tests are ordinary pytest + Hypothesis files. They ask for fixtures:

``submission``
    Calls the learner's function *in the sandbox*: ``submission(*args)`` returns
    plain NumPy data; ``submission.start(*args)`` sends the call and returns a
    handle whose ``.result()`` waits, so the reference can run meanwhile.
``reference``
    Calls the trusted solution in this process and returns NumPy data.
``compare``
    ``compare(got, expected)`` with the problem's comparator and tolerances;
    raises an AssertionError (a wrong answer) that says how they differ.
``problem``
    The loaded :class:`~grader.problem.Problem`.
``data_dir`` / ``sandbox_data_path``
    For problems with a ``prepare`` hook: the prepared folder as the trusted
    side sees it, and as the submission sees it (read-only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from .comparators import Comparator
from .executor import Executor, Pending
from .feedback import classify, describe_args, short_args, unwrap
from .problem import Problem
from .verdict import CaseResult, Verdict
from .worker.wire import Placed

OUTPUT_PER_TEST = 8 * 1024


class SubmissionCall:
    """The ``submission`` fixture: the learner's entry point, behind the sandbox."""

    def __init__(self, plugin: "GraderPlugin") -> None:
        self._plugin = plugin

    def start(self, *args: Any) -> "PendingValue":
        return PendingValue(self._plugin, self._plugin.executor.submit(*args))

    def __call__(self, *args: Any) -> Any:
        return self.start(*args).result()


class PendingValue:
    def __init__(self, plugin: "GraderPlugin", pending: Pending) -> None:
        self._plugin, self._pending = plugin, pending

    def result(self) -> Any:
        outcome = self._pending.result()
        self._plugin.record_output(outcome.output)
        return without_placement(outcome.value)

    def placed(self) -> Any:
        """The result with the worker's placement claims kept (wire.Placed), for sharding checks."""
        outcome = self._pending.result()
        self._plugin.record_output(outcome.output)
        return outcome.value


def without_placement(value: Any) -> Any:
    """Plain NumPy data: a returned jax.Array arrives as wire.Placed (array + where it lived)."""
    if isinstance(value, Placed):
        return value.array
    if isinstance(value, dict):
        return {k: without_placement(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_placement(v) for v in value)
    return value


class GraderPlugin:
    """Provides the fixtures and records one CaseResult per hidden test item."""

    def __init__(self, problem: Problem, executor: Executor, reference: Callable[..., Any],
                 comparator: Comparator, data_dir: Path | None = None,
                 sandbox_data_path: str | None = None) -> None:
        self.problem, self.executor, self.comparator = problem, executor, comparator
        self._data_dir, self._sandbox_data_path = data_dir, sandbox_data_path
        self.max_examples_cap: int | None = None
        self._reference = reference
        self.results: dict[str, CaseResult] = {}
        self.order: list[str] = []
        self.collect_errors: list[str] = []
        self._outputs: list[str] = []
        self._outputs_dropped = False
        self._last_output = ""

    # -- fixtures ----------------------------------------------------------
    @pytest.fixture(scope="session")
    def submission(self) -> SubmissionCall:
        # No ensure_loaded() here: a load failure is a SubmissionAbort (a BaseException), and pytest
        # cannot cache a session fixture that raised one: later tests would die on pytest's own
        # `assert not self._finalizers` and be reported as wrong answers. Each call loads lazily
        # (Executor.submit), so the load failure is raised, and reported, inside every test.
        return SubmissionCall(self)

    @pytest.fixture(scope="session")
    def reference(self) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            return to_numpy(self._reference(*args))

        return call

    @pytest.fixture(scope="session")
    def compare(self) -> Callable[[Any, Any], None]:
        return self.comparator.compare

    @pytest.fixture(scope="session")
    def data_dir(self) -> Path:
        """The folder ``prepare()`` filled, as the trusted side sees it."""
        if self._data_dir is None:
            pytest.fail("this problem has no `prepare` hook, so there is no data folder")
        return self._data_dir

    @pytest.fixture(scope="session")
    def sandbox_data_path(self) -> str:
        """The same folder as the submission sees it (read-only); pass this to the learner's function."""
        if self._sandbox_data_path is None:
            pytest.fail("this problem has no `prepare` hook, so there is no data folder")
        return self._sandbox_data_path

    @pytest.fixture(scope="session", name="problem")
    def problem_fixture(self) -> Problem:
        return self.problem

    # -- recording ---------------------------------------------------------
    def record_output(self, text: str) -> None:
        self._last_output = text
        if text and sum(map(len, self._outputs)) < OUTPUT_PER_TEST:
            self._outputs.append(text)
        elif text:
            self._outputs_dropped = True

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Apply an explicit --max-examples as a cap, also to tests that set their own count."""
        if self.max_examples_cap is None:
            return
        from hypothesis import settings

        for item in items:
            test = getattr(item, "obj", None)
            current = getattr(test, "_hypothesis_internal_use_settings", None)
            if current is not None and current.max_examples > self.max_examples_cap:
                test._hypothesis_internal_use_settings = settings(current, max_examples=self.max_examples_cap)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {str(report.longrepr)[-2000:]}")

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._outputs, self._last_output, self._outputs_dropped = [], "", False
        self.executor.last_args = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        name = case_name(item)
        if name not in self.results:
            self.order.append(name)
            self.results[name] = CaseResult(name, Verdict.ACCEPTED, message="passed")
        case = self.results[name]
        if call.excinfo is not None and case.verdict is Verdict.ACCEPTED:
            if call.excinfo.errisinstance(pytest.skip.Exception):
                case.verdict, case.message = Verdict.INTERNAL_ERROR, "a hidden test was skipped"
                return report
            verdict, message, failure = classify(call.excinfo.value, self.executor.last_args)
            args = failure.args if failure is not None and failure.args is not None else self.executor.last_args
            if verdict is Verdict.INTERNAL_ERROR:
                args = None
            case.verdict, case.counterexample = verdict, describe_args(self.problem.arguments, args)
            where = short_args(case.counterexample)
            case.message = f"{message}\n  input: {where}" if where else message
            case.output = failure.output if failure is not None and failure.output else self._last_output
            details = getattr(unwrap(call.excinfo.value), "details", None)
            if details:
                case.details["difference"] = details
            if failure is not None and failure.traceback:
                case.details["traceback"] = failure.traceback
        elif call.when == "call" and case.verdict is Verdict.ACCEPTED:
            case.output = capped_output("".join(self._outputs), self._outputs_dropped)
        return report


def capped_output(text: str, dropped: bool = False) -> str:
    """A test's output within OUTPUT_PER_TEST characters; cutting it (or having skipped some) says so."""
    if len(text) > OUTPUT_PER_TEST:
        more = len(text) - OUTPUT_PER_TEST
        return text[:OUTPUT_PER_TEST] + f"\n[... {more} more characters of output dropped ...]\n"
    if dropped:
        return text + "\n[... more output dropped ...]\n"
    return text



def case_name(item: pytest.Item) -> str:
    """``test_file.py::test_name[param]``: stable, and without the problem's absolute path."""
    return item.nodeid.split("/")[-1]


def to_numpy(value: Any) -> Any:
    """The reference's result as NumPy data (it may return JAX arrays or containers of them)."""
    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_numpy(v) for v in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return np.asarray(value)
