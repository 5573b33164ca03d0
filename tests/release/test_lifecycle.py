"""A release over a previous site: unchanged versions reused, --rebuild, and SIGTERM cleaning up like Ctrl-C."""

import json
import os
import signal
import subprocess

import pytest
from toolkit.processes import read_line

TWO_VERSIONS = ("--branch", "main", "--branch", "release/*", "--no-tags")


def _said(done: subprocess.CompletedProcess, verb: str) -> list[str]:
    """The refs the run reports as built or reused, in its order."""
    return [line.split()[2] for line in done.stdout.splitlines() if line.startswith(verb + " ")]


@pytest.mark.slow
def test_only_changed_versions_are_rebuilt(tiny_repo, release, tmp_path):
    site = tmp_path / "site"
    first = release(tiny_repo.path, site, *TWO_VERSIONS)
    assert first.returncode == 0, first.stdout + first.stderr
    assert sorted(_said(first, "building")) == ["main", "release/1.x"]

    (tiny_repo.path / "docs" / "guide.rst").write_text("Guide\n=====\n\nChanged on main.\n", encoding="utf-8")
    tiny_repo.commit("change main")
    second = release(tiny_repo.path, site, *TWO_VERSIONS)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _said(second, "building") == ["main"] and _said(second, "reusing") == ["release/1.x"]
    assert "Changed on main." in (site / "main" / "guide.html").read_text(encoding="utf-8")
    # The reused version is whole and still says what it is (its banner is written anew, not twice).
    legacy = (site / "release-1.x" / "legacy.html").read_text(encoding="utf-8")
    assert "Patched on release/1.x" in legacy and legacy.count('class="docs-version-banner"') == 1
    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [bool(v["fingerprint"]) for v in data["versions"]] == [True, True]

    third = release(tiny_repo.path, site, *TWO_VERSIONS, "--rebuild", "-j", "1")
    assert third.returncode == 0, third.stdout + third.stderr
    assert _said(third, "reusing") == [] and sorted(_said(third, "building")) == ["main", "release/1.x"]


def test_sigterm_cleans_up_like_ctrl_c(tiny_repo, release_process, git_in, tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    site = tmp_path / "out" / "site"
    process = release_process(tiny_repo.path, site, "-j", "2", temp=temp)
    try:
        # Wait for a build to be under way: its worktree then exists.
        line = read_line(process, 120)
        while line and not line.startswith("building "):
            line = read_line(process, 120)
        assert line.startswith("building "), process.stderr.read()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signal.SIGTERM
    assert stderr.strip().splitlines()[-1] == "error: terminated; the previous site was left as it was"
    assert git_in(tiny_repo.path, "worktree", "list").count("\n") == 0  # no worktree left registered
    assert list(temp.iterdir()) == []  # no scratch folder
    assert list(site.parent.iterdir()) == []  # no staging folder, no half site


def test_default_and_stable_follow_version_order(tiny_repo, git_in, tmp_path):
    from tools.release_site.config import ReleaseConfig
    from tools.release_site.refs import find_versions, stable_version

    for name in ("release/9.x", "release/10.x"):
        git_in(tiny_repo.path, "branch", name)
    for name in ("v1.9", "v1.10"):
        git_in(tiny_repo.path, "tag", name)
    git_in(tiny_repo.path, "branch", "-m", "main", "trunk")  # main is not released
    config = ReleaseConfig(repo=tiny_repo.path, out=tmp_path / "site")
    versions = find_versions(config, say=lambda line: None)
    assert versions[0].ref == "release/10.x"
    assert [v.ref for v in versions] == ["release/10.x", "release/9.x", "release/1.x", "v1.10", "v1.9", "v1.0"]
    assert stable_version(versions).ref == "v1.10"


def test_fingerprint_follows_options_packages_and_commit(tiny_repo, tmp_path):
    from dataclasses import replace

    from tools.release_site.cache import fingerprint
    from tools.release_site.config import ReleaseConfig
    from tools.release_site.refs import Version

    config = ReleaseConfig(repo=tiny_repo.path, out=tmp_path / "site")
    version = Version("main", "main", "branch", "a" * 40)
    packages = ["sphinx==8.2.3", "furo==2024.8.6"]
    same = fingerprint(config, version, packages)
    assert fingerprint(config, version, list(packages)) == same
    assert fingerprint(replace(config, strict=False), version, packages) != same
    assert fingerprint(config, version, ["sphinx==8.2.4", "furo==2024.8.6"]) != same
    assert fingerprint(config, replace(version, commit="b" * 40), packages) != same
    os.environ["DOCS_REPOSITORY"] = "someone/else"
    try:
        assert fingerprint(config, version, packages) != same
    finally:
        del os.environ["DOCS_REPOSITORY"]


def test_sphinx_gets_the_context_as_text(tmp_path):
    from tools.release_site.build import sphinx_command
    from tools.release_site.config import ReleaseConfig

    config = ReleaseConfig(repo=tmp_path, out=tmp_path / "site")
    command = sphinx_command(config, tmp_path, tmp_path / "out", tmp_path / "d", {"docs_version": "1_0"})
    assert command[command.index("-D") : command.index("-D") + 2] == ["-D", "html_context.docs_version=1_0"]
    assert "-A" not in command


def test_names_keep_their_letters():
    from tools.release_site.refs import url_name

    assert url_name("release/ü") == "release-ü"
    assert url_name("1_0") == "1_0"
    assert url_name("feature/a b;c") == "feature-a-b-c"


def test_alias_names_and_targets_are_checked(tiny_repo, git_in, tmp_path):
    from tools.release_site.config import ReleaseConfig
    from tools.release_site.errors import ConfigError
    from tools.release_site.plan import make_plan
    from tools.release_site.refs import find_versions

    git_in(tiny_repo.path, "branch", "release/stable")
    config = ReleaseConfig(repo=tiny_repo.path, out=tmp_path / "site", branches=("main", "release/*"))
    versions = find_versions(config, say=lambda line: None)
    plan = make_plan(config, versions)
    assert {name: v.ref for name, v in plan.aliases.items()} == {"latest": "main", "stable": "v1.0"}
    with pytest.raises(ConfigError, match=r"'release-1\.x' is already the directory of a version"):
        make_plan(ReleaseConfig(repo=tiny_repo.path, out=tmp_path, aliases=(("release-1.x", "main"),)), versions)
    with pytest.raises(ConfigError, match="'nope' is not among the versions found"):
        make_plan(ReleaseConfig(repo=tiny_repo.path, out=tmp_path, aliases=(("next", "nope"),)), versions)
    with pytest.raises(ConfigError, match="would hide the default version 'main'"):
        make_plan(ReleaseConfig(repo=tiny_repo.path, out=tmp_path, hide=("ma*",)), versions)
    # A version that is itself called stable keeps its folder; the alias steps aside.
    git_in(tiny_repo.path, "branch", "stable")
    config = ReleaseConfig(repo=tiny_repo.path, out=tmp_path / "site", branches=("main", "stable"))
    assert list(make_plan(config, find_versions(config, say=lambda line: None)).aliases) == ["latest"]
