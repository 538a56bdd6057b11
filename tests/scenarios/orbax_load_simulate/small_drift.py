# scenario: right computation, but adds 1e-3 to every value (outside rtol=1e-5, atol=1e-6)
# expect: verdict=wrong_answer
# expect: test=test_edge_cases verdict=wrong_answer counterexample=seed,x,features
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features shrunk=x message~=differ
# max_examples: 3  (the first generated input reveals it)
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1) + 1e-3
