# scenario: walks the file system and /proc for hidden tests, the reference, problem files and secrets, printing all it finds
# expect: verdict=accepted score=max
# The test also asserts that neither the hidden test file's text, nor the reference's, nor the grading
# process's canary environment variable, nor /etc/shadow appear anywhere in the JSON report.
import ctypes
import os

found = []
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("sys", "dev", "proc")]
    for name in files:
        path = os.path.join(root, name)
        interesting = ("orbax_load_simulate" in name and name != os.path.basename(__file__)) or name in (
            "problem.toml", "statement.md")
        if interesting or name.startswith("test_orbax"):
            found.append(path)
# What other processes are there, and what do they know?
leaks = []
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    for what in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{what}", "rb") as f:
                leaks.append(f"{pid}/{what}: " + f.read(4096).replace(b"\0", b" ").decode("latin-1"))
        except OSError:
            pass
    for link in ("cwd", "root", "exe"):
        try:
            leaks.append(f"{pid}/{link} -> {os.readlink(f'/proc/{pid}/{link}')}")
            found += [os.path.join(f"/proc/{pid}/{link}", n) for n in os.listdir(f"/proc/{pid}/{link}")
                      if n in ("problems", "reference", "tests")]
        except OSError:
            pass
try:
    with open("/proc/self/mountinfo") as f:
        leaks.append(f.read())
except OSError:
    pass
# ptrace the first process we can see (the sandbox's init, or ourselves in docker).
libc = ctypes.CDLL(None, use_errno=True)
leaks.append(f"ptrace(ATTACH, 1) = {libc.ptrace(16, 1, 0, 0)} errno {ctypes.get_errno()}")
print("\n".join(leaks))
texts = []
for path in found:
    try:
        with open(path, errors="replace") as f:
            texts.append(f"== {path}\n" + f.read())
    except OSError as exc:
        texts.append(f"== {path}: {exc}")
if found:
    print("\n".join(texts))
    raise RuntimeError("found hidden files: " + "\n".join(texts)[:4000])


def orbax_load_simulate(seed, x, features):
    import numpy as np
    from flax import nnx

    layer = nnx.Linear(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return np.asarray(layer(x)).reshape(-1)
