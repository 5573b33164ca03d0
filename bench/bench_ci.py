"""Benchmark: where CI's time goes, in seconds and in one-page Sphinx builds, optionally beside a baseline commit.

Run it from the repository root with any Python 3.11+ (it needs only tox, which it installs as CI does)::

    python3 bench/bench_ci.py                          # the whole CI (bash .ci/run) on a clone of HEAD
    python3 bench/bench_ci.py --envs py311 browser     # some tox envs only
    python3 bench/bench_ci.py --baseline 7aac202       # the same run on that commit first, then on HEAD

Each ref is cloned into a temporary folder (committed files only, as CI sees them), checked out as
``main`` and run there with ``CI=true``, with a fresh tox work folder, as on a new machine. The report gives, for each
step, its wall time, tox's split into environment set-up and commands, and the slowest tests that pytest's
``--durations`` printed. The unit is a one-page Sphinx build with the same Sphinx and theme, timed in the
same run (median of five), so figures from a busy machine and a quiet one can be compared.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SUMMARY = re.compile(
    r"^\s+(?P<env>[\w.-]+): (?P<result>OK|FAIL|SKIP)\b.*?\((?P<total>[\d.]+)"
    r"(?:=setup\[(?P<setup>[\d.]+)\]\+cmd\[(?P<cmd>[\d.,]+)\])?"
)
"""A line of tox's closing summary: ``  py311: OK (122.10=setup[13.89]+cmd[108.21] seconds)``."""

COMMANDS = re.compile(r"^(?P<env>[\w-]+): commands\[\d+\]> ")
"""The line tox prints before each command of an env: ``py311: commands[0]> pytest -n auto ...``."""

DURATION = re.compile(r"^(?P<seconds>[\d.]+)s (?P<phase>call|setup|teardown)\s+(?P<test>\S+)")
"""A line of pytest's ``--durations`` list."""

UNIT_PAGE = "Unit\n====\n\nOne page, with ``code``, a list and a table.\n\n* one\n* two\n\n== ==\na  b\n== ==\n"


@dataclass
class Step:
    """One tox env of a run: its times and the slowest tests it printed."""

    env: str
    result: str
    total: float
    setup: float
    commands: float
    slowest: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class Run:
    """One ref's CI run: wall time, steps, the unit's time and whether it passed."""

    ref: str
    wall: float
    passed: bool
    steps: list[Step]
    unit: float
    tail: str


def parse(output: str) -> list[Step]:
    """The tox envs of ``output``'s closing summaries, each with the ``--durations`` lines its commands printed."""
    slowest: dict[str, list[tuple[float, str]]] = {}
    steps: list[Step] = []
    env = None
    for line in output.splitlines():
        if match := COMMANDS.match(line):
            env = match["env"]
        elif (match := DURATION.match(line)) and env:
            slowest.setdefault(env, []).append((float(match["seconds"]), f"{match['phase']:<8} {match['test']}"))
        elif match := SUMMARY.match(line):
            commands = sum(float(part) for part in (match["cmd"] or "0").split(",") if part)
            total, setup = float(match["total"]), float(match["setup"] or 0)
            steps.append(Step(match["env"], match["result"], total, setup, commands, slowest.get(match["env"], [])))
    return steps


