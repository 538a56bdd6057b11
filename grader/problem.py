"""Problems: a directory with problem.toml, statement.md, starter.py and hidden tests.

Loading validates the whole package up front, so that an instructor's typo is a
clear error naming the file and key, not a confusing failure halfway through a
learner's grade.
"""

from __future__ import annotations

import ast
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ProblemError, UsageError

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Limits:
    """Resource limits for one grade. Times in seconds, sizes in MiB."""

    call_seconds: float = 10.0
    import_seconds: float = 60.0
    total_seconds: float = 600.0
    memory_mb: int = 2048
    output_mb: int = 64
    pids: int = 256


@dataclass(frozen=True)
class Tolerance:
    """How close a float result must be to the reference: |got - want| <= atol + rtol * |want|."""

    rtol: float = 1e-5
    atol: float = 1e-6


@dataclass(frozen=True)
class Problem:
    """A loaded, validated problem package."""

    slug: str
    title: str
    root: Path
    entry_point: str
    arguments: tuple[str, ...]
    limits: Limits = Limits()
    tolerance: Tolerance = Tolerance()
    compare_method: str = "allclose"
    max_examples: int = 100
    preload: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    tests_dir: Path = Path()
    reference_path: Path = Path()
    #: A trusted file defining ``prepare(directory: Path, seed: int)``: run before the worker
    #: starts, it fills a folder (e.g. a checkpoint) that the sandbox then sees read-only.
    prepare_path: Path | None = None

    @property
    def statement_path(self) -> Path:
        return self.root / "statement.md"

    @property
    def starter_path(self) -> Path:
        return self.root / "starter.py"

    @property
    def mutants_dir(self) -> Path:
        return self.root / "mutants"

    def with_limits(self, **changes: Any) -> "Problem":
        """A copy of this problem with some limits changed (tests and benchmarks use this)."""
        return replace(self, limits=replace(self.limits, **changes))


# key -> (type(s), required). Section tables are validated by their dataclass.
_TOP_KEYS: dict[str, tuple[tuple[type, ...], bool]] = {
    "slug": ((str,), True),
    "title": ((str,), True),
    "entry_point": ((str,), True),
    "arguments": ((list,), True),
    "preload": ((list,), False),
    "tests": ((str,), False),
    "reference": ((str,), False),
    "prepare": ((str,), False),
    "limits": ((dict,), False),
    "compare": ((dict,), False),
    "hypothesis": ((dict,), False),
    "sandbox": ((dict,), False),
}


def problems_dir() -> Path:
    """Where slugs are looked up: $GRADER_PROBLEMS, else the repository's problems/."""
    return Path(os.environ.get("GRADER_PROBLEMS", REPO_ROOT / "problems"))


def list_problems(base: Path | None = None) -> list[Problem]:
    """Every problem under ``base`` (default: problems_dir()), sorted by slug."""
    base = base or problems_dir()
    return [load_problem(p) for p in sorted(base.iterdir()) if (p / "problem.toml").is_file()]


def find_problem(name: str | os.PathLike[str]) -> Problem:
    """Load a problem by slug (under problems_dir()) or by path to its directory or problem.toml."""
    path = Path(name)
    if path.name == "problem.toml":
        path = path.parent
    if not path.is_dir():
        candidate = problems_dir() / str(name)
        if not candidate.is_dir():
            known = ", ".join(q.parent.name for q in sorted(problems_dir().glob("*/problem.toml"))) or "none"
            raise UsageError(f"no problem {str(name)!r}: not a directory and not a slug under "
                             f"{problems_dir()} (known: {known})")
        path = candidate
    return load_problem(path)


