"""The ``grader`` command: a thin layer over the Python API.

Exit codes: 0 accepted (or the command succeeded), 1 not accepted (or a check
failed), 2 usage errors and internal errors.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import click

from .errors import GraderError
from .problem import find_problem, list_problems
from .verdict import Verdict

EXIT_OK, EXIT_REJECTED, EXIT_ERROR = 0, 1, 2


class GraderGroup(click.Group):
    """Turns GraderError into a one-line message and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GraderError as exc:
            click.echo(f"grader: error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=GraderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grader")
def main() -> None:
    """Grade JAX/Flax exercises in a sandbox against a trusted reference."""


@main.command()
@click.argument("problem")
@click.argument("submission", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format: text for people, json for machines (exactly one document on stdout).")
@click.option("--sandbox", default="auto", show_default=True,
              type=click.Choice(["auto", "docker", "bwrap", "process"]),
              help="Where the submission runs. auto: docker, else bwrap, else process (not isolated).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None,
              help="Report seed for Hypothesis (default 0). The same seed gives the same report.")
@click.option("--max-examples", type=click.IntRange(min=1), default=None,
              help="Hypothesis examples per property test (default: the problem's).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when a terminal).")
def grade(problem: str, submission: str, fmt: str, sandbox: str, seed: int | None,
          max_examples: int | None, color: bool | None) -> None:
    """Grade SUBMISSION (a .py file) on PROBLEM (a slug under problems/, or a path)."""
    from .grade import grade as run_grade
    from .reports import render

    started = time.monotonic()
    report = run_grade(problem, submission, sandbox=sandbox, seed=seed, max_examples=max_examples)
    if fmt == "json" or not sys.stdout.isatty():
        for warning in report.warnings:  # loud even when stdout goes to a machine
            click.echo(f"grader: warning: {warning}", err=True)
    use_color = sys.stdout.isatty() if color is None else color
    click.echo(render(report, fmt, color=use_color and fmt == "text"), nl=False)
    if fmt == "text":
        click.echo(f"graded in {time.monotonic() - started:.1f} s", err=True)
    if report.verdict is Verdict.INTERNAL_ERROR:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK if report.accepted else EXIT_REJECTED)


@main.command(name="list")
def list_command() -> None:
    """List the problems."""
    for problem in list_problems():
        click.echo(f"{problem.slug:28} {problem.title}")


@main.command()
@click.argument("problem")
def show(problem: str) -> None:
    """Print PROBLEM's statement."""
    click.echo(find_problem(problem).statement_path.read_text(encoding="utf-8"), nl=False)


@main.command()
@click.argument("problem")
@click.argument("directory", required=False, type=click.Path(file_okay=False), default=".")
def init(problem: str, directory: str) -> None:
    """Copy PROBLEM's starter into DIRECTORY (default: here) as <slug>.py."""
    loaded = find_problem(problem)
    target = Path(directory) / f"{loaded.slug}.py"
    if target.exists():
        raise GraderError(f"{target} already exists; not overwriting it")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(loaded.starter_path, target)
    click.echo(f"wrote {target}; grade it with: grader grade {loaded.slug} {target}")


@main.command()
@click.argument("slug")
@click.option("--title", default=None, help="The problem's title (default: from the slug).")
def new(slug: str, title: str | None) -> None:
    """Scaffold problems/SLUG and reference/SLUG.py: a small working problem to edit."""
    from .scaffold import new_problem

    for path in new_problem(slug, title=title):
        click.echo(f"wrote {path}")
    click.echo(f"next: edit them, then prove the problem with: grader check {slug}")


@main.command()
@click.argument("problems", nargs=-1)
@click.option("--all", "check_all", is_flag=True, help="Check every problem under problems/.")
@click.option("--sandbox", default="auto", show_default=True,
              type=click.Choice(["auto", "docker", "bwrap", "process"]))
@click.option("--max-examples", type=click.IntRange(min=1), default=None,
              help="Cap Hypothesis examples per test (default: each problem's own).")
def check(problems: tuple[str, ...], check_all: bool, sandbox: str, max_examples: int | None) -> None:
    """Prove PROBLEMS: reference accepted, starter and every mutant rejected, nothing leaks."""
    from .check import check_problem
    from .check_report import render_check

    if check_all == bool(problems):
        raise GraderError("name the problems to check, or pass --all (not both)")
    loaded = list_problems() if check_all else [find_problem(p) for p in problems]
    failed = 0
    for problem in loaded:
        result = check_problem(problem, sandbox=sandbox, max_examples=max_examples,
                               progress=lambda line: click.echo(line, err=True))
        click.echo(render_check(result))
        failed += not result.ok
    click.echo(f"{len(loaded) - failed} of {len(loaded)} problems hold")
    sys.exit(EXIT_REJECTED if failed else EXIT_OK)


@main.group()
def image() -> None:
    """Build or check the Docker sandbox image."""


@image.command(name="build")
@click.option("--base", default=None, help="Base image (default: the locally built Debian bookworm base).")
def image_build(base: str | None) -> None:
    """Build the sandbox image for this checkout (no network needed inside the build)."""
    from .image import build_image

    tag = build_image(base=base, log=lambda line: click.echo(line, err=True))
    click.echo(tag)


@image.command(name="check")
def image_check() -> None:
    """Say whether the sandbox image is current for this checkout (exit 0 if it is, 1 if not)."""
    from .image import image_status

    status = image_status()
    click.echo(status.describe())
    try:
        from .sandbox.docker import remove_stale_containers

        removed = remove_stale_containers()
    except Exception:  # no engine: nothing to clean, and status already says why
        removed = 0
    if removed:
        click.echo(f"removed {removed} stale sandbox container(s) left by grader processes that died")
    sys.exit(EXIT_OK if status.current else EXIT_REJECTED)


if __name__ == "__main__":
    main()
