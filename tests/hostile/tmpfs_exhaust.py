# scenario: at import, fills /dev, /dev/shm, /tmp and its scratch with 32 MiB files (safety cap: 2 GiB per folder)
# expect: verdict=accepted score=max
# expect: output~="TMPFS /work [0-9]+"
# Reports "TMPFS <folder> <MiB>" on fd 2; the test asserts each folder holds well under a GiB, /dev nothing.
import os

block = b"\xff" * (1 << 20)
for folder in ("/dev", "/dev/shm", "/tmp", os.getcwd()):
    total = 0
    try:
        for i in range(64):
            with open(os.path.join(folder, f"fill{i}"), "wb") as f:
                for _ in range(32):
                    f.write(block)
                    total += 1
    except OSError:
        pass
    os.write(2, f"TMPFS {folder} {total}\n".encode())
    for i in range(64):
        try:
            os.unlink(os.path.join(folder, f"fill{i}"))
        except OSError:
            pass


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