def load_problem(root: Path) -> Problem:
    """Read and validate ``root/problem.toml`` and the files it relies on."""
    root = Path(root).resolve()
    toml_path = root / "problem.toml"
    if not toml_path.is_file():
        raise ProblemError(toml_path, "missing")
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProblemError(toml_path, f"not valid TOML: {exc}") from None
    for key in data:
        if key not in _TOP_KEYS:
            raise ProblemError(toml_path, f"unknown key (known: {', '.join(_TOP_KEYS)})", key)
    for key, (types, required) in _TOP_KEYS.items():
        if key not in data:
            if required:
                raise ProblemError(toml_path, "missing required key", key)
            continue
        if not isinstance(data[key], types):
            raise ProblemError(toml_path, f"must be a {types[0].__name__}, not {type(data[key]).__name__}", key)
    slug = data["slug"]
    if slug != root.name:
        raise ProblemError(toml_path, f"{slug!r} must match the directory name {root.name!r}", "slug")
    entry = data["entry_point"]
    if not entry.isidentifier():
        raise ProblemError(toml_path, f"{entry!r} is not a Python identifier", "entry_point")
    arguments = _string_list(toml_path, data, "arguments")
    preload = _string_list(toml_path, data, "preload") if "preload" in data else []
    sandbox = data.get("sandbox", {})
    for key in sandbox:
        if key != "env":
            raise ProblemError(toml_path, "unknown key (known: env)", f"sandbox.{key}")
    env = sandbox.get("env", {})
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise ProblemError(toml_path, "must be a table of strings", "sandbox.env")
    hypothesis = _section(toml_path, data, "hypothesis", {"max_examples": int})
    max_examples = hypothesis.get("max_examples", 100)
    if max_examples < 1:
        raise ProblemError(toml_path, "must be at least 1", "hypothesis.max_examples")
    problem = Problem(
        slug=slug,
        title=data["title"],
        root=root,
        entry_point=entry,
        arguments=tuple(arguments),
        limits=Limits(**_section(toml_path, data, "limits", _fields(Limits))),
        tolerance=Tolerance(**_section(toml_path, data, "compare", _fields(Tolerance), text_keys=("method",))),
        compare_method=data.get("compare", {}).get("method", "allclose"),
        max_examples=max_examples,
        preload=tuple(preload),
        env=dict(env),
        tests_dir=root / data.get("tests", "tests"),
        reference_path=(root / data["reference"]) if "reference" in data
        else root.parent.parent / "reference" / f"{slug}.py",
        prepare_path=(root / data["prepare"]) if "prepare" in data else None,
    )
    _check_files(problem, toml_path)
    return problem


def _fields(cls: type) -> dict[str, type]:
    return {name: (float if f.type in ("float", float) else int) for name, f in cls.__dataclass_fields__.items()}


def _section(path: Path, data: dict[str, Any], name: str, schema: dict[str, type],
             text_keys: tuple[str, ...] = ()) -> dict[str, Any]:
    table = data.get(name, {})
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key in text_keys:
            if not isinstance(value, str):
                raise ProblemError(path, f"must be a string, not {type(value).__name__}", f"{name}.{key}")
            continue
        if key not in schema:
            known = ", ".join([*schema, *text_keys])
            raise ProblemError(path, f"unknown key (known: {known})", f"{name}.{key}")
        want = schema[key]
        ok = isinstance(value, (int, float)) if want is float else isinstance(value, int)
        if not ok or isinstance(value, bool):
            raise ProblemError(path, f"must be a {'number' if want is float else 'whole number'}, "
                               f"not {type(value).__name__}", f"{name}.{key}")
        if value < 0:
            raise ProblemError(path, "must not be negative", f"{name}.{key}")
        out[key] = want(value)
    return out


def _string_list(path: Path, data: dict[str, Any], key: str) -> list[str]:
    value = data[key]
    if not all(isinstance(v, str) and v for v in value):
        raise ProblemError(path, "must be a list of non-empty strings", key)
    return list(value)


def _check_files(problem: Problem, toml_path: Path) -> None:
    for path in (problem.statement_path, problem.starter_path):
        if not path.is_file():
            raise ProblemError(path, "missing")
    if not problem.tests_dir.is_dir() or not any(problem.tests_dir.glob("test_*.py")):
        raise ProblemError(problem.tests_dir, "no hidden tests (test_*.py) found", "tests")
    if problem.prepare_path is not None:
        if not problem.prepare_path.is_file():
            raise ProblemError(toml_path, f"{problem.prepare_path} does not exist", "prepare")
        if "prepare" not in defined_functions(problem.prepare_path):
            raise ProblemError(problem.prepare_path, "does not define `prepare(directory, seed)`", "prepare")
    if not problem.reference_path.is_file():
        raise ProblemError(problem.reference_path, "reference solution missing", "reference")
    for path in (problem.reference_path, problem.starter_path):
        if problem.entry_point not in defined_functions(path):
            raise ProblemError(path, f"does not define the entry point `{problem.entry_point}`", "entry_point")


def defined_functions(path: Path) -> set[str]:
    """Top-level function names of a trusted Python file (parsed, never executed)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise ProblemError(path, f"does not parse: {exc.msg} (line {exc.lineno})") from None
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
