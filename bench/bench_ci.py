"""Benchmark: where CI's time goes, in seconds and in one-page Sphinx builds, optionally beside a baseline commit.

Run it from the repository root with any Python 3.11+ (it needs only tox, which it installs as CI does)::

    python3 bench/bench_ci.py                          # the whole CI (bash .ci/run) on a clone of HEAD
    python3 bench/bench_ci.py --envs py311 browser     # some tox envs only
    python3 bench/bench_ci.py --baseline 7aac202       # the same run on that commit first, then on HEAD

Each ref is cloned into a temporary folder (committed files only, as CI sees them), checked out as
``main`` and run there with ``CI=true``, with a fresh tox work folder, as on a new machine. The report gives, for each
step, its wall time, tox's split into environment set-up and commands, the CPU time the whole machine spent
while it ran, and the slowest tests that pytest's ``--durations`` printed. The unit is a one-page Sphinx build
with the same Sphinx and theme, timed in the same run (median of five), so figures from a busy machine and a
quiet one can be compared.

The CPU time is read from ``/proc/stat`` (Linux), so it counts every process, Chromium's included, which
per-process accounting misses; it is only the run's own on a machine that does nothing else. Divided by the
number of cores it gives the least time the step could take with every core busy: when a step's wall time is
close to that floor, only less work makes it faster, not better packing.
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

ENV_LINE = re.compile(r"^(?P<env>[\w.-]+): [\w\[\].-]+> ")
"""A line tox prints as an env does something: ``py311: install_package> ...``, ``.pkg: build_wheel> ...``."""

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
    cpu: float = float("nan")
    """CPU seconds the machine spent over the whole run (all cores)."""
    cpu_by_env: dict[str, float] = field(default_factory=dict)
    """The same, split by the tox env whose lines came while it was spent (:func:`cpu_by_env`)."""

    def step(self, env: str) -> Step | None:
        """The step of tox env ``env``, if this run had one."""
        return next((step for step in self.steps if step.env == env), None)


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


def machine_busy(stat: Path = Path("/proc/stat")) -> float:
    """CPU seconds all cores have spent on anything but idling since boot, from ``stat`` (NaN where there is none)."""
    try:
        with stat.open(encoding="ascii") as lines:
            fields = [int(value) for value in lines.readline().split()[1:]]
    except OSError:
        return float("nan")
    # user nice system idle iowait irq softirq steal ...: idle and iowait are the cores doing nothing.
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def cpu_by_env(events: list[tuple[str, float]]) -> dict[str, float]:
    """The machine's CPU seconds per tox env, from ``(line, machine_busy())`` pairs in the order the lines came.

    The time from one line of an env (``py311: commands[0]> ...``) to the next such line, of any env, is
    the first one's; the last runs to the last pair (the end of the run). tox builds the package (``.pkg``)
    in between an env's own lines, so that is counted apart, as ``.pkg``.
    """
    shares: dict[str, float] = {}
    current, since = None, 0.0
    for line, busy in events:
        if match := ENV_LINE.match(line):
            if current is not None:
                shares[current] = shares.get(current, 0.0) + busy - since
            current, since = match["env"], busy
            shares.setdefault(current, 0.0)
    if current is not None:
        shares[current] += events[-1][1] - since
    return shares


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
    start, busy_at_start = time.perf_counter(), machine_busy()
    events: list[tuple[str, float]] = []
    with subprocess.Popen(
        command, cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        for line in process.stdout:
            events.append((line, machine_busy()))
    wall = time.perf_counter() - start
    events.append(("", machine_busy()))
    output = "".join(line for line, _ in events)
    steps = parse(output)
    unit = unit_seconds([clone / ".tox", work])
    return Run(
        ref,
        wall,
        process.returncode == 0,
        steps,
        unit,
        output[-3000:],
        events[-1][1] - busy_at_start,
        cpu_by_env(events),
    )


def report(runs: list[Run], top: int) -> None:
    """Print each run's steps side by side, in seconds and in units, then each run's slowest tests."""
    cores = os.cpu_count() or 1
    print(f"{cores} cores; unit = one-page Sphinx build (median of 5), measured after each run")
    names = [step.env for step in runs[-1].steps]
    for other in runs[:-1]:
        names += [step.env for step in other.steps if step.env not in names]
    header = f"{'step':<10}" + "".join(f"{run.ref[:12]:>28}" for run in runs)
    print(header)
    print(f"{'':<10}" + "".join(f"{'total = setup + cmd (units)':>28}" for _ in runs))
    for name in names:
        cells = []
        for run in runs:
            step = run.step(name)
            cells.append(
                f"{step.total:7.1f} = {step.setup:5.1f} + {step.commands:6.1f} ({step.total / run.unit:5.0f})"
                if step
                else "-"
            )
        print(f"{name:<10}" + "".join(f"{cell:>28}" for cell in cells))
    print(f"{'wall':<10}" + "".join(f"{f'{run.wall:7.1f} s ({run.wall / run.unit:5.0f})':>28}" for run in runs))
    print(f"{'unit':<10}" + "".join(f"{f'{run.unit:.2f} s':>28}" for run in runs))
    print(f"\nCPU: the machine's CPU seconds while each step ran, and the least time they allow on {cores} cores")
    print(f"{'step':<10}" + "".join(f"{run.ref[:12]:>28}" for run in runs))
    print(f"{'':<10}" + "".join(f"{'cpu s -> floor s (busy)':>28}" for _ in runs))
    shared = [name for run in runs for name in run.cpu_by_env if name not in names]
    for name in [*names, *dict.fromkeys(shared), "other", "wall"]:
        cells = []
        for run in runs:
            step = run.step(name)
            if name == "wall":
                cpu, wall = run.cpu, run.wall
            elif name == "other":  # before tox's first env line (installing tox, creating the first env)
                cpu, wall = run.cpu - sum(run.cpu_by_env.values()), None
            else:
                cpu, wall = run.cpu_by_env.get(name), step.total if step else None
            floor = f"{cpu:7.1f} -> {cpu / cores:6.1f}" if cpu is not None else ""
            cells.append(f"{floor} ({cpu / cores / wall:4.0%})" if floor and wall else floor or "-")
        print(f"{name:<10}" + "".join(f"{cell:>28}" for cell in cells))
    if len(runs) == 2:
        print(
            f"ratio (this / baseline): {runs[1].wall / runs[0].wall:.2f} in seconds, "
            f"{(runs[1].wall / runs[1].unit) / (runs[0].wall / runs[0].unit):.2f} in units, "
            f"{runs[1].cpu / runs[0].cpu:.2f} in CPU seconds"
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
