# scenario: tries to write outside its scratch (/, /usr, /opt/grader/lib, /etc, the interpreter's prefix); raises if any write works
# expect: verdict=accepted score=max
import os
import sys

written = []
for directory in ("/", "/usr", "/usr/lib", "/opt", "/opt/grader/lib", "/opt/grader/lib/grader_worker", "/etc",
                  "/data", "/var", "/root", sys.prefix, sys.base_prefix, os.path.dirname(os.__file__)):
    path = os.path.join(directory, "hostile-write-probe")
    try:
        with open(path, "w") as f:
            f.write("x")
    except OSError:
        continue
    written.append(path)
try:
    with open("/opt/grader/lib/grader_worker/wire.py", "a") as f:
        f.write("# tampered")
    written.append("wire.py")
except OSError:
    pass
if written:
    raise RuntimeError(f"SANDBOX BREACH: wrote {written}")
with open(os.path.join(os.getcwd(), "scratch-probe"), "w") as f:  # scratch must work
    f.write("ok")


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
