"""Shared fixtures of the core test suite: the problem, and a check that no worker outlives a grade."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.problem import Problem, find_problem
from grader.sandbox.pipes import descendants

REPO = Path(__file__).resolve().parent.parent
PROBLEM_DIR = REPO / "problems" / "orbax_load_simulate"
REFERENCE = REPO / "reference" / "orbax_load_simulate.py"
SCHEMA = json.loads((Path(__file__).parent / "report_schema.json").read_text(encoding="utf-8"))


def leftover_workers(root: int | None = None) -> list[tuple[int, str]]:
    """Descendants of ``root`` (default: this process) whose command line mentions grader_worker."""
    found = []
    for pid in descendants(os.getpid() if root is None else root):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "grader_worker" in cmdline:
            found.append((pid, cmdline[:200]))
    return found


def marked(marker: str) -> list[int]:
    """Host pids (this process excluded) whose command line contains ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


@pytest.fixture
def no_leftover_workers():
    """Fail the test if its grades left a worker process running below this one."""
    yield
    left = leftover_workers()
    assert not left, f"worker processes outlived the grade: {left}"


@pytest.fixture(scope="session")
def problem() -> Problem:
    return find_problem(PROBLEM_DIR)


# -- a small JSON Schema (draft 2020-12) validator: the keywords report_schema.json uses ----------
def schema_errors(instance, schema, root=None, where="$"):
    """Every way ``instance`` breaks ``schema``, as readable strings (empty when valid)."""
    root = schema if root is None else root
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), f"only local $ref is supported, not {ref}"
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        return schema_errors(instance, target, root, where)
    errors = []
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    if "type" in schema:
        wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]

        def is_type(kind):
            if kind == "integer":
                return isinstance(instance, int) and not isinstance(instance, bool)
            if kind == "number":
                return isinstance(instance, (int, float)) and not isinstance(instance, bool)
            return isinstance(instance, kinds[kind])

        if not any(is_type(k) for k in wanted):
            return [f"{where}: expected {'/'.join(wanted)}, got {type(instance).__name__}"]
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{where}: expected {schema['const']!r}, got {instance!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{where}: {instance!r} is not one of {schema['enum']}")
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{where}: {instance} is below {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{where}: {instance} is above {schema['maximum']}")
    if isinstance(instance, str) and len(instance) < schema.get("minLength", 0):
        errors.append(f"{where}: shorter than {schema['minLength']}")
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            if key not in instance:
                errors.append(f"{where}: missing required {key!r}")
        properties = schema.get("properties", {})
        for key, value in instance.items():
            if key in properties:
                errors += schema_errors(value, properties[key], root, f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(value, schema["additionalProperties"], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected {key!r}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            errors += schema_errors(item, schema["items"], root, f"{where}[{i}]")
    return errors


def assert_valid(document):
    errors = schema_errors(document, SCHEMA)
    assert not errors, "the report breaks tests/report_schema.json:\n  " + "\n  ".join(errors)
    try:
        import jsonschema  # optional: not in requirements.lock
    except ImportError:
        return
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
