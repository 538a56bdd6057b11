# scenario: a fork bomb in the call: every process forks until fork fails (safety cap: 2000 processes)
# expect: verdict!~=^accepted$ score=0
# expect: output~="FORKBOMB started [0-9]+ refused [0-9]+"
# How many forks succeeded and how many the kernel refused go to fd 2 ("FORKBOMB started N refused M");
# the test asserts a limit refused forks near the pids limit. The cap only keeps a sandbox without
# a pids limit from taking the machine down.
import os
import tempfile
import time

CAP = 2000


def bomb(counter):
    fd = os.open(counter, os.O_WRONLY | os.O_APPEND)
    refused = os.open(counter + ".refused", os.O_WRONLY | os.O_APPEND)
    while os.fstat(fd).st_size < CAP:
        try:
            pid = os.fork()
        except OSError:
            os.write(refused, b"x")
            time.sleep(0.01)  # keep pressing, as a real fork bomb does
            continue
        if pid == 0:
            os.write(fd, b"x")
    time.sleep(600)


def orbax_load_simulate(seed, x, features):
    counter = os.path.join(tempfile.gettempdir(), f"forkbomb-{os.getpid()}")
    open(counter, "w").close()
    open(counter + ".refused", "w").close()
    if os.fork() == 0:
        try:
            bomb(counter)
        finally:
            os._exit(0)
    last, still = -1, 0
    start = time.monotonic()
    while time.monotonic() - start < 4 and still < 10 and not os.path.getsize(counter + ".refused"):
        time.sleep(0.1)
        size = os.path.getsize(counter)
        still = still + 1 if size == last else 0
        last = size
    refused = os.path.getsize(counter + ".refused")
    os.write(2, f"FORKBOMB started {os.path.getsize(counter)} refused {refused}\n".encode())
    while True:
        pass
