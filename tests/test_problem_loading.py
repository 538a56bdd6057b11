"""problem.toml validation: every mistake in a problem package is an error naming the file and the key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import PROBLEM_DIR, REFERENCE
from grader.errors import ProblemError, UsageError
from grader.problem import find_problem, load_problem

SLUG = "orbax_load_simulate"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A private copy of the problem (and its reference, where the default lookup finds it)."""
    root = tmp_path / "problems" / SLUG
    shutil.copytree(PROBLEM_DIR, root, ignore=shutil.ignore_patterns("__pycache__", "mutants"))
    (tmp_path / "reference").mkdir()
    shutil.copyfile(REFERENCE, tmp_path / "reference" / f"{SLUG}.py")
    return root


def edit_toml(root: Path, pattern: str, replacement: str, count: int = 1) -> Path:
    path = root / "problem.toml"
    text, n = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=count, flags=re.M)
    assert n, f"the edit {pattern!r} matched nothing in problem.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(root: Path) -> ProblemError:
    with pytest.raises(ProblemError) as info:
        load_problem(root)
    return info.value


def assert_names(error: ProblemError, path: Path, key: str | None) -> None:
    assert error.path == str(path.resolve())
    assert error.key == key
    assert str(error).startswith(f"{path.resolve()}: {key}: " if key else f"{path.resolve()}: ")


def test_the_unedited_copy_loads(package):
    problem = load_problem(package)
    assert problem.slug == SLUG and problem.entry_point == SLUG
    assert problem.arguments == ("seed", "x", "features")
    assert problem.reference_path == (package.parent.parent / "reference" / f"{SLUG}.py").resolve()
    assert problem.limits.memory_mb == 4096 and problem.max_examples == 100


def test_unknown_top_level_key_is_named(package):
    toml = edit_toml(package, r"^title = ", 'titel = "typo"\ntitle = ')
    error = load_error(package)
    assert_names(error, toml, "titel")
    assert "unknown key" in str(error)


def test_unknown_key_in_a_section_is_named_with_its_section(package):
    toml = edit_toml(package, r"^memory_mb = ", "memory_gb = 4\nmemory_mb = ")
    error = load_error(package)
    assert_names(error, toml, "limits.memory_gb")
    assert "unknown key" in str(error) and "memory_mb" in str(error)  # lists the known keys


def test_unknown_sandbox_key_is_named(package):
    toml = edit_toml(package, r"\Z", '\n[sandbox]\nnetwork = "on"\n')
    assert_names(load_error(package), toml, "sandbox.network")


@pytest.mark.parametrize("key", ["slug", "title", "entry_point", "arguments"])
def test_missing_required_key_is_named(package, key):
    toml = edit_toml(package, rf"^{key} = .*$\n", "")
    error = load_error(package)
    assert_names(error, toml, key)
    assert "missing required key" in str(error)


@pytest.mark.parametrize("pattern, replacement, key, says", [
    (r"^title = .*$", "title = 3", "title", "must be a str, not int"),
    (r"^arguments = .*$", 'arguments = "seed, x, features"', "arguments", "must be a list"),
    (r"^arguments = .*$", 'arguments = ["seed", 2]', "arguments", "non-empty strings"),
    (r"^preload = .*$", 'preload = "jax"', "preload", "must be a list"),
    (r"^call_seconds = .*$", 'call_seconds = "20"', "limits.call_seconds", "must be a number, not str"),
    (r"^memory_mb = .*$", "memory_mb = 4096.5", "limits.memory_mb", "must be a whole number, not float"),
    (r"^memory_mb = .*$", "memory_mb = true", "limits.memory_mb", "whole number, not bool"),
    (r"^memory_mb = .*$", "memory_mb = -1", "limits.memory_mb", "must not be negative"),
    (r"^rtol = .*$", 'rtol = "tight"', "compare.rtol", "must be a number"),
    (r"^method = .*$", "method = 1", "compare.method", "must be a string"),
    (r"^max_examples = .*$", "max_examples = 0", "hypothesis.max_examples", "at least 1"),
    (r"^max_examples = .*$", "max_examples = 1.5", "hypothesis.max_examples", "whole number"),
])
def test_wrong_type_is_named_with_file_and_key(package, pattern, replacement, key, says):
    toml = edit_toml(package, pattern, replacement)
    error = load_error(package)
    assert_names(error, toml, key)
    assert says in str(error)


