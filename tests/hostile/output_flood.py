# scenario: a correct solution that floods fd 1 and fd 2 with 200 MiB each at import, and prints 100 MiB per call
# max_examples: 2
# expect: verdict=accepted score=max
# expect: output~="output dropped"
# expect: test=test_matches_reference output~="more characters of output dropped"
import os
import sys

block = b"F" * (1 << 20)
for fd in (1, 2):
    for _ in range(200):
        os.write(fd, block)


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    line = "P" * (1 << 20)
    for _ in range(100):
        sys.stdout.write(line)
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
