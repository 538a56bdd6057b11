# scenario: ignores the seed and always initialises with Rngs(0)
# expect: verdict=wrong_answer
# expect: test=test_edge_cases verdict=wrong_answer counterexample=seed,x,features
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features shrunk=x message~=differ
# expect: test=test_output_is_flat verdict=accepted
# max_examples: 5  (any generated non-zero seed reveals it)
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(0))
    return np.asarray(layer(x)).reshape(-1)
