# scenario: forgets to flatten and returns the (N, features) output as it is
# max_examples: 3  (the first generated input reveals it)
# expect: verdict=wrong_answer
# expect: test=test_edge_cases verdict=wrong_answer counterexample=seed,x,features
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features shrunk=x
# expect: test=test_output_is_flat verdict=wrong_answer counterexample=seed,x,features message~="1-D"
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x))
