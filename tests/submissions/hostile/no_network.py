"""Hostile: try to reach the host and the engine from inside the sandbox at import time.

The grading test replaces @PORT@ with a TCP port it listens on (0.0.0.0, so both the host's
loopback and the docker0 bridge address would answer a container that had a network).
If any attempt succeeds, importing raises, and the verdict is runtime_error; if all fail,
the file defines a correct function, and the verdict is accepted.
"""

import socket

import numpy as np
from flax import nnx

PORT = int("@PORT@")
reached = []
blocked = []


def attempt(label, family, address):
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(3)
    try:
        sock.connect(address)
    except OSError as exc:
        blocked.append(f"{label}: {type(exc).__name__}")
    else:
        reached.append(label)
    finally:
        sock.close()


attempt("host loopback", socket.AF_INET, ("127.0.0.1", PORT))
attempt("docker0 bridge", socket.AF_INET, ("172.17.0.1", PORT))
attempt("engine socket", socket.AF_UNIX, "/var/run/docker.sock")
attempt("engine socket (/run)", socket.AF_UNIX, "/run/docker.sock")
try:
    socket.getaddrinfo("pypi.org", 443)
    reached.append("DNS")
except OSError as exc:
    blocked.append(f"DNS: {type(exc).__name__}")
interfaces = sorted(name for _, name in socket.if_nameindex())
if interfaces != ["lo"]:
    reached.append(f"network interfaces {interfaces}")

if reached:
    raise RuntimeError("SANDBOX BREACH: reached " + ", ".join(reached))
print("network blocked: " + "; ".join(blocked))


def orbax_load_simulate(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
