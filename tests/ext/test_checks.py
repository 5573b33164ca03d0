"""What the build flags: every form of hand-written repository URL (also in docstrings), and empty line anchors."""

from __future__ import annotations

import html
import re
import shlex

BASE = "https://github.com/hello-rpc/hello-rpc-docs"
RAW = "https://raw.githubusercontent.com/hello-rpc/hello-rpc-docs"


def _warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "WARNING" in line]


def test_every_kind_of_hand_written_url_is_flagged(project, capsys):
    urls = [
        f"{BASE}/raw/main/examples/helloRPC/pyserver.py",
        f"{BASE}/blame/main/examples/helloRPC/pyserver.py",
        f"{BASE}/edit/main/examples/helloRPC/pyserver.py",
        f"{BASE}/commits/main/examples",
        f"{BASE}/archive/refs/heads/main.zip",
        f"{RAW}/main/examples/helloRPC/pyserver.py",
    ]
    body = "\n\n".join(f"Line {number}: {url}" for number, url in enumerate(urls))
    project.page("index.rst", f"Hello\n=====\n\n{body}\n\nNot ours: {BASE}/issues/1 and {BASE}/pulls\n")
    result = project.build(capsys)
    assert result.status != 0
    warnings = [line for line in _warnings(result) if "hand-written" in line]
    assert len(warnings) == len(urls), warnings
    for number, (warning, url) in enumerate(zip(warnings, urls, strict=True)):
        assert f"index.rst:{4 + 2 * number}:" in warning and repr(url) in warning
    assert ":repo-file:`examples/helloRPC/pyserver.py`" in warnings[0]
    assert ":repo-file:`examples/helloRPC/pyserver.py`" in warnings[5]
    assert "@DOCS_REPOSITORY_URL@/commits/@DOCS_BRANCH@" in warnings[3]


def test_a_ref_url_written_with_markers_passes(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "release/1.2")
    project.page("index.rst", "Hello\n=====\n\nHistory: @DOCS_REPOSITORY_URL@/commits/@DOCS_BRANCH@\n")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    assert f"History: {BASE}/commits/release/1.2" in result.html("index")


DOCSTRING_MODULE = '''\
"""A module documented with autodoc."""


def serve():
    """Serve; clone branch @DOCS_BRANCH@ first.

    The code is at https://github.com/hello-rpc/hello-rpc-docs/blob/main/examples/helloRPC/pyserver.py.
    """
'''


def test_docstrings_get_markers_and_are_checked(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "release/1.2")
    monkeypatch.syspath_prepend(str(project.repo.root))
    project.repo.write("tiny_api.py", DOCSTRING_MODULE)
    conf = project.repo.root / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"repo_links"]', '"repo_links", "sphinx.ext.autodoc"]'))
    project.page("index.rst", "Hello\n=====\n\n.. autofunction:: tiny_api.serve\n")
    result = project.build(capsys)
    assert "clone branch release/1.2 first" in result.html("index")
    warnings = [line for line in _warnings(result) if "hand-written" in line]
    assert len(warnings) == 1 and "docstring of tiny_api.serve" in warnings[0], result.stderr
    assert ":repo-file:`examples/helloRPC/pyserver.py`" in warnings[0]


def test_line_anchors_that_name_no_lines_are_flagged(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "main")
    project.repo.write("examples/helloRPC/long.py", "".join(f"line{n} = {n}\n" for n in range(12)))
    project.repo.commit("a longer file")
    project.page(
        "index.rst",
        "Hello\n=====\n\n:repo-file:`examples/helloRPC/long.py#L0`\n\n"
        ":repo-file:`examples/helloRPC/long.py#L9-L3`\n\n:repo-file:`examples/helloRPC/long.py#L3-L9`\n",
    )
    result = project.build(capsys)
    warnings = _warnings(result)
    assert len(warnings) == 2, result.stderr
    assert "index.rst:4:" in warnings[0] and "#L0 names no lines" in warnings[0]
    assert "index.rst:6:" in warnings[1] and "#L9-L3 names no lines" in warnings[1]


def _clone_block(page: str) -> list[list[str]]:
    block = re.search(r'<div class="highlight-console[^"]*"><div class="highlight"><pre>(.*?)</pre>', page, re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", block.group(1)))
    return [shlex.split(line[2:]) for line in text.splitlines() if line.startswith("$ ")]


def test_clone_commands_are_shell_quoted(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "x;id")
    project.page("index.rst", "Hello\n=====\n\n.. repo-clone:: hello-rpc\n")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    text = html.unescape(re.sub(r"<[^>]+>", "", result.html("index")))
    assert f"$ git clone --branch 'x;id' {BASE}.git hello-rpc" in text
    assert _clone_block(result.html("index")) == [
        ["git", "clone", "--branch", "x;id", f"{BASE}.git", "hello-rpc"],
        ["cd", "hello-rpc"],
    ]


def test_clone_of_a_plain_branch_is_unquoted(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "main")
    project.page("index.rst", "Hello\n=====\n\n.. repo-clone:: hello-rpc\n")
    result = project.build(capsys)
    text = html.unescape(re.sub(r"<[^>]+>", "", result.html("index")))
    assert f"$ git clone --branch main {BASE}.git hello-rpc\n$ cd hello-rpc" in text


def test_clone_of_a_commit_checks_it_out(project, capsys):
    sha = project.repo.git("rev-parse", "HEAD")
    project.repo.git("checkout", "-q", "--detach", "HEAD")
    project.page("index.rst", "Hello\n=====\n\n.. repo-clone:: hello-rpc\n")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    assert _clone_block(result.html("index")) == [
        ["git", "clone", f"{BASE}.git", "hello-rpc"],
        ["cd", "hello-rpc"],
        ["git", "checkout", sha],
    ]
