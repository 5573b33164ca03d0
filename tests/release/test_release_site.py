"""The release command end to end: a real repository with two branches and a tag, real Sphinx builds."""

import json
import re
from pathlib import Path

import pytest


def _page(site: Path, version: str, page: str = "index.html") -> str:
    return (site / version / page).read_text(encoding="utf-8")


@pytest.mark.slow
def test_builds_every_version_from_its_own_ref(released, git_in):
    tiny_repo, site = released

    # Each version from its own files: main has the guide page, the branch and the tag have legacy.
    assert "Version two" in _page(site, "main")
    assert (site / "main" / "guide.html").is_file() and not (site / "main" / "legacy.html").exists()
    assert "Patched on release/1.x" in _page(site, "release-1.x", "legacy.html")
    assert "Patched on release/1.x" not in _page(site, "v1.0", "legacy.html")
    assert "Version one" in _page(site, "v1.0")

    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert data["default"] == "main"
    assert [(v["name"], v["ref"], v["kind"], v["url"], v["default"]) for v in data["versions"]] == [
        ("main", "main", "branch", "main/", True),
        ("release-1.x", "release/1.x", "branch", "release-1.x/", False),
        ("v1.0", "v1.0", "tag", "v1.0/", False),
    ]
    by_name = {v["name"]: v for v in data["versions"]}
    assert "guide.html" in by_name["main"]["pages"] and "legacy.html" not in by_name["main"]["pages"]
    assert "legacy.html" in by_name["v1.0"]["pages"]
    assert by_name["release-1.x"]["commit"] == git_in(tiny_repo.path, "rev-parse", "release/1.x")
    assert by_name["v1.0"]["commit"] == git_in(tiny_repo.path, "rev-parse", "v1.0^{commit}")

    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=main/index.html"' in root

    # Every worktree is gone again, and nothing was left beside the site.
    assert git_in(tiny_repo.path, "worktree", "list").count("\n") == 0
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_each_version_links_and_labels_its_own_ref(released):
    _, site = released
    for name, ref in [("main", "main"), ("release-1.x", "release/1.x"), ("v1.0", "v1.0")]:
        page = _page(site, name)
        links = set(re.findall(r'href="(https://github\.com/[^"]+/example\.py)"', page))
        assert links == {f"https://github.com/example-owner/tiny-docs/blob/{ref}/example.py"}, name
        manifest = json.loads((site / name / "_repo_links.json").read_text(encoding="utf-8"))
        assert manifest["ref"] == ref and manifest["ref_source"].startswith("DOCS_BRANCH")
        # The switcher's data: this version, the default, and where versions.json is from this page.
        box = re.search(r'<div class="docs-versions"([^>]*)>', page).group(1)
        assert f'data-version="{name}"' in box
        assert f'data-version-ref="{ref}"' in box
        assert 'data-versions-json="./../versions.json"' in box
        assert 'data-page="index.html"' in box
        assert f'<span class="docs-versions-current">{ref}</span>' in page
        assert re.search(r'<script defer="defer" src="_static/versions\.js[^"]*">', page)
    # Every page of a version finds versions.json at the site root, one level up.
    assert 'data-versions-json="./../versions.json"' in _page(site, "main", "guide.html")


def test_a_broken_ref_fails_by_name_and_keeps_the_last_good_site(tiny_repo, release, git_in, tmp_path):
    site = tmp_path / "site"
    # Two versions keep this bounded: main builds, then release/2.x (made below) breaks.
    patterns = ["--branch", "main", "--branch", "release/2*", "--no-tags"]
    assert release(tiny_repo.path, site, *patterns).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    git_in(tiny_repo.path, "switch", "-q", "-c", "release/2.x")
    tiny_repo.write_version("Version broken", "guide", conf_extra='raise RuntimeError("conf.py is broken here")\n')
    tiny_repo.commit("break the build")
    git_in(tiny_repo.path, "switch", "-q", "main")

    done = release(tiny_repo.path, site, *patterns)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()
    assert len(last) == 1 and last[0].startswith("error: 1 of 2 versions failed to build: branch release/2.x ")
    assert "conf.py is broken here" in done.stdout  # the failed build's own words are shown
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert git_in(tiny_repo.path, "worktree", "list").count("\n") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--default", "release/9.x"], "error: default version 'release/9.x' is not among the versions found"),
        (["--branch", "nope/*", "--no-tags"], "error: nothing to release in "),
        (["--timeout", "soon"], "error: argument --timeout: invalid float value: 'soon'"),
    ],
)
def test_cli_errors_are_one_line(tiny_repo, release, tmp_path, args, message):
    done = release(tiny_repo.path, tmp_path / "site", *args)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(message), done.stderr
    assert not (tmp_path / "site").exists()


def test_not_a_repository_is_one_line(release, tmp_path):
    done = release(tmp_path, tmp_path / "site")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "not a git repository" in done.stderr


def test_two_refs_with_one_directory_name_are_refused(tiny_repo, release, git_in, tmp_path):
    git_in(tiny_repo.path, "branch", "release-1.x")  # would land in release-1.x/ like release/1.x
    done = release(tiny_repo.path, tmp_path / "site", "--branch", "release*")
    assert done.returncode == 1
    assert done.stderr == (
        "error: branch 'release-1.x' and branch 'release/1.x' would both be published as release-1.x/; "
        "rename one or narrow the patterns\n"
    )


def test_pyproject_table_is_checked(tiny_repo, release, tmp_path):
    (tiny_repo.path / "pyproject.toml").write_text('[tool.release-site]\nbranch = ["main"]\n', encoding="utf-8")
    done = release(tiny_repo.path, tmp_path / "site")
    assert done.returncode == 1
    assert done.stderr == f"error: {tiny_repo.path / 'pyproject.toml'}: [tool.release-site] has unknown key(s) branch\n"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('branches = ["nothing/*"]\ntags = []\n', "no branch matches nothing/* and no tag matches (none)"),
        ('default = "release/9.x"\n', "default version 'release/9.x' is not among the versions found"),
    ],
)
def test_pyproject_table_sets_patterns_and_default(tiny_repo, release, tmp_path, table, message):
    # Told by what the command refuses, so no build is needed to see the table was read.
    (tiny_repo.path / "pyproject.toml").write_text(f"[tool.release-site]\n{table}", encoding="utf-8")
    done = release(tiny_repo.path, tmp_path / "site")
    assert done.returncode == 1
    assert message in done.stderr and done.stderr.count("\n") == 1


def test_an_output_folder_that_is_not_a_site_is_never_replaced(tiny_repo, release, tmp_path):
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "todo.txt").write_text("mine\n", encoding="utf-8")
    done = release(tiny_repo.path, keep)
    assert done.returncode == 1
    assert (
        done.stderr
        == f"error: --out {keep} exists and is not a site this command made (no versions.json); move it away\n"
    )
    assert (keep / "todo.txt").read_text(encoding="utf-8") == "mine\n"
    done = release(tiny_repo.path, tiny_repo.path.parent)
    assert done.returncode == 1 and "holds the repository itself" in done.stderr
