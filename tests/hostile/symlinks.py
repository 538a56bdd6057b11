# scenario: plants symlinks named like result files in its scratch, HOME and TMPDIR, aimed at /etc/shadow and the host repository
# expect: verdict=accepted score=max
# The test asserts that the report holds nothing of /etc/shadow, the hidden tests or the reference.
import os
import tempfile

TARGETS = ["/etc/shadow", "/work/main/reference/orbax_load_simulate.py",
           "/work/main/problems/orbax_load_simulate/tests/test_orbax_load_simulate.py", "/work/main", "/root"]
NAMES = ["result.json", "report.json", "output", "results.json", "stdout", "stderr", "junit.xml",
         "submission.py", "grader_worker", "lib", ".pytest_cache"]
made = 0
for folder in {os.getcwd(), os.environ.get("HOME", "/work"), tempfile.gettempdir(), "/tmp"}:
    for i, name in enumerate(NAMES):
        try:
            os.symlink(TARGETS[i % len(TARGETS)], os.path.join(folder, name))
            made += 1
        except OSError:
            pass
    for target in TARGETS:
        try:
            os.symlink(target, os.path.join(folder, os.path.basename(target) or "root-link"))
        except OSError:
            pass
print(f"planted {made} symlinks")


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
