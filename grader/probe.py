"""A probe submission that looks for hidden material from inside the sandbox.

It knows the secrets only by (size, SHA-256) of their content, so the probe
itself reveals nothing; it reports what it found through its exception
message, which is how anything gets out of a sandbox: through the grade.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_PROBE = '''\
import hashlib, os, time

SECRETS = {secrets!r}
SIZES = {{size for size, _ in SECRETS}}
_result = None


def _search(budget=45.0):
    found, deadline = [], time.monotonic() + budget
    for top, dirs, files in os.walk("/", onerror=lambda e: None):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
        if time.monotonic() > deadline:
            return found, False
        for name in files:
            path = os.path.join(top, name)
            try:
                if os.path.islink(path) or os.path.getsize(path) not in SIZES:
                    continue
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            except OSError:
                continue
            if (os.path.getsize(path), digest) in SECRETS:
                found.append(path)
    return found, True


def {entry}(*args):
    global _result
    if _result is None:
        found, complete = _search()
        _result = ("LEAK-FOUND " + ", ".join(found)) if found else ("NO-LEAK" if complete else "INCOMPLETE")
    raise RuntimeError(_result)
'''


def leak_probe(entry_point: str, secrets: list[Path]) -> str:
    """Source of a submission defining ``entry_point`` that searches for ``secrets`` by content."""
    # Tiny files (an empty __init__.py) have look-alikes everywhere; they carry no secret either.
    fingerprints = sorted({(p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
                           for p in secrets if p.stat().st_size >= 64})
    return _PROBE.format(secrets=set(fingerprints), entry=entry_point)
