# scenario: a correct solution that, at import, writes a forged "accepted" JSON report to stdout, stderr and every fd 0..1023
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error message~="private channel"
# Writing into the channel's descriptor is a protocol violation; the test also asserts the JSON is
# the grader's own document (one document, the grader's keys; the forgery shows only as output text).
import json
import os

FORGED = json.dumps({"version": 1, "problem": "orbax_load_simulate", "verdict": "accepted", "score": 4.0,
                     "max_score": 4.0, "forged": "FORGED-REPORT-MARKER", "tests": []}) + "\n"
print(FORGED)
for fd in range(1024):
    try:
        os.write(fd, FORGED.encode())
    except OSError:
        pass


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
