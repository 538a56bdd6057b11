"""Hostile: try to write into the image (/usr, /opt, the worker package) and to gain privileges.

If any write succeeds, or the code runs as root or with capabilities, importing raises
(runtime_error); otherwise the file defines a correct function (accepted). The scratch
folder must stay writable, or the sandbox would be unusable.
"""

import os

import numpy as np
from flax import nnx

breaches = []
for target in ("/usr/grader-probe", "/opt/grader-probe", "/opt/grader/lib/grader_worker/probe.py",
               "/opt/venv/grader-probe", "/etc/grader-probe", "/grader-probe"):
    try:
        with open(target, "w") as f:
            f.write("x")
    except OSError:
        continue
    breaches.append(f"wrote {target}")
if os.getuid() == 0 or os.geteuid() == 0:
    breaches.append("runs as root")
with open("/proc/self/status") as f:
    caps = {k: v.strip() for k, v in (line.split(":", 1) for line in f if line.startswith("Cap"))}
if int(caps["CapEff"], 16) or int(caps["CapPrm"], 16):
    breaches.append(f"has capabilities {caps}")
if caps.get("CapBnd") and int(caps["CapBnd"], 16):
    breaches.append(f"bounding set not empty {caps['CapBnd']}")
with open("/proc/self/status") as f:
    if "NoNewPrivs:\t1" not in f.read():
        breaches.append("no_new_privs is off")
for visible in ("/problems", "/reference", "/tests", "/work/main", "/opt/grader/problems"):
    if os.path.exists(visible):
        breaches.append(f"{visible} is visible")
with open(os.path.join(os.getcwd(), "scratch-probe"), "w") as f:  # must work
    f.write("ok")

if breaches:
    raise RuntimeError("SANDBOX BREACH: " + "; ".join(breaches))
print(f"read-only root held; uid {os.getuid()}; cwd {os.getcwd()}")
os.write(2, b"raw write to fd 2 reached the grader\n")  # learner stderr is captured, not lost


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
