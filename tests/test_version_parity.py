"""The worker's library versions must match the grader's, or the grade is an internal error."""

from __future__ import annotations

import pytest

import grader.executor
from grader.grade import grade
from grader.verdict import Verdict
from conftest import REFERENCE


def test_version_mismatch_is_an_internal_error_never_a_wrong_answer(problem, monkeypatch: pytest.MonkeyPatch) -> None:
    real = grader.executor.trusted_versions()
    monkeypatch.setattr(grader.executor, "trusted_versions", lambda: dict(real, jax="0.0.1"))
    report = grade(problem, REFERENCE, sandbox="process", max_examples=2)
    assert report.verdict is Verdict.INTERNAL_ERROR
    assert all(t.verdict is Verdict.INTERNAL_ERROR for t in report.tests)
    message = report.tests[0].message
    assert "jax 0.0.1 here" in message and f"{real['jax']} in the sandbox" in message
    assert report.versions["jax"] == real["jax"]


def test_matching_versions_are_reported(problem) -> None:
    report = grade(problem, REFERENCE, sandbox="process", max_examples=1)
    assert report.accepted
    for dist, version in grader.executor.trusted_versions().items():
        assert report.versions[dist] == version
