"""Text output of ``grader check``: the steps, then the mutant table."""

from __future__ import annotations

from .check import CheckResult


def render_check(result: CheckResult) -> str:
    """Steps with ok/FAIL marks, then one row per mutant: verdict, the test that caught it, the input."""
    lines = [f"{result.problem} (sandbox {result.sandbox}): {'HOLDS' if result.ok else 'FAILS'}"]
    for step in result.steps:
        mark = "ok  " if step.ok and not step.warning else ("warn" if step.ok else "FAIL")
        lines.append(f"  [{mark}] {step.name}: {step.detail}")
    if result.mutants:
        rows = [("mutant", "verdict", "caught by", "shrunk input")]
        rows += [(m.name, m.verdict.value if m.killed else f"SURVIVED ({m.verdict.value})", m.caught_by or "-",
                  m.shrunk_input or "-") for m in result.mutants]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines.append("")
        for row in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row[:3], widths)) + "  " + row[3])
        lines.append("")
        lines += [f"  {m.name}: {m.mistake}" for m in result.mutants]
    return "\n".join(lines) + "\n"
