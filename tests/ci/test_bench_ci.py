"""``bench/bench_ci.py``: how it reads tox's output and the machine's CPU time."""

from __future__ import annotations

import math
import os
import resource
import sys

import pytest

from bench.bench_ci import cpu_by_env, machine_busy, parse

TOX_OUTPUT = """\
lint: commands[0]> ruff check .
All checks passed!
py311: install_dependency-groups> python -I -m pip install ...
.pkg: _optional_hooks> python /usr/lib/python3/dist-packages/pyproject_api/_backend.py True setuptools.build_meta
.pkg: build_wheel> python /usr/lib/python3/dist-packages/pyproject_api/_backend.py True setuptools.build_meta
py311: install_package> python -I -m pip install --force-reinstall --no-deps /tmp/dist/x.whl
py311: commands[0]> pytest -n auto --durations=25
============================= slowest 25 durations =============================
17.77s call     tests/docs/pages/test_blocks.py::test_block[session:tutorial]
5.23s setup    tests/release/test_site_shape.py::test_versions_json
================= 1068 passed, 13 skipped in 92.23s (0:01:32) ==================
  lint: OK (0.35=setup[0.25]+cmd[0.05,0.05] seconds)
  py311: OK (94.42=setup[1.81]+cmd[92.61] seconds)
  congratulations :) (95.00 seconds)
"""


def test_each_env_gets_the_cpu_spent_from_its_lines_to_the_next_envs_and_the_package_build_its_own():
    busy = [1.0, 1.5, 4.0, 5.0, 7.0, 9.0, 30.0, 31.0, 190.0, 190.1, 190.2, 190.3, 191.0, 191.5]
    events = [*zip(TOX_OUTPUT.splitlines(keepends=True), busy, strict=True), ("", 192.0)]
    shares = cpu_by_env(events)
    # lint: 1.0 -> 4.0 (py311's first line); py311: 4.0 -> 5.0, then 9.0 (back from .pkg) -> 192.0; .pkg: 5.0 -> 9.0.
    assert shares == pytest.approx({"lint": 3.0, "py311": 1.0 + 183.0, ".pkg": 4.0})


def test_no_env_line_means_no_shares():
    assert cpu_by_env([("collecting ...\n", 1.0), ("", 2.0)]) == {}


def test_the_summary_and_durations_are_read_per_env():
    steps = {step.env: step for step in parse(TOX_OUTPUT)}
    assert (steps["lint"].total, steps["lint"].setup, steps["lint"].commands) == (0.35, 0.25, pytest.approx(0.10))
    assert steps["py311"].slowest == [
        (17.77, "call     tests/docs/pages/test_blocks.py::test_block[session:tutorial]"),
        (5.23, "setup    tests/release/test_site_shape.py::test_versions_json"),
    ]


def test_the_machines_busy_time_is_every_state_but_idle_and_waiting(tmp_path):
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user already)
    stat.write_text("cpu  100 5 50 1000 20 3 2 1 7 0\ncpu0 50 2 25 500 10 1 1 0 3 0\n", encoding="ascii")
    assert machine_busy(stat) == pytest.approx(161 / os.sysconf("SC_CLK_TCK"))
    assert math.isnan(machine_busy(tmp_path / "missing"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")
def test_the_machines_busy_time_counts_what_this_process_spends():
    def own() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    before_machine, before_own = machine_busy(), own()
    while own() - before_own < 0.3:
        pass
    # Other processes can only add to the machine's figure; the clock ticks at 100 Hz, hence the margin.
    assert machine_busy() - before_machine >= own() - before_own - 0.05
