# scenario: rewrites the worker's reply so its "elapsed" field is a string (and its output field junk); the result is right
# expect: verdict~=^(accepted|runtime_error)$
# Before the fix, the trusted side's float("soon") raised inside the hidden test: an internal_error.
import gc


def the_worker():
    """The sandboxed worker object that owns the channel (learner code shares its process)."""
    return next(o for o in gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "tx"))


Worker = type(the_worker())
real_call = Worker.call


def forged_call(self, frame):
    header, blobs = real_call(self, frame)
    header["elapsed"] = "soon"
    header["output"] = {"text": ["not", "text"], "dropped": "many"}
    return header, blobs


Worker.call = forged_call


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
