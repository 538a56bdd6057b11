# scenario: in the call, SIGKILLs its parent, PID 1 and every process it may signal (kill -1), then returns the right answer
# expect: verdict~=^(accepted|runtime_error)$
import os
import signal

import numpy as np
from flax import nnx


def orbax_load_simulate(seed, x, features):
    for target in (os.getppid(), 1, -1):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
