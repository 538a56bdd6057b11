"""The naive baseline: the same property check, submission imported in-process (no sandbox)."""

import importlib.util
import sys

import numpy as np
from hypothesis import given, settings

sys.path.insert(0, "@TESTS@")
from strategies import features, inputs, seeds  # noqa: E402


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


submission = _load("@SUBMISSION@", "naive_submission").orbax_load_simulate
reference = _load("@REFERENCE@", "naive_reference").orbax_load_simulate


@settings(max_examples=@N@, deadline=None, database=None)
@given(seed=seeds, x=inputs(), features=features)
def test_matches_reference(seed, x, features):
    got = np.asarray(submission(seed, x, features))
    want = np.asarray(reference(seed, x, features))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
