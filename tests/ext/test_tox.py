"""``tox -e docs`` passes the CI variables through to the docs build (tox drops them by default)."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from repo_links.ref import VARIABLES_READ

ROOT = Path(__file__).resolve().parents[2]
# tox is in the test dependency group, so it sits beside the Python running the tests.
TOX = Path(sys.executable).with_name("tox")


def _environ(**extra: str) -> dict[str, str]:
    """This process's environment without an outer tox's TOX_* settings, plus *extra*; no network for virtualenv."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TOX_") and k != "VIRTUAL_ENV"}
    return {**environ, "VIRTUALENV_NO_PERIODIC_UPDATE": "1", **extra}


def _pass_env(environ: dict[str, str], workdir: Path) -> list[str]:
    done = subprocess.run(
        [str(TOX), "config", "-e", "docs", "-k", "pass_env", "-c", str(ROOT / "tox.ini"), "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return re.findall(r"^\s+(\S+)$", done.stdout, re.MULTILINE)


def _passes(patterns: list[str], name: str) -> bool:
    # The same test tox applies (tox_env/api.py: fnmatch patterns, case-insensitive).
    return any(re.match(fnmatch.translate(pattern), name, re.IGNORECASE) for pattern in patterns)


def test_docs_env_passes_every_variable_the_extension_reads(tmp_path):
    environ = _environ(CI="true", GITHUB_REF_NAME="release/1.2")
    patterns = _pass_env(environ, tmp_path / "tox")
    assert patterns, "tox printed no pass_env"
    dropped = [name for name in (*VARIABLES_READ, "DOCS_REPOSITORY") if not _passes(patterns, name)]
    assert dropped == [], f"tox -e docs would drop {dropped}; add them to pass_env in tox.ini"
    assert not _passes(patterns, "UNRELATED_SECRET")


def test_docs_env_really_hands_ci_variables_to_its_commands(tmp_path):
    # The docs env as tox.ini defines it, with only its install step swapped out (offline, ~2 s): the
    # command it runs sees the outer shell's CI variables.
    outer = {
        "CI": "true",
        "GITHUB_REF_NAME": "release/1.2",
        "GITHUB_HEAD_REF": "feature/x",
        "READTHEDOCS_GIT_IDENTIFIER": "release/1.2",
        "CI_COMMIT_BRANCH": "release/1.2",
        "DOCS_BRANCH": "release/1.2",
    }
    show = f"import json, os; print(json.dumps({{k: os.environ.get(k) for k in {sorted(outer)!r}}}))"
    tox = [str(TOX), "exec", "-e", "docs", "-c", str(ROOT / "tox.ini"), "--workdir", str(tmp_path / "tox")]
    no_install = ["-x", "testenv:docs.dependency_groups=", "-x", "testenv:docs.skip_install=true"]
    no_install += ["-x", "testenv:docs.package=skip"]
    done = subprocess.run(
        [*tox, *no_install, "-q", "--", "python", "-c", show],
        capture_output=True,
        text=True,
        timeout=120,
        env=_environ(**outer),
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    seen = json.loads(done.stdout.splitlines()[0])
    assert seen == outer
