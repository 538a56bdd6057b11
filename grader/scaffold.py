"""``grader new SLUG``: a fresh problem package whose comments teach the format.

The scaffold is a complete, working problem (``grader check`` passes on it as
generated), so an instructor edits a running example instead of starting from
a blank page.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import UsageError
from .problem import problems_dir

_SLUG = re.compile(r"^[a-z][a-z0-9_]{1,62}$")

PROBLEM_TOML = '''\
# problem.toml: the grader reads this file first. Unknown keys are errors.
slug = "{slug}"                      # must equal the directory name
title = "{title}"
entry_point = "{slug}"               # the function learners write (in starter.py and reference/{slug}.py)
arguments = ["x", "scale"]           # names of its arguments, used when showing a failing input
preload = ["numpy"]                  # modules the sandbox imports before the submission (e.g. "jax", "flax.nnx")
# tests = "tests"                    # folder of hidden pytest files (default: tests)
# reference = "../../reference/{slug}.py"   # default: reference/<slug>.py at the repository root
# prepare = "tests/prepare.py"       # optional: prepare(directory, seed) fills a folder the sandbox sees read-only

[limits]
call_seconds = 10     # one call of the entry point
import_seconds = 60   # importing the submission
total_seconds = 300   # the whole grade
memory_mb = 2048      # the worker's address space
output_mb = 16        # the largest result accepted back

[compare]
method = "allclose"   # or "exact"
rtol = 1e-6
atol = 1e-6

[hypothesis]
max_examples = 50     # examples per property test (a test's own @settings can lower it)

# [sandbox]
# env = {{ XLA_FLAGS = "--xla_force_host_platform_device_count=8" }}   # extra environment for the worker
'''

STATEMENT = '''\
# {title}

<!-- statement.md is what learners read (`grader show {slug}`). Write it in your own words:
     the task, the exact signature, input domains, the output, a worked example, how it is graded. -->

Write `{slug}(x, scale)` that returns `x * scale`.

- `x`: a 1-D NumPy float array with 1 to 20 elements.
- `scale`: a float in [-10, 10].
- Return an array of the same shape as `x`.

Example: `{slug}(np.array([1.0, 2.0]), 3.0)` returns `array([3., 6.])`.

Graded by comparing your results with a reference on generated inputs (relative and absolute
tolerance 1e-6); a failure shows the smallest input that reveals it.
'''

STARTER = '''\
"""Starter for {slug}: replace the body, keep the signature."""


def {slug}(x, scale):
    raise NotImplementedError("return x scaled by scale")
'''

REFERENCE = '''\
"""Trusted solution for {slug}. It runs on the grader's side only, never in a sandbox."""

import numpy as np


def {slug}(x, scale):
    return np.asarray(x) * scale
'''

TEST = '''\
"""Hidden tests for {slug}: ordinary pytest + Hypothesis.

Fixtures the grader provides:
  submission  - submission(*args) runs the learner's function in the sandbox, returns NumPy data;
                submission.start(*args).result() lets the reference run while the sandbox works
  reference   - the trusted solution, called here
  compare     - compare(got, expected): the problem's comparator and tolerances (raises on mismatch)
  problem     - the loaded Problem
Assertion messages are shown to learners: make them say what is wrong, not how the test works.
"""

import numpy as np
from hypothesis import example, given, strategies as st
from hypothesis.extra import numpy as hnp

# Edit the strategy to cover exactly the domains the statement promises.
xs = hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-100, 100))
scales = st.floats(-10, 10)


@given(x=xs, scale=scales)
@example(x=np.array([1.0]), scale=0.0)   # explicit edge cases run first, always
def test_matches_reference(submission, reference, compare, x, scale):
    pending = submission.start(x, scale)
    compare(pending.result(), reference(x, scale))
'''

MUTANT = '''\
# mutant: ignores the scale's sign (abs(scale)), so only negative scales reveal it
import numpy as np


def {slug}(x, scale):
    return np.asarray(x) * abs(scale)
'''


def new_problem(slug: str, base: Path | None = None, reference_dir: Path | None = None,
                title: str | None = None) -> list[Path]:
    """Write the scaffold for ``slug``; return the files written. Refuses to overwrite."""
    if not _SLUG.match(slug):
        raise UsageError(f"slug {slug!r} must be lower-case letters, digits and underscores, starting with a letter")
    base = base or problems_dir()
    root = base / slug
    reference_dir = reference_dir or base.parent / "reference"
    reference = reference_dir / f"{slug}.py"
    for path in (root, reference):
        if path.exists():
            raise UsageError(f"{path} already exists; not overwriting it")
    values = {"slug": slug, "title": title or slug.replace("_", " ").capitalize()}
    files = {
        root / "problem.toml": PROBLEM_TOML,
        root / "statement.md": STATEMENT,
        root / "starter.py": STARTER,
        root / "tests" / f"test_{slug}.py": TEST,
        root / "mutants" / "ignores_sign.py": MUTANT,
        reference: REFERENCE,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    return list(files)
