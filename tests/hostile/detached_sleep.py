# scenario: starts a detached background process (double fork + setsid) running "sleep @MARKER@"
# expect: verdict=accepted score=max
# The test replaces @MARKER@, watches the host's /proc for it during the grade, and asserts it is gone after.
import os
import shutil

sleep = shutil.which("sleep")
child = os.fork()
if child == 0:
    try:
        os.setsid()
        if os.fork() == 0:
            os.closerange(0, 1024)
            os.execv(sleep, ["sleep", "@MARKER@"])
    finally:
        os._exit(0)
os.waitpid(child, 0)


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
