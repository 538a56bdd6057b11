# scenario: rounds the seed (round(2.75) == 3) instead of truncating it with int() (== 2)
# expect: verdict=wrong_answer
# expect: test=test_edge_cases verdict=wrong_answer counterexample=seed,x,features
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features shrunk=x message~=differ
# expect: test=test_matches_reference message~="input: seed=1.5,"
# max_examples: 10  (needs a generated seed whose fraction is at least .5)
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(round(seed)))
    return np.asarray(layer(x)).reshape(-1)
