# scenario: transposes the (N, features) output before flattening (column-major order)
# expect: verdict=wrong_answer
# expect: test=test_edge_cases verdict=wrong_answer counterexample=seed,x,features
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features shrunk=x message~=differ
# expect: test=test_matches_reference message~="input: seed=0.0, x=float32\[2, 1\], features=2.0"
# expect: test=test_output_is_flat verdict=accepted
# expect: test=test_same_seed verdict=accepted
# max_examples: 8  (generated inputs reveal it once N >= 2 and features >= 2; shrinking then finds the smallest)
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).T.reshape(-1)
