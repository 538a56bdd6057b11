"""The naive baseline as a pytest plugin: the same hidden tests, submission imported in-process.

`bench_grade.py` runs problems/orbax_load_simulate/tests with this plugin instead of
the grader: same tests, same strategies and example counts, same seed; no sandbox,
no process boundary, and submission and reference share one JAX compilation cache.
"""

import importlib.util
import os

import numpy as np
import pytest


def _load(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _InProcess:
    def __init__(self, function):
        self.function = function

    def __call__(self, *args):
        return np.asarray(self.function(*args))

    def start(self, *args):
        return _Done(self(*args))


@pytest.fixture(scope="session")
def submission():
    return _InProcess(getattr(_load(os.environ["NAIVE_SUBMISSION"], "naive_submission"), os.environ["NAIVE_ENTRY"]))


@pytest.fixture(scope="session")
def reference():
    return _InProcess(getattr(_load(os.environ["NAIVE_REFERENCE"], "naive_reference"), os.environ["NAIVE_ENTRY"]))


@pytest.fixture(scope="session")
def compare():
    def check(got, expected):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
        assert np.shape(got) == np.shape(expected)

    return check



# The grader's profile, minus the grader: same example count, no database, no deadline.
# Registered at import (-p loads this module before Hypothesis reads --hypothesis-profile).
from hypothesis import HealthCheck, settings  # noqa: E402

_EXAMPLES = int(os.environ.get("NAIVE_EXAMPLES", "100"))
settings.register_profile(f"naive{_EXAMPLES}", max_examples=_EXAMPLES, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
