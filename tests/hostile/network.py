# scenario: connects to a TCP listener of the test on the host (loopback and docker0 bridge) and to the engine's socket
# expect: verdict=accepted score=max
# The test replaces @PORT@ with the port it listens on (all addresses) and asserts it receives nothing.
import socket

PORT = int("@PORT@")
reached = []
for label, family, address in (("loopback", socket.AF_INET, ("127.0.0.1", PORT)),
                               ("bridge", socket.AF_INET, ("172.17.0.1", PORT)),
                               ("docker.sock", socket.AF_UNIX, "/var/run/docker.sock"),
                               ("docker.sock /run", socket.AF_UNIX, "/run/docker.sock")):
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(2)
    try:
        sock.connect(address)
        sock.sendall(b"GET /containers/json HTTP/1.0\r\n\r\nHOSTILE-HELLO")
    except OSError:
        continue
    finally:
        sock.close()
    reached.append(label)
if reached:
    raise RuntimeError(f"SANDBOX BREACH: reached {reached}")


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
