"""CI checks out shallow or partial clones: the release fetches what it needs or says what to fetch.

Each clone is a real ``git clone`` of the tiny repository over file://, and each build is narrowed to
the release branch to keep the test short.
"""

import json
import re
import shlex
from pathlib import Path

ONE_BRANCH = ("--branch", "release/*", "--no-tags")


def clone(git_in, source: Path, target: Path, *options: str) -> Path:
    """``git clone`` source over file:// into target with options (``--depth 1``...); returns target."""
    git_in(source.parent, "clone", "-q", *options, f"file://{source}", str(target))
    return target


def test_shallow_clone_stops_with_the_fetch_command_that_fixes_it(tiny_repo, release, git_in, tmp_path):
    shallow = clone(git_in, tiny_repo.path, tmp_path / "shallow", "--depth", "1")
    done = release(shallow, tmp_path / "site")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {shallow} is a shallow clone and nothing here matches release/*, v*; ")
    assert not (tmp_path / "site").exists()

    # The command the message names is the one that makes the clone complete enough to release.
    command = shlex.split(re.search(r"`([^`]+)`", done.stderr).group(1))
    assert command[:3] == ["git", "-C", str(shallow)] and "--depth=1" in command
    git_in(Path(command[2]), *command[3:])
    refs = git_in(shallow, "for-each-ref", "--format=%(refname)").split()
    assert {"refs/remotes/origin/release/1.x", "refs/tags/v1.0"} <= set(refs)
    assert git_in(shallow, "rev-parse", "--is-shallow-repository") == "true"


def test_fetch_option_fetches_then_builds_in_a_shallow_clone(tiny_repo, release, git_in, tmp_path):
    shallow = clone(git_in, tiny_repo.path, tmp_path / "shallow", "--depth", "1")
    site = tmp_path / "site"
    done = release(shallow, site, "--fetch", *ONE_BRANCH)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [(v["ref"], v["commit"]) for v in data["versions"]] == [
        ("release/1.x", git_in(tiny_repo.path, "rev-parse", "release/1.x"))
    ]
    assert "Patched on release/1.x" in (site / "release-1.x" / "legacy.html").read_text(encoding="utf-8")
    assert git_in(shallow, "worktree", "list").count("\n") == 0


def test_after_fetch_a_pattern_that_matches_nothing_is_not_blamed_on_the_clone(tiny_repo, release, git_in, tmp_path):
    # The remote has no v9* tag: once --fetch has asked for it, the clone is complete, not missing refs.
    shallow = clone(git_in, tiny_repo.path, tmp_path / "shallow", "--depth", "1")
    site = tmp_path / "site"
    done = release(shallow, site, "--fetch", "--branch", "release/*", "--tag", "v9*")
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [v["ref"] for v in data["versions"]] == ["release/1.x"]


def test_partial_clone_builds_fetching_file_contents_on_demand(tiny_repo, release, git_in, tmp_path):
    git_in(tiny_repo.path, "config", "uploadpack.allowFilter", "true")
    partial = clone(git_in, tiny_repo.path, tmp_path / "partial", "--filter=blob:none")
    assert git_in(partial, "config", "remote.origin.promisor") == "true"
    site = tmp_path / "site"
    done = release(partial, site, *ONE_BRANCH)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "release-1.x" / "legacy.html").is_file()


def test_partial_clone_whose_remote_is_gone_fails_by_ref(tiny_repo, release, git_in, tmp_path):
    git_in(tiny_repo.path, "config", "uploadpack.allowFilter", "true")
    partial = clone(git_in, tiny_repo.path, tmp_path / "partial", "--filter=blob:none")
    tiny_repo.path.rename(tmp_path / "moved")  # release/1.x's files can no longer be fetched
    site = tmp_path / "site"
    done = release(partial, site, *ONE_BRANCH)
    assert done.returncode == 1
    assert done.stderr.startswith("error: 1 of 1 versions failed to build: branch release/1.x (`git worktree add")
    assert done.stderr.count("\n") == 1 and not site.exists()
    assert git_in(partial, "worktree", "list").count("\n") == 0


def test_fetch_builds_what_was_fetched_not_a_stale_local_branch(tiny_repo, release, git_in, tmp_path):
    work = clone(git_in, tiny_repo.path, tmp_path / "work")
    git_in(work, "branch", "-q", "release/1.x", "origin/release/1.x")  # a local copy that will fall behind
    git_in(tiny_repo.path, "switch", "-q", "release/1.x")
    (tiny_repo.path / "docs" / "legacy.rst").write_text("Legacy\n======\n\nNewer upstream.\n", encoding="utf-8")
    tiny_repo.commit("newer upstream")
    git_in(tiny_repo.path, "switch", "-q", "main")
    upstream, stale = git_in(tiny_repo.path, "rev-parse", "release/1.x"), git_in(work, "rev-parse", "release/1.x")

    site = tmp_path / "site"
    done = release(work, site, "--fetch", *ONE_BRANCH)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [v["commit"] for v in data["versions"]] == [upstream]
    assert "Newer upstream." in (site / "release-1.x" / "legacy.html").read_text(encoding="utf-8")
    # Both commits are named, so nobody wonders why the local branch was not published.
    assert f"building {upstream[:12]} as fetched from origin, not the local branch at {stale[:12]}" in done.stdout
