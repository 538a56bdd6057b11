# scenario: returns the result in x's floating dtype: exact for float32/float64, too coarse for float16
# In the property test only generated float16 inputs reveal it, so Hypothesis must find and shrink it.
# max_examples: 12  (float16 is one dtype of seven; 12 examples find it with this seed)
# expect: verdict=wrong_answer
# expect: test=test_edge_cases verdict=wrong_answer counterexample=seed,x,features
# expect: test=test_matches_reference verdict=wrong_answer counterexample=seed,x,features shrunk=x message~=differ
# expect: test=test_matches_reference message~="x=float16\[1, 1\]"
import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    y = np.asarray(layer(x)).reshape(-1)
    return y.astype(x.dtype) if x.dtype.kind == "f" else y
