"""The GitHub Actions workflow runs the README's commands, on the Pythons tox and the package metadata name."""

from __future__ import annotations

import configparser
import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"


def _readme_commands() -> tuple[str, str]:
    """The README's quick-start commands: (the docs build, the test suite)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1]
    block = re.search(r"```console\n(.*?)```", quick_start, re.DOTALL)
    assert block is not None, "README.md: no console block under 'Quick start'"
    docs, tests = block.group(1).strip().splitlines()
    assert docs.endswith(" -e docs"), docs
    return docs, tests


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def _tox_pythons() -> list[str]:
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    envs = [env.strip() for env in tox["tox"]["env_list"].split(",")]
    return [f"{env[2]}.{env[3:]}" for env in envs if re.fullmatch(r"py3\d+", env)]


def _classified_pythons() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefix = "Programming Language :: Python :: "
    return [c.removeprefix(prefix) for c in project["classifiers"] if re.fullmatch(r"3\.\d+", c.removeprefix(prefix))]


def test_runs_on_pushes_and_pull_requests() -> None:
    workflow = _workflow()
    # YAML 1.1 (PyYAML) reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) >= {"push", "pull_request"}


def test_every_supported_python_runs_the_readme_test_command() -> None:
    _, readme_tests = _readme_commands()
    job = _workflow()["jobs"]["tests"]
    matrix = job["strategy"]["matrix"]["include"]
    assert [entry["python"] for entry in matrix] == _tox_pythons() == _classified_pythons() == ["3.11", "3.12", "3.13"]
    for entry in matrix:
        assert entry["tox-env"] == "py" + entry["python"].replace(".", "")
    setup = [step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@")]
    assert [step["with"]["python-version"] for step in setup] == ["${{ matrix.python }}"]
    # The README's command, narrowed to this job's Python: the runner has other Pythons tox would find.
    assert _runs(job) == [f"{readme_tests} -e lint,${{{{ matrix.tox-env }}}}"]


def test_a_missing_python_fails_the_job() -> None:
    assert str(_workflow()["env"]["TOX_SKIP_MISSING_INTERPRETERS"]).lower() == "false"


def test_docs_are_built_once_with_the_readme_docs_command() -> None:
    readme_docs, _ = _readme_commands()
    jobs = _workflow()["jobs"]
    assert _runs(jobs["docs"]) == [readme_docs]
    assert [name for name, job in jobs.items() if readme_docs in _runs(job)] == ["docs"]
    # The branch-aware links read GITHUB_*, which the runner sets: nothing here may hide them.
    for scope in (_workflow(), jobs["docs"], *jobs["docs"]["steps"]):
        assert not [name for name in scope.get("env", {}) if name.startswith(("GITHUB_", "DOCS_"))]


@pytest.mark.parametrize("job", ["tests", "docs"])
def test_actions_are_pinned_to_a_major_version(job: str) -> None:
    for step in _workflow()["jobs"][job]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"]), step["uses"]


def test_the_installed_package_says_the_same_pythons() -> None:
    installed = importlib.metadata.metadata("quark-threaded-runtime")
    prefix = "Programming Language :: Python :: "
    assert [
        c.removeprefix(prefix)
        for c in installed.get_all("Classifier")
        if re.fullmatch(r"3\.\d+", c.removeprefix(prefix))
    ] == _classified_pythons()
    assert installed["Requires-Python"] == f">={_classified_pythons()[0]}"