def unit_seconds(work_dirs: list[Path]) -> float:
    """The median wall time of five one-page Sphinx builds with the run's own Sphinx and theme (NaN without one)."""
    found = sorted(sphinx for work in work_dirs for sphinx in work.glob("*/bin/sphinx-build"))
    if not found:
        return float("nan")
    sphinx = found[0]
    with tempfile.TemporaryDirectory(prefix="bench-ci-unit-") as temp:
        source = Path(temp) / "src"
        source.mkdir()
        (source / "conf.py").write_text('project = "Unit"\nhtml_theme = "furo"\n', encoding="utf-8")
        (source / "index.rst").write_text(UNIT_PAGE, encoding="utf-8")
        times = []
        for attempt in range(5):
            start = time.perf_counter()
            subprocess.run(
                [str(sphinx), "-q", "-E", "-b", "html", str(source), str(Path(temp) / f"out{attempt}")],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(ref: str, envs: list[str], temp: Path) -> Run:
    """Clone ``ref`` and run CI there (or the named tox envs); time it and read tox's summaries."""
    clone = temp / ref.replace("/", "-")
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    # On a branch called main, as CI's clean clone of main is: a detached checkout makes the docs build
    # warn under CI=true (it cannot tell which branch its links should follow).
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", f"{ref}^{{commit}}"], capture_output=True, text=True, check=True
    )
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", "-B", "main", commit.stdout.strip()], check=True)
    work = temp / f"{clone.name}-tox-work"
    command = (
        [sys.executable, "-m", "tox", "--workdir", str(work), "-e", ",".join(envs)] if envs else ["bash", ".ci/run"]
    )
    env = dict(os.environ, CI="true", HELLO_RPC_CI_TOX_WORK=str(work))
    print(f"{ref}: {' '.join(command)} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    output = done.stdout + done.stderr
    return Run(ref, wall, done.returncode == 0, parse(output), unit_seconds([clone / ".tox", work]), output[-3000:])


def report(runs: list[Run], top: int) -> None:
    """Print each run's steps side by side, in seconds and in units, then each run's slowest tests."""
    print(f"{os.cpu_count()} cores; unit = one-page Sphinx build (median of 5), measured after each run")
    names = [step.env for step in runs[-1].steps]
    for other in runs[:-1]:
        names += [step.env for step in other.steps if step.env not in names]
    header = f"{'step':<10}" + "".join(f"{run.ref[:12]:>28}" for run in runs)
    print(header)
    print(f"{'':<10}" + "".join(f"{'total = setup + cmd (units)':>28}" for _ in runs))
    for name in names:
        cells = []
        for run in runs:
            step = next((s for s in run.steps if s.env == name), None)
            cells.append(
                f"{step.total:7.1f} = {step.setup:5.1f} + {step.commands:6.1f} ({step.total / run.unit:5.0f})"
                if step
                else "-"
            )
        print(f"{name:<10}" + "".join(f"{cell:>28}" for cell in cells))
    print(f"{'wall':<10}" + "".join(f"{f'{run.wall:7.1f} s ({run.wall / run.unit:5.0f})':>28}" for run in runs))
    print(f"{'unit':<10}" + "".join(f"{f'{run.unit:.2f} s':>28}" for run in runs))
    if len(runs) == 2:
        print(
            f"ratio (this / baseline): {runs[1].wall / runs[0].wall:.2f} in seconds, "
            f"{(runs[1].wall / runs[1].unit) / (runs[0].wall / runs[0].unit):.2f} in units"
        )
    for run in runs:
        print(f"\n{run.ref}: {'passed' if run.passed else 'FAILED'}")
        for step in run.steps:
            if step.slowest:
                print(f"  slowest of {step.env}:")
                for seconds, test in step.slowest[:top]:
                    print(f"    {seconds:6.2f} s  {test}")
        if not run.passed:
            print(run.tail)


def main() -> int:
    """Run CI (or some tox envs) on a clone of ``--ref``, and of ``--baseline`` first if given; report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="HEAD", help="the commit to measure (default: HEAD)")
    parser.add_argument("--baseline", help="a commit to measure first, in the same run, for comparison")
    parser.add_argument("--envs", nargs="+", default=[], help="tox envs to run instead of the whole .ci/run")
    parser.add_argument("--top", type=int, default=10, help="slowest tests to list per env (default: 10)")
    args = parser.parse_args()
    refs = [args.baseline, args.ref] if args.baseline else [args.ref]
    for ref in refs:
        if (
            subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                capture_output=True,
                check=False,
            ).returncode
            != 0
        ):
            print(f"error: {ref} names no commit of {ROOT}", file=sys.stderr)
            return 2
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "tox>=4.22,<5"], check=True)
    with tempfile.TemporaryDirectory(prefix="bench-ci-") as temp:
        runs = [run(ref, args.envs, Path(temp)) for ref in refs]
    report(runs, args.top)
    return 0 if all(run.passed for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
