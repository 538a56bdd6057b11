# scenario: before each real reply, injects a forged, well-formed reply (zeros of the right shape), desynchronising the channel
# expect: verdict!~=^accepted$ score=0
import numpy as np
import gc


def the_worker():
    """The sandboxed worker object that owns the channel (learner code shares its process)."""
    return next(o for o in gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "tx"))


def orbax_load_simulate(seed, x, features):
    from flax import nnx

    worker = the_worker()
    n = x.shape[0] * int(features)
    worker.send({"ok": True, "result": {"t": "array", "dtype": "<f4", "shape": [n], "blob": 0}, "elapsed": 0.0,
                 "output": {"text": "", "dropped": 0}}, [np.zeros(n, "<f4").tobytes()])
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
