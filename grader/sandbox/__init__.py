"""Sandbox backends, one module each, behind the protocol in :mod:`grader.sandbox.base`.

``auto`` picks the strongest backend that can run here: ``docker`` when an
engine answers and the image is current, else ``bwrap``, else ``process``
(which is not a security boundary, and says so).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ..errors import SandboxUnavailable
from .base import Sandbox

BACKENDS = {
    "process": "grader.sandbox.process:ProcessSandbox",
    "bwrap": "grader.sandbox.bwrap:BwrapSandbox",
    "docker": "grader.sandbox.docker:DockerSandbox",
}
AUTO_ORDER = ("docker", "bwrap", "process")

PROCESS_WARNING = ("sandbox 'process' is not a security boundary: the submission ran as this user, "
                   "with this user's files and network; use docker or bwrap for untrusted code")


@dataclass
class Selection:
    """The backend chosen, and why others were passed over."""

    sandbox: Sandbox
    warnings: list[str] = field(default_factory=list)


def load_backend(name: str) -> Sandbox:
    """Instantiate the backend called ``name``; raise SandboxUnavailable if it cannot run here."""
    if name not in BACKENDS:
        raise SandboxUnavailable(f"unknown sandbox {name!r} (choose from auto, {', '.join(BACKENDS)})")
    module_name, _, cls = BACKENDS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise SandboxUnavailable(f"sandbox {name!r} is not available: {exc}") from None
    backend = getattr(module, cls)()
    check = getattr(backend, "check_available", None)
    if check is not None:
        check()
    return backend


def select_sandbox(name: str = "auto") -> Selection:
    """Resolve a backend name (or ``auto``) to a ready backend, with warnings for the report."""
    if name != "auto":
        backend = load_backend(name)
        return Selection(backend, _warnings(backend))
    reasons = []
    for candidate in AUTO_ORDER:
        try:
            backend = load_backend(candidate)
        except SandboxUnavailable as exc:
            reasons.append(str(exc))
            continue
        return Selection(backend, _warnings(backend) + ([] if backend.isolated else reasons))
    raise SandboxUnavailable("no sandbox can run here: " + "; ".join(reasons))


def _warnings(backend: Sandbox) -> list[str]:
    found = [] if backend.isolated else [PROCESS_WARNING]
    if backend.name in ("bwrap", "process"):
        from .cgroup import available

        if not available():
            found.append(f"no writable cgroup here: sandbox {backend.name!r} cannot cap the number of "
                         "processes or memory held in tmpfs (run as root on a cgroup-enabled host)")
    return found
