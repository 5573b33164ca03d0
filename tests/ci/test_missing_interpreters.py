"""A supported Python the machine lacks: ``tox`` skips it and says so, unless CI makes that fatal (.ci/run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# tox is in the test dependency group, so it sits beside the Python running the tests.
TOX = Path(sys.executable).with_name("tox")
SUPPORTED = ["py311", "py312", "py313"]
RUNNING = f"py3{sys.version_info.minor}"


def _tox(tmp_path: Path, *, fatal: bool) -> subprocess.CompletedProcess[str]:
    # Only the Python running the tests can be found (PATH holds an empty folder); the environments are
    # created without installing anything (~2 s), which is all a skip or a failure to find one needs.
    empty = tmp_path / "no-pythons"
    empty.mkdir(exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TOX_") and k != "VIRTUAL_ENV"}
    environ.update(PATH=str(empty), VIRTUALENV_NO_PERIODIC_UPDATE="1")
    if fatal:
        environ["TOX_SKIP_MISSING_INTERPRETERS"] = "false"
    no_install = ["-x", "testenv.dependency_groups=", "-x", "testenv.package=skip", "--notest"]
    command = [str(TOX), "run", "-e", ",".join(SUPPORTED), "-c", str(ROOT / "tox.ini")]
    return subprocess.run(
        [*command, "--workdir", str(tmp_path / "tox"), *no_install],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
        cwd=ROOT,
        check=False,
    )


def test_the_readme_command_skips_a_missing_python_and_says_so(tmp_path):
    done = _tox(tmp_path, fatal=False)
    assert done.returncode == 0, done.stdout + done.stderr
    for env in SUPPORTED:
        expected = f"{env}: OK" if env == RUNNING else f"{env}: SKIP"
        assert expected in done.stdout, done.stdout


def test_ci_fails_on_a_missing_python(tmp_path):
    done = _tox(tmp_path, fatal=True)
    assert done.returncode != 0, done.stdout
    for env in SUPPORTED:
        if env != RUNNING:
            assert f"{env}: FAIL" in done.stdout, done.stdout
