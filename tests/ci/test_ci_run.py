""".ci/run starts the browser suite beside the main tox run, prints its output after, and fails if either fails.

The script runs for real, with real tox, on a scratch project beside a copy of it: a tox.ini whose main
env and ``browser`` env stand in for the suites and exit as each test asks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The main env waits (bounded) until the browser env has started: it passes only if the two run at once.
TOX_INI = """\
[tox]
env_list = suite

[testenv]
skip_install = true
pass_env = SUITE_STATUS, BROWSER_STATUS, MARKS
commands =
    python -c "import os, pathlib, sys, time; marks = pathlib.Path(os.environ['MARKS']); \
end = time.monotonic() + 60; \
[time.sleep(0.05) for _ in iter(lambda: (marks / 'browser-started').exists() or time.monotonic() > end, True)]; \
print('suite saw the browser suite running:', (marks / 'browser-started').exists()); \
sys.exit(int(os.environ['SUITE_STATUS']))"

[testenv:browser]
commands =
    python -c "import os, pathlib, sys; (pathlib.Path(os.environ['MARKS']) / 'browser-started').touch(); \
print('browser suite output'); sys.exit(int(os.environ['BROWSER_STATUS']))"
"""


def _ci_run(tmp_path: Path, suite: int, browser: int) -> subprocess.CompletedProcess[str]:
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    (project / "tox.ini").write_text(TOX_INI, encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    # python3 is the Python running the tests (tox is installed beside it); a placeholder Chromium keeps
    # the script from installing one; PYENV_ROOT points at no Pythons.
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)
    (tools / "chromium-headless-shell").write_text("#!/bin/sh\n", encoding="utf-8")
    (tools / "chromium-headless-shell").chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TOX_") and k != "VIRTUAL_ENV"}
    environ.update(
        PATH=os.pathsep.join([str(tools), "/usr/bin", "/bin"]),
        PYENV_ROOT=str(tmp_path / "no-pyenv"),
        HELLO_RPC_CI_TOX_WORK=str(tmp_path / "work"),
        SUITE_STATUS=str(suite),
        BROWSER_STATUS=str(browser),
        MARKS=str(marks),
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return subprocess.run(
        ["bash", str(project / ".ci" / "run")],
        env=environ,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_the_browser_suite_runs_beside_the_suite_in_its_own_tox_folder(tmp_path):
    done = _ci_run(tmp_path, suite=0, browser=0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "suite saw the browser suite running: True" in done.stdout
    # Its output comes after the main run's, whole.
    assert done.stdout.index("suite: OK") < done.stdout.index("browser suite output")
    assert (tmp_path / "work" / "suite").is_dir() and (tmp_path / "work-browser" / "browser").is_dir()
    assert not (tmp_path / "work" / "browser").exists()


def test_ci_fails_when_either_fails_and_says_which(tmp_path):
    done = _ci_run(tmp_path, suite=1, browser=2)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "browser suite output" in done.stdout
    # Each status is the one its run ended with: neither hides the other.
    assert "CI failed: the test suite exited with 1, the browser suite with 2" in done.stderr
