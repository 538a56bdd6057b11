"""The text report, for people: verdict first, then each test, then what to fix."""

from __future__ import annotations

import json
import re

from ..verdict import Report, Verdict

_COLORS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _paint(text: str, color: str | None, enabled: bool) -> str:
    return f"\x1b[{_COLORS[color]}m{text}\x1b[0m" if enabled and color else text


def _clean(text: str) -> str:
    """Learner-controlled text must not drive the terminal (no escape sequences)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.rstrip("\n").splitlines())


def render(report: Report, color: bool = False) -> str:
    """A readable report; ``color`` adds ANSI colours (for a terminal)."""
    ok = report.accepted
    lines = [
        _paint(f"{report.verdict.value.upper().replace('_', ' ')}", "green" if ok else "red", color)
        + f"  {report.problem}  score {report.score:g}/{report.max_score:g}",
        _paint(f"submission {report.submission}, sandbox {report.sandbox}, seed {report.seed}", "dim", color),
    ]
    for warning in report.warnings:
        lines.append(_paint(f"warning: {warning}", "yellow", color))
    lines.append("")
    for case in report.tests:
        mark = "PASS" if case.verdict is Verdict.ACCEPTED else "FAIL"
        lines.append(_paint(f"  {mark} ", "green" if mark == "PASS" else "red", color)
                     + f"{case.name}" + ("" if mark == "PASS" else f"  [{case.verdict.value}]"))
        if case.verdict is Verdict.ACCEPTED:
            continue
        message = case.message
        if case.counterexample:  # shown in full below, so not also as the message's one-line form
            message = "\n".join(l for l in message.splitlines() if not l.startswith("  input: "))
        lines.append(_indent(_clean(message)))
        if case.counterexample:
            lines.append("      failing input (generated ones are shrunk to the smallest Hypothesis finds):")
            for name, value in case.counterexample.items():
                lines.append(f"        {name} = {_clean(json.dumps(value))}")
        traceback = case.details.get("traceback")
        if traceback:
            lines.append("      your traceback:")
            lines.append(_indent(_clean(traceback), "        "))
        if case.output:
            lines.append("      your output during this test:")
            lines.append(_indent(_clean(case.output), "        | "))
    if report.output.strip():
        lines += ["", "output of your file (imports, and writes to file descriptors):",
                  _indent(_clean(report.output), "  | ")]
    lines += ["", report.message.split(";")[0]]  # the first failure is already shown above
    return "\n".join(lines) + "\n"
