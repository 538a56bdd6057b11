# scenario: takes the layer's input size from the first axis (in_dim = x.shape[0]); crashes when N != in_dim
# expect: verdict=runtime_error
# expect: test=test_matches_reference verdict=runtime_error counterexample=seed,x,features shrunk=x
# expect: test=test_edge_cases verdict=runtime_error counterexample=seed,x,features
# expect: test=test_matches_reference traceback~=wrong_input_axis.py traceback!~="grader/|grader_worker"
# max_examples: 5  (any generated x with N != in_dim reveals it)
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[0], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
