"""The example workflow (.github/workflows/docs.yml) publishes what ``tox -e release`` builds to GitHub Pages.

Nothing here can run a GitHub workflow, so it is read: triggers, permissions, the release command and
the folder that is uploaded must agree with tox.ini and the release tool.
"""

import configparser
import re
import shlex
from pathlib import Path

import yaml

from tools.release_site.cli import parse_args

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def test_workflow_runs_on_release_refs_with_pages_permissions():
    data = _workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "main" in triggers["push"]["branches"] and "release/**" in triggers["push"]["branches"]
    assert triggers["push"]["tags"] == ["v*"]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["cancel-in-progress"] is False


def test_build_job_runs_the_release_env_and_uploads_its_output():
    build = _workflow()["jobs"]["build"]
    checkout = next(step for step in _steps(build) if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # every branch and tag, not only the pushed commit
    runs = [step["run"] for step in _steps(build) if "run" in step]
    release = next(shlex.split(run) for run in runs if "tox -e release" in run)
    options = release[release.index("--") + 1 :]
    args = parse_args(options)
    assert args.fetch and args.base_url.startswith("https://${{ github.repository_owner }}.github.io/")
    cached = next(step for step in _steps(build) if step.get("uses", "").startswith("actions/cache@"))
    uploaded = next(s for s in _steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    # The folder tox's release env writes by default is the one cached and uploaded.
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    assert "python -m tools.release_site" in tox["testenv:release"]["commands"]
    assert "--out" not in tox["testenv:release"]["commands"] and parse_args([]).out is None
    assert cached["with"]["path"] == uploaded["with"]["path"] == "build/site"


def test_deploy_job_deploys_the_uploaded_site():
    jobs = _workflow()["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [step["uses"] for step in _steps(deploy)] == ["actions/deploy-pages@v4"]


def test_every_action_is_pinned_to_a_major_version():
    for job in _workflow()["jobs"].values():
        for step in _steps(job):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
