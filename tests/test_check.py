"""`grader new` and `grader check`: scaffolds that work, and checks that catch weak tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.check import check_problem
from grader.check_report import render_check
from grader.cli import main
from grader.errors import UsageError
from grader.problem import load_problem
from grader.scaffold import new_problem

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty problems/ + reference/ tree that the CLI looks in."""
    (tmp_path / "problems").mkdir()
    (tmp_path / "reference").mkdir()
    monkeypatch.setenv("GRADER_PROBLEMS", str(tmp_path / "problems"))
    return tmp_path


def test_new_scaffold_loads_and_passes_check_end_to_end(workspace: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(main, ["new", "scale_it"])
    assert created.exit_code == 0, created.output
    assert (workspace / "reference" / "scale_it.py").is_file()
    problem = load_problem(workspace / "problems" / "scale_it")
    assert problem.entry_point == "scale_it"
    checked = runner.invoke(main, ["check", "scale_it", "--sandbox", "process", "--max-examples", "10"])
    assert checked.exit_code == 0, checked.output
    assert "scale_it (sandbox process): HOLDS" in checked.output
    assert "ignores_sign" in checked.output  # the scaffold's mutant is in the table, rejected


def test_new_refuses_to_overwrite_and_rejects_bad_slugs(workspace: Path) -> None:
    new_problem("twice", base=workspace / "problems")
    with pytest.raises(UsageError, match="already exists"):
        new_problem("twice", base=workspace / "problems")
    with pytest.raises(UsageError, match="lower-case"):
        new_problem("Bad-Slug", base=workspace / "problems")


def test_check_fails_and_names_the_mutant_a_weak_test_lets_survive(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "problems", tmp_path / "problems")
    shutil.copytree(FIXTURES / "reference", tmp_path / "reference")
    problem = load_problem(tmp_path / "problems" / "weak_scale")
    result = check_problem(problem, sandbox="process")
    assert not result.ok
    survivors = [m.name for m in result.mutants if not m.killed]
    assert survivors == ["returns_input"]
    caught = {m.name: m for m in result.mutants}["wrong_shape"]
    assert caught.verdict.value == "wrong_answer" and caught.caught_by == "test_shape_only"
    text = render_check(result)
    assert "SURVIVED" in text and "returns_input" in text and "FAILS" in text


def test_check_exit_code_is_one_when_a_mutant_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES / "problems", tmp_path / "problems")
    shutil.copytree(FIXTURES / "reference", tmp_path / "reference")
    monkeypatch.setenv("GRADER_PROBLEMS", str(tmp_path / "problems"))
    result = CliRunner().invoke(main, ["check", "weak_scale", "--sandbox", "process"])
    assert result.exit_code == 1
    assert "survived (the hidden tests miss these mistakes): returns_input" in result.output
