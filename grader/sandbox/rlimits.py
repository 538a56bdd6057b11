"""Resource limits applied by the worker's bootstrap before any learner code runs."""

from __future__ import annotations

from ..problem import Limits


def rlimit_prelude(limits: Limits) -> str:
    """Python source that sets soft and hard rlimits in the starting worker.

    Address space (not RSS) is what an rlimit can cap; JAX's CPU client works
    within a few GiB of it. File size is capped so a submission cannot fill
    the disk, and core dumps are off.
    """
    memory = limits.memory_mb << 20
    fsize = max(limits.output_mb, 16) << 20
    cpu = int(limits.total_seconds) + 30
    return (
        "import resource as _r\n"
        f"for _k, _v in ((_r.RLIMIT_AS, {memory}), (_r.RLIMIT_CORE, 0), (_r.RLIMIT_FSIZE, {fsize}),"
        f" (_r.RLIMIT_NOFILE, 512), (_r.RLIMIT_CPU, {cpu})):\n"
        "    _r.setrlimit(_k, (_v, _v))\n"
        "del _r, _k, _v\n"
    )
