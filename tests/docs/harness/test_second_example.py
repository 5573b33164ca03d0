"""Examples are data: a copy of the Hello example with a page of its own is verified with no harness change.

In a scratch folder the Hello example is copied to ``examples/copyRPC``
(serving on port 8920 instead of 8910) and the server page becomes the one
page of a docs folder, pointing at the copy. The harness builds it with the
project's configuration, finds the example, and its registry of checks runs
the copy's steps, checks its parts, exchanges its wire example and doctests
its page; once a step of the copy is broken, its item fails naming the file.
"""

from __future__ import annotations

import shutil

import pytest
from docs_harness import REPO_ROOT
from docs_harness.build_docs import build
from docs_harness.checks import Context, by_name, claims, items
from docs_harness.examples import find_examples
from docs_harness.servers import Servers


def _without_console_blocks(lines: list[str]) -> list[str]:
    """The page without its console blocks: they go on from the reader's session, which a lone page has not."""
    kept, skipping = [], False
    for line in lines:
        if line.startswith(".. code-block:: console"):
            skipping = True
        elif not (skipping and (not line.strip() or line.startswith(" "))):
            skipping = False
            kept.append(line)
    return kept


def _scratch(root):
    source, copy = REPO_ROOT / "examples" / "helloRPC", root / "examples" / "copyRPC"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for path in copy.rglob("*.py"):
        path.write_text(path.read_text(encoding="utf-8").replace("8910", "8920"), encoding="utf-8")
    page = (REPO_ROOT / "docs" / "server.rst").read_text(encoding="utf-8")
    # One page of its own: no cross-references to the other pages, no links into this repository's git.
    dropped = (":doc:", ":ref:", ":repo-", ":class:`~", ":mod:`~")
    lines = _without_console_blocks(page.splitlines())
    kept = [line for line in lines if not any(role in line for role in dropped)]
    page = "\n".join(kept).replace("helloRPC", "copyRPC").replace("8910", "8920")
    (root / "docs").mkdir()
    (root / "docs" / "index.rst").write_text(page, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    root = _scratch(tmp_path_factory.mktemp("second-example"))
    built = build(root / "docs", REPO_ROOT, root / "out")
    examples = find_examples(root / "examples")
    servers = Servers(root / "servers")
    yield built, examples, servers
    servers.close()


def _verify(item, built, examples, servers, tmp_path):
    by_name(item.check).verify(item, Context(built, tmp_path, examples, servers))


def test_the_copy_is_found_as_an_example_of_its_own(second):
    _, examples, _ = second
    (copy,) = examples
    assert (copy.name, copy.address, copy.path, copy.implementation) == (
        "copyRPC",
        "127.0.0.1:8920",
        "/hello",
        "HelloImpl",
    )
    assert [t.name for t in copy.tutorials] == ["client", "server"]


@pytest.mark.slow
def test_every_block_of_the_copys_page_is_claimed_and_verified(second, tmp_path):
    built, examples, servers = second
    assert built.returncode == 0 and not built.crash, built.warnings + built.crash
    claimed = claims(built, examples)
    assert all(claimed.values()), [key for key, checks in claimed.items() if not checks]
    made = items(built, examples)
    assert {item.check for item in made} >= {"program", "tutorial-part", "wire", "doctest"}
    for index, item in enumerate(made):
        _verify(item, built, examples, servers, tmp_path / str(index))


def test_a_broken_step_of_the_copy_fails_naming_it(second, tmp_path):
    built, examples, servers = second
    step = examples[0].folder / "steps" / "server_2_response.py"
    original = step.read_text(encoding="utf-8")
    step.write_text(original.replace("request.text", "request.txt"), encoding="utf-8")
    try:
        program = [item for item in items(built, examples) if item.id.endswith("steps/server_2_response.py")]
        assert len(program) == 1
        with pytest.raises(AssertionError, match=r"copyRPC/steps/server_2_response\.py"):
            _verify(program[0], built, examples, servers, tmp_path)
    finally:
        step.write_text(original, encoding="utf-8")
