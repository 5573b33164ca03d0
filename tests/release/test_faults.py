"""The release command under faults: names that cannot be folders, refs that vanish, versions that fail."""

import json

import pytest


def _lines(done) -> list[str]:
    return done.stdout.splitlines()


@pytest.mark.parametrize("name", ["versions.json", "index.html", "404.html", "sitemap.xml", "robots.txt"])
def test_a_ref_named_like_a_site_file_is_refused_before_anything_builds(tiny_repo, release, git_in, tmp_path, name):
    git_in(tiny_repo.path, "tag", name)
    done = release(tiny_repo.path, tmp_path / "site", "--tag", "*", "--branch", "main")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: tag {name!r} would be published as {name}/, but the site root needs")
    assert "Traceback" not in done.stderr
    assert not any(line.startswith("building ") for line in _lines(done))
    assert not (tmp_path / "site").exists()


def test_refs_that_differ_only_in_case_are_refused(tiny_repo, release, git_in, tmp_path):
    git_in(tiny_repo.path, "branch", "Main")
    done = release(tiny_repo.path, tmp_path / "site", "--branch", "main", "--branch", "Main", "--no-tags")
    assert done.returncode == 1
    assert done.stderr == (
        "error: branch 'Main' and branch 'main' would be published as Main/ and main/, one folder on a case-blind "
        "host; rename one or narrow the patterns\n"
    )
    assert not any(line.startswith("building ") for line in _lines(done))


def test_an_alias_named_like_a_site_file_is_refused(tiny_repo, release, tmp_path):
    done = release(tiny_repo.path, tmp_path / "site", "--alias", "index.html=main")
    assert done.returncode == 1
    assert done.stderr == "error: alias 'index.html' is the name of a file at the site root; choose another name\n"


@pytest.mark.slow
def test_versions_that_leave_the_site_are_named(tiny_repo, release, git_in, tmp_path):
    site = tmp_path / "site"
    first = release(tiny_repo.path, site, "-j", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    assert json.loads((site / "versions.json").read_text(encoding="utf-8"))["stable"] == "v1.0"
    git_in(tiny_repo.path, "branch", "-D", "release/1.x")
    git_in(tiny_repo.path, "tag", "-d", "v1.0")
    done = release(tiny_repo.path, site)
    assert done.returncode == 0, done.stdout + done.stderr
    warnings = [line for line in _lines(done) if line.startswith("warning: ")]
    assert warnings == [
        "warning: branch release/1.x (release-1.x/) is in the last site but no longer released: its ref is gone "
        "or no longer matches the patterns, so its pages leave the site",
        "warning: tag v1.0 (v1.0/) is in the last site but no longer released: its ref is gone "
        "or no longer matches the patterns, so its pages leave the site",
        "warning: stable/ pointed at v1.0/, which leaves the site",
    ]


def _break_a_branch(tiny_repo, git_in, branch: str) -> None:
    git_in(tiny_repo.path, "switch", "-q", "-c", branch)
    tiny_repo.write_version("Version broken", "guide", conf_extra='raise RuntimeError("conf.py is broken here")\n')
    tiny_repo.commit("break the build")
    git_in(tiny_repo.path, "switch", "-q", "main")


def test_keep_going_publishes_what_built_and_names_what_did_not(tiny_repo, release, git_in, tmp_path):
    _break_a_branch(tiny_repo, git_in, "release/2.x")
    site = tmp_path / "site"
    done = release(tiny_repo.path, site, "--branch", "main", "--branch", "release/2*", "--no-tags", "--keep-going")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: 1 of 2 versions failed to build: branch release/2.x ")
    assert line.endswith(f"published the 1 that built to {site} (--keep-going)")
    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in data["versions"]] == ["main"]
    assert (site / "main" / "index.html").is_file() and not (site / "release-2.x").exists()
    assert git_in(tiny_repo.path, "worktree", "list").count("\n") == 0


def test_keep_going_publishes_nothing_when_the_default_version_failed(tiny_repo, release, git_in, tmp_path):
    _break_a_branch(tiny_repo, git_in, "release/2.x")
    site = tmp_path / "site"
    done = release(
        tiny_repo.path, site, "--branch", "main", "--branch", "release/2*", "--no-tags", "--keep-going",
        "--default", "release/2.x",
    )  # fmt: skip
    assert done.returncode == 1
    assert "was left as it was" in done.stderr and not site.exists()


def test_gits_whole_error_is_shown(tiny_repo, release, git_in, tmp_path):
    # Each part of the ref is short enough for git, but the folder made from it is 299 characters.
    branch = "release/" + "x" * 200 + "/" + "y" * 90
    git_in(tiny_repo.path, "branch", branch)
    done = release(tiny_repo.path, tmp_path / "site", "--branch", "release/x*", "--no-tags")
    assert done.returncode == 1
    failed = next(line for line in _lines(done) if line.startswith("FAILED "))
    assert "File name too long" in failed, done.stdout
    assert "File name too long" in done.stderr
