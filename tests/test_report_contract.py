"""The results contract: the JSON report's schema, determinism, verdict precedence, and CLI exit codes."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE, SCHEMA, assert_valid, leftover_workers, schema_errors
from grader.cli import main
from grader.grade import grade
from grader.reports import render
from grader.verdict import PRECEDENCE, CaseResult, Report, Verdict, overall

SLUG = "orbax_load_simulate"

# Wrong, but cheap to grade (NumPy only, no JAX in the worker): all zeros, and one value too many
# for uint8 input, which no explicit example uses, so Hypothesis has to find and shrink it.
CHEAP_WRONG = '''\
import numpy as np


def orbax_load_simulate(seed, x, features):
    n = x.shape[0] * int(features) + (x.dtype == np.uint8)
    return np.zeros(n, np.float32)
'''


@pytest.fixture(scope="module")
def cheap_wrong(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("submissions") / "cheap_wrong.py"
    path.write_text(CHEAP_WRONG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cheap_wrong_report(cheap_wrong) -> dict:
    report = grade(SLUG, cheap_wrong, sandbox="process", seed=7, max_examples=20)
    return json.loads(render(report, "json"))


# -- schema ------------------------------------------------------------------------------------
def test_schema_verdict_enum_is_exactly_the_nine_verdicts():
    assert SCHEMA["$defs"]["verdict"]["enum"] == [v.value for v in Verdict]
    assert len(Verdict) == 9 and all(v.value == v.value.lower() for v in Verdict)


def test_schema_requires_the_contract_fields():
    assert set(SCHEMA["required"]) >= {"version", "problem", "verdict", "score", "max_score", "seed",
                                       "sandbox", "tests"}
    assert set(SCHEMA["$defs"]["test"]["required"]) >= {"name", "verdict", "score", "max_score", "message",
                                                        "output"}


def test_validator_rejects_documents_that_break_the_schema():
    good = json.loads(render(Report(SLUG, 0, "process", [CaseResult("t", Verdict.ACCEPTED)]), "json"))
    assert not schema_errors(good, SCHEMA)
    broken = [
        {k: v for k, v in good.items() if k != "seed"},
        dict(good, verdict="Accepted"),
        dict(good, version=2),
        dict(good, seed=-1),
        dict(good, score="1"),
        dict(good, tests=[{"name": "t", "verdict": "passed", "score": 1, "max_score": 1, "message": "",
                           "output": ""}]),
        dict(good, tests=[{"name": "t", "verdict": "accepted", "score": 1, "max_score": 1, "message": ""}]),
        dict(good, versions={"jax": 1}),
    ]
    for document in broken:
        assert schema_errors(document, SCHEMA), f"accepted a broken document: {document}"


@pytest.mark.parametrize("verdict", list(Verdict), ids=str)
def test_report_of_every_verdict_validates(verdict):
    case = CaseResult("test_x.py::test_y", verdict, message="m", output="printed \x00 \u2603",
                      counterexample={"seed": 1.5, "x": {"shape": [1, 1], "dtype": "float32"}, "features": 2.0},
                      details={"traceback": "Traceback ..."})
    report = Report(SLUG, 12, "process", [case, CaseResult("test_x.py::test_z", Verdict.ACCEPTED)],
                    message="summary", output="out", submission="s.py", warnings=["w"], versions={"jax": "0"})
    text = render(report, "json")
    assert text.isascii()  # learner text is escaped
    document = json.loads(text)
    assert_valid(document)
    assert document["verdict"] == verdict.value
    assert document["score"] == (2.0 if verdict is Verdict.ACCEPTED else 1.0) and document["max_score"] == 2.0


def test_report_of_a_real_grade_validates(cheap_wrong_report):
    assert_valid(cheap_wrong_report)
    assert cheap_wrong_report["verdict"] == "wrong_answer"
    assert cheap_wrong_report["problem"] == SLUG and cheap_wrong_report["sandbox"] == "process"
    assert cheap_wrong_report["seed"] == 7
    assert not leftover_workers()


def test_report_of_an_internal_error_validates(tmp_path):
    report = Report(SLUG, 0, "process", [])
    assert report.verdict is Verdict.INTERNAL_ERROR  # no tests at all is never an acceptance
    assert_valid(json.loads(render(report, "json")))


# -- determinism -------------------------------------------------------------------------------
def test_same_seed_gives_the_identical_json_report(cheap_wrong, cheap_wrong_report):
    again = json.loads(render(grade(SLUG, cheap_wrong, sandbox="process", seed=7, max_examples=20), "json"))
    assert again == cheap_wrong_report
    # The second property had to be found by generation and shrunk, so determinism covers shrinking too.
    flat = next(t for t in again["tests"] if "test_output_is_flat" in t["name"])
    assert flat["verdict"] == "wrong_answer"
    assert flat["counterexample"]["x"]["dtype"] == "uint8"
    assert not leftover_workers()


def test_a_different_seed_is_reported(cheap_wrong):
    document = json.loads(render(grade(SLUG, cheap_wrong, sandbox="process", seed=123, max_examples=2), "json"))
    assert document["seed"] == 123
    assert_valid(document)


# -- overall verdict precedence ----------------------------------------------------------------
def test_precedence_lists_every_verdict_once_most_severe_first():
    assert sorted(PRECEDENCE, key=lambda v: v.value) == sorted(Verdict, key=lambda v: v.value)
    assert PRECEDENCE[0] is Verdict.INTERNAL_ERROR and PRECEDENCE[-1] is Verdict.ACCEPTED
    assert PRECEDENCE[-2] is Verdict.WRONG_ANSWER


def test_no_tests_is_an_internal_error_never_an_acceptance():
    assert overall([]) is Verdict.INTERNAL_ERROR


def test_all_accepted_is_accepted():
    assert overall([Verdict.ACCEPTED] * 3) is Verdict.ACCEPTED


@pytest.mark.parametrize("a, b", list(itertools.combinations(PRECEDENCE, 2)), ids=lambda v: str(v))
def test_the_more_severe_verdict_wins_in_either_order(a, b):
    assert overall([a, b]) is a and overall([b, a]) is a
    assert overall([Verdict.ACCEPTED, b, Verdict.ACCEPTED, a]) is a


def test_internal_error_is_never_hidden_behind_a_learner_fault():
    assert overall([Verdict.SYNTAX_ERROR, Verdict.INTERNAL_ERROR, Verdict.TIME_LIMIT]) is Verdict.INTERNAL_ERROR


def test_load_failures_outrank_what_calls_did():
    assert overall([Verdict.WRONG_ANSWER, Verdict.SYNTAX_ERROR]) is Verdict.SYNTAX_ERROR
    assert overall([Verdict.RUNTIME_ERROR, Verdict.MISSING_FUNCTION]) is Verdict.MISSING_FUNCTION
    assert overall([Verdict.TIME_LIMIT, Verdict.RUNTIME_ERROR, Verdict.WRONG_ANSWER]) is Verdict.TIME_LIMIT


def test_report_verdict_and_score_follow_its_tests():
    tests = [CaseResult("a", Verdict.ACCEPTED, max_score=2.0), CaseResult("b", Verdict.WRONG_ANSWER),
             CaseResult("c", Verdict.MEMORY_LIMIT, max_score=0.5)]
    report = Report(SLUG, 0, "process", tests)
    assert report.verdict is Verdict.MEMORY_LIMIT and not report.accepted
    assert (report.score, report.max_score) == (2.0, 3.5)


# -- the command line --------------------------------------------------------------------------
def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_exit_code_0_when_accepted():
    result = run_cli("grade", SLUG, str(REFERENCE), "--sandbox", "process", "--max-examples", "1",
                     "--no-color")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ACCEPTED")
    assert not leftover_workers()


def test_cli_exit_code_1_when_rejected_and_json_is_exactly_one_document(cheap_wrong):
    result = run_cli("grade", SLUG, str(cheap_wrong), "--sandbox", "process", "--max-examples", "2",
                     "--seed", "7", "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)  # raises if stdout holds anything but one JSON document
    assert isinstance(document, dict) and document["verdict"] == "wrong_answer"
    assert result.stdout.count("\n{") == 0 and result.stdout.rstrip().endswith("}")
    assert_valid(document)


def test_cli_exit_code_2_for_an_unknown_problem(cheap_wrong):
    result = run_cli("grade", "no_such_problem", str(cheap_wrong), "--sandbox", "process")
    assert result.exit_code == 2
    assert "no problem 'no_such_problem'" in result.stderr
    assert result.stdout == ""


def test_cli_exit_code_2_for_a_missing_submission(tmp_path):
    result = run_cli("grade", SLUG, str(tmp_path / "absent.py"), "--sandbox", "process")
    assert result.exit_code == 2 and "is not a file" in result.stderr


def test_cli_exit_code_2_for_bad_usage(cheap_wrong):
    assert run_cli("grade", SLUG, str(cheap_wrong), "--format", "yaml").exit_code == 2
    assert run_cli("grade", SLUG, str(cheap_wrong), "--seed", "-1").exit_code == 2


def test_non_finite_numbers_in_a_report_still_give_strict_json():
    # A wrong answer against an all-zero reference has an infinite relative error.
    case = CaseResult("t", Verdict.WRONG_ANSWER, message="differ", counterexample={"seed": "nan"},
                      details={"difference": {"max_rel_error": float("inf"),
                                              "got": [float("nan"), -float("inf")]}})
    text = render(Report(SLUG, 0, "process", [case]), "json")
    document = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert document["tests"][0]["details"]["difference"] == {"max_rel_error": "inf", "got": ["nan", "-inf"]}
    assert_valid(document)
