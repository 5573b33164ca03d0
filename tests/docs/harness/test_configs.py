"""The configuration check on made-up samples: the release tool's table and the links manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docs_harness import REPO_ROOT
from docs_harness.checks import Context, Drift, Item, claims
from docs_harness.checks.configs import ConfigCheck
from docs_harness.examples import find_examples
from docs_harness.records import Block, Build

GUIDE = str(REPO_ROOT / "docs" / "maintainers" / "releasing.md")
TABLE = '[tool.release-site]\nbranches = ["main", "release/*"]\nbase_url = "https://owner.github.io/repo/"\n'
LINK = {
    "page": "server",
    "source": "docs/server.rst",
    "line": 12,
    "role": "repo-file",
    "path": "examples/helloRPC/pyserver.py",
    "kind": "blob",
    "url": "https://github.com/o/n/blob/main/examples/helloRPC/pyserver.py",
    "exists": True,
}
MANIFEST = {"format": 1, "ref": "release/1.2", "ref_kind": "branch", "commit": "abc", "links": [LINK]}


def _verify(text: str, loader: str, tmp_path: Path, manifest: dict | None = None) -> None:
    block = Block("maintainers/releasing", GUIDE, 20, "literal", "toml", (), text, mark=f"config: {loader}")
    (tmp_path / "html").mkdir(exist_ok=True)
    (tmp_path / "html" / "_repo_links.json").write_text(json.dumps(manifest or MANIFEST), encoding="utf-8")
    build = Build(tmp_path, 0, "", blocks=[block])
    assert claims(build, find_examples())[block.key] == ["config"]
    check = ConfigCheck()
    check.verify(Item(check.name, "config", (block,)), Context(build, tmp_path / "scratch", find_examples(), None))


def test_the_release_tool_accepts_its_table(tmp_path):
    _verify(TABLE, "release-site", tmp_path)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (TABLE.replace("branches", "branchs"), "unknown key"),
        (TABLE.replace("https://", "ftp://"), "not an http"),
        ("[tool.release-site]\nbranches = 'main'\n", "list of strings"),
    ],
)
def test_the_release_tool_refuses_a_wrong_table(tmp_path, text, error):
    with pytest.raises(
        AssertionError, match=f"releasing.md:20: the release tool refuses this configuration: .*{error}"
    ):
        _verify(text, "release-site", tmp_path)


def test_a_manifest_sample_is_read_against_the_builds_manifest(tmp_path):
    _verify(json.dumps(MANIFEST, indent=2), "repo-links-manifest", tmp_path)
    with pytest.raises(AssertionError, match="the sample's keys are"):
        _verify(json.dumps({**MANIFEST, "branch": "x"}), "repo-links-manifest", tmp_path)
    with pytest.raises(AssertionError, match=r"no repo-file link to examples/helloRPC/pyserver\.py"):
        _verify(json.dumps({**MANIFEST, "links": [{**LINK, "page": "client"}]}), "repo-links-manifest", tmp_path)


def test_a_manifest_sample_whose_link_moved_drifts(tmp_path):
    with pytest.raises(Drift) as drift:
        _verify(json.dumps({**MANIFEST, "links": [{**LINK, "line": 7}]}), "repo-links-manifest", tmp_path)
    assert json.loads(drift.value.actual)["links"][0]["line"] == 12


def test_an_unknown_loader_is_named(tmp_path):
    with pytest.raises(AssertionError, match="no loader 'yaml'"):
        _verify(TABLE, "yaml", tmp_path)