def test_slug_must_match_the_directory(package):
    toml = edit_toml(package, r"^slug = .*$", 'slug = "another_problem"')
    error = load_error(package)
    assert_names(error, toml, "slug")
    assert "must match the directory name" in str(error)


def test_entry_point_that_is_not_an_identifier_is_named(package):
    toml = edit_toml(package, r"^entry_point = .*$", 'entry_point = "orbax-load"')
    assert_names(load_error(package), toml, "entry_point")


def test_entry_point_missing_from_the_starter_names_the_starter(package):
    starter = package / "starter.py"
    starter.write_text(starter.read_text().replace("def orbax_load_simulate(", "def orbax_load(", 1))
    error = load_error(package)
    assert_names(error, starter, "entry_point")
    assert "does not define the entry point `orbax_load_simulate`" in str(error)


def test_entry_point_missing_from_the_reference_names_the_reference(package):
    reference = package.parent.parent / "reference" / f"{SLUG}.py"
    reference.write_text("def something_else(seed, x, features):\n    return x\n")
    error = load_error(package)
    assert_names(error, reference, "entry_point")


def test_a_starter_that_does_not_parse_is_named_without_running_it(package, tmp_path):
    marker = tmp_path / "ran"
    starter = package / "starter.py"
    starter.write_text(f"open({str(marker)!r}, 'w').close()\ndef orbax_load_simulate(:\n")
    error = load_error(package)
    assert error.path == str(starter.resolve()) and "does not parse" in str(error)
    assert not marker.exists()


def test_missing_reference_is_named(package):
    reference = package.parent.parent / "reference" / f"{SLUG}.py"
    reference.unlink()
    error = load_error(package)
    assert_names(error, reference, "reference")
    assert "reference solution missing" in str(error)


def test_reference_key_overrides_the_default_lookup(package, tmp_path):
    (package.parent.parent / "reference" / f"{SLUG}.py").rename(package / "solution.py")
    edit_toml(package, r"^title = ", 'reference = "solution.py"\ntitle = ')
    assert load_problem(package).reference_path == (package / "solution.py").resolve()


@pytest.mark.parametrize("name", ["statement.md", "starter.py"])
def test_missing_package_file_is_named(package, name):
    (package / name).unlink()
    error = load_error(package)
    assert error.path == str((package / name).resolve()) and "missing" in str(error)


def test_missing_hidden_tests_are_named(package):
    for test in (package / "tests").glob("test_*.py"):
        test.unlink()
    error = load_error(package)
    assert error.path == str((package / "tests").resolve()) and error.key == "tests"


def test_invalid_toml_names_the_file(package):
    toml = edit_toml(package, r"^title = .*$", "title = [unclosed")
    error = load_error(package)
    assert error.path == str(toml.resolve()) and "not valid TOML" in str(error)


def test_missing_problem_toml_is_named(package):
    (package / "problem.toml").unlink()
    error = load_error(package)
    assert error.path == str((package / "problem.toml").resolve()) and "missing" in str(error)


def test_unknown_slug_is_a_usage_error_listing_known_problems(monkeypatch, package):
    monkeypatch.setenv("GRADER_PROBLEMS", str(package.parent))
    with pytest.raises(UsageError, match=f"no problem 'nope'.*known: {SLUG}"):
        find_problem("nope")
    assert find_problem(SLUG).root == package.resolve()
    assert find_problem(package / "problem.toml").root == package.resolve()
