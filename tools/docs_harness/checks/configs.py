"""Samples of configuration: a block marked ``docs-harness: config: <loader>`` is read by the real loader.

:data:`LOADERS` maps the loader's name to a function that reads the block's
text the way the program that uses it does, in a scratch folder, and fails
with the loader's own error when the program would refuse it:

* ``release-site``: a ``[tool.release-site]`` table, written into a scratch
  ``pyproject.toml`` and read by the release tool (``tools/release_site``) as
  ``python -m tools.release_site`` reads it;
* ``repo-links-manifest``: the ``_repo_links.json`` the branch-links
  extension writes, which must have the keys and types of the one this
  run's docs build wrote, a link the build really made, and be read by the
  release tool's check of a version's links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ..examples import Example
from ..records import Block, Build
from .base import Check, Context, Drift

MANIFEST = "_repo_links.json"
LINK_FACTS = ("page", "source", "role", "path", "kind")
"""What names a link in the manifest (its line may move)."""


def release_site(block: Block, context: Context) -> None:
    """The release tool reads the table from ``pyproject.toml`` and makes its configuration from it."""
    from tools.release_site.cli import make_config, parse_args
    from tools.release_site.errors import ConfigError

    folder = context.tmp_path / "release-site"
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(block.text, encoding="utf-8")
    try:
        config = make_config(parse_args(["--repo", str(folder)]))
    except ConfigError as error:
        raise AssertionError(f"{block.where}: the release tool refuses this configuration: {error}") from None
    table = re.search(r"^\[tool\.([^\]]+)\]", block.text, re.MULTILINE)
    assert table and table[1] == "release-site", f"{block.where}: the sample is no [tool.release-site] table"
    assert config.repo == folder.resolve()


def repo_links_manifest(block: Block, context: Context) -> None:
    """The sample has the real manifest's keys and types, shows a real link, and the release tool reads it."""
    from tools.release_site.build import links_mismatch
    from tools.release_site.refs import Version, url_name

    try:
        sample = json.loads(block.text)
    except ValueError as error:
        raise AssertionError(f"{block.where}: the sample is not JSON: {error}") from None
    real_file = Path(context.build.outdir) / "html" / MANIFEST
    assert real_file.is_file(), f"the docs build wrote no {MANIFEST} into {real_file.parent}"
    real = json.loads(real_file.read_text(encoding="utf-8"))
    sample_keys, real_keys = list(sample), list(real)
    assert sorted(sample_keys) == sorted(real_keys), (
        f"{block.where}: the sample's keys are {sample_keys}, the build's manifest has {real_keys}"
    )
    for key in real_keys:
        if key == "links":
            continue
        assert type(sample[key]) is type(real[key]), (
            f"{block.where}: {key!r} is {type(sample[key]).__name__} in the sample, {type(real[key]).__name__} really"
        )
    assert sample["format"] == real["format"], (
        f"{block.where}: format {sample['format']}, the build writes {real['format']}"
    )
    real_link_keys = sorted({key for link in real["links"] for key in link})
    for link in sample["links"]:
        assert sorted(link) == real_link_keys, f"{block.where}: a link has {sorted(link)}, really {real_link_keys}"
        same = [r for r in real["links"] if all(r[fact] == link[fact] for fact in LINK_FACTS)]
        assert same, (
            f"{block.where}: the build makes no {link['role']} link to {link['path']} on {link['source']}; "
            f"it makes {sorted({(r['source'], r['path']) for r in real['links']})}"
        )
        if all(r["line"] != link["line"] for r in same):
            actual = re.sub(rf'"line": {link["line"]}\b', f'"line": {same[0]["line"]}', block.text)
            raise Drift(f"{block.where}: that link is on line {same[0]['line']} of {link['source']}", block, actual)
    folder = context.tmp_path / "manifest"
    folder.mkdir(parents=True)
    (folder / MANIFEST).write_text(block.text, encoding="utf-8")
    version = Version(url_name(sample["ref"]), sample["ref"], sample["ref_kind"], sample["commit"])
    why = links_mismatch(folder, version)
    assert why == "", f"{block.where}: the release tool rejects the sample for {sample['ref']}: {why}"
    other = Version("other", "other", "branch", sample["commit"])
    assert links_mismatch(folder, other), f"{block.where}: the release tool does not read the sample's ref"


LOADERS: dict[str, Callable[[Block, Context], None]] = {
    "release-site": release_site,
    "repo-links-manifest": repo_links_manifest,
}
"""Each loader's name (as a block's mark gives it) and the function that reads a block with it."""


class ConfigCheck(Check):
    """Reads a configuration sample with the loader its mark names; the loader must accept it."""

    name = "config"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "literal" and block.marked(self.name) is not None

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        loader = block.marked(self.name)
        assert loader in LOADERS, f"{block.where}: no loader {loader!r}; there are {', '.join(sorted(LOADERS))}"
        LOADERS[loader](block, context)
