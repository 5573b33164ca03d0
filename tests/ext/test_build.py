"""Real Sphinx builds of small projects that use the roles (``-W --keep-going``, as ``tox -e docs`` runs)."""

from __future__ import annotations

import html
import re
from pathlib import Path

PAGE_TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "_templates" / "page.html"

INDEX = """\
Hello
=====

The :repo-file:`full server <examples/helloRPC/pyserver.py>`, :repo-file:`examples/helloRPC/pyclient.py`
and :repo-tree:`the examples <examples/helloRPC>`.

.. code-block:: console

   git clone --branch @DOCS_BRANCH@ @DOCS_REPOSITORY_URL@.git

.. include:: setup.inc

.. toctree::

   guide
"""
SETUP_INC = (
    "Clone branch @DOCS_BRANCH@ of @DOCS_REPOSITORY@; the client is :repo-file:`examples/helloRPC/pyclient.py`.\n"
)
GUIDE_MD = "# Guide\n\nRead {repo-file}`the server <examples/helloRPC/pyserver.py>`.\n"


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="(https://github\.com/[^"]*)"', html)


def _write_site(project) -> None:
    project.page("index.rst", INDEX)
    project.page("setup.inc", SETUP_INC)
    project.page("guide.md", GUIDE_MD)


def test_roles_markers_footer_and_manifest(project, capsys, monkeypatch):
    _write_site(project)
    monkeypatch.setenv("DOCS_BRANCH", "release/1.2")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    base = "https://github.com/hello-rpc/hello-rpc-docs"
    index = result.html("index")
    assert _hrefs(index)[:4] == [
        f"{base}/blob/release/1.2/examples/helloRPC/pyserver.py",
        f"{base}/blob/release/1.2/examples/helloRPC/pyclient.py",
        f"{base}/tree/release/1.2/examples/helloRPC",
        f"{base}/blob/release/1.2/examples/helloRPC/pyclient.py",
    ]
    assert ">full server</a>" in index
    # The marker is filled inside a code block and inside an included file.
    assert f"git clone --branch release/1.2 {base}.git" in re.sub(r"<[^>]+>", "", index)
    assert "Clone branch release/1.2 of hello-rpc/hello-rpc-docs" in index
    assert "@DOCS_" not in index
    assert _hrefs(result.html("guide")) == [f"{base}/blob/release/1.2/examples/helloRPC/pyserver.py"]
    assert "from DOCS_BRANCH" in result.stdout

    manifest = result.manifest()
    assert manifest["ref"] == "release/1.2"
    assert manifest["ref_source"] == "DOCS_BRANCH"
    assert manifest["commit"] == project.repo.git("rev-parse", "HEAD")
    assert manifest["repository"] == "hello-rpc/hello-rpc-docs"
    links = [(link["page"], link["source"], link["line"], link["role"], link["path"]) for link in manifest["links"]]
    assert links == [
        ("guide", "docs/guide.md", 3, "repo-file", "examples/helloRPC/pyserver.py"),
        ("index", "docs/index.rst", 4, "repo-file", "examples/helloRPC/pyserver.py"),
        ("index", "docs/index.rst", 4, "repo-file", "examples/helloRPC/pyclient.py"),
        ("index", "docs/index.rst", 4, "repo-tree", "examples/helloRPC"),
        ("index", "docs/setup.inc", 1, "repo-file", "examples/helloRPC/pyclient.py"),
    ]
    assert all(link["exists"] for link in manifest["links"])


def test_missing_path_fails_the_build_naming_page_and_line(project, capsys):
    project.page("index.rst", "Hello\n=====\n\nSee :repo-file:`examples/helloRPC/gone.py`.\n")
    result = project.build(capsys)
    assert result.status != 0
    assert re.search(
        r"docs/index\.rst:4: WARNING: repository link to 'examples/helloRPC/gone\.py': no such file", result.stderr
    )


def test_file_role_on_a_folder_names_the_right_role(project, capsys):
    project.page("index.rst", "Hello\n=====\n\nSee :repo-file:`examples`.\n\nAnd :repo-file:`../elsewhere.py`.\n")
    result = project.build(capsys)
    assert result.status != 0
    assert "index.rst:4: WARNING" in result.stderr and "use :repo-tree:" in result.stderr
    assert "index.rst:6: WARNING: repository link '../elsewhere.py' leaves the repository" in result.stderr


def test_ignored_file_is_not_in_the_repository(project, capsys):
    project.repo.write("build/generated.py")
    project.page("index.rst", "Hello\n=====\n\nSee :repo-file:`build/generated.py`.\n")
    result = project.build(capsys)
    assert result.status != 0
    assert "'build/generated.py': no such file in the files git holds" in result.stderr


def test_hand_written_repository_url_names_the_role_to_use(project, capsys):
    project.page(
        "index.rst",
        "Hello\n=====\n\nSee https://github.com/hello-rpc/hello-rpc-docs/blob/main/examples/helloRPC/pyserver.py.\n"
        "\nOther projects are fine: https://github.com/sphinx-doc/sphinx/blob/master/README.rst\n",
    )
    result = project.build(capsys)
    assert result.status != 0
    warnings = [line for line in result.stderr.splitlines() if "hand-written" in line]
    assert len(warnings) == 1
    assert "index.rst:4:" in warnings[0]
    assert ":repo-file:`examples/helloRPC/pyserver.py`" in warnings[0]


def test_branch_change_rebuilds_every_page(project, capsys, monkeypatch):
    _write_site(project)
    monkeypatch.setenv("DOCS_BRANCH", "release/1.2")
    assert project.build(capsys).status == 0
    again = project.build(capsys)
    assert "0 added, 0 changed, 0 removed" in again.stdout  # nothing re-read without a change

    monkeypatch.setenv("DOCS_BRANCH", "release/2.0")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    assert "re-reading every page" in result.stdout
    for page in ("index", "guide"):
        hrefs = _hrefs(result.html(page))
        assert hrefs and all("/release/2.0/" in href for href in hrefs), hrefs
        assert "release/1.2" not in result.html(page)
    assert result.manifest()["ref"] == "release/2.0"


def test_moved_target_is_rechecked_by_an_incremental_build(project, capsys):
    project.page(
        "index.rst", "Hello\n=====\n\n:repo-file:`examples/helloRPC/pyclient.py`\n\n.. toctree::\n\n   other\n"
    )
    project.page("other.rst", "Other\n=====\n\n:repo-tree:`examples/helloRPC`\n")
    assert project.build(capsys).status == 0
    project.repo.git("mv", "examples/helloRPC", "examples/hello")
    result = project.build(capsys)
    assert result.status != 0
    assert "index.rst:4: WARNING: repository link to 'examples/helloRPC/pyclient.py'" in result.stderr
    assert "other.rst:4: WARNING: repository link to 'examples/helloRPC'" in result.stderr


def test_ci_shell_without_ref_variables_fails_the_build(project, capsys, monkeypatch):
    project.page("index.rst", "Hello\n=====\n")
    project.repo.git("checkout", "--detach")
    monkeypatch.setenv("__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI", "true")
    result = project.build(capsys)
    assert result.status != 0
    assert "runs in a CI (__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI=true)" in result.stderr


def test_escaped_marker_stays_and_unknown_marker_is_flagged(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "release/1.2")
    project.page("index.rst", "Hello\n=====\n\nWrite ``@@DOCS_BRANCH@`` for @DOCS_BRANCH@.\n\nTypo: @DOCS_BRANCHE@.\n")
    result = project.build(capsys)
    assert result.status != 0
    text = html.unescape(re.sub(r"<[^>]+>", "", result.html("index")))
    assert "Write @DOCS_BRANCH@ for release/1.2." in text
    assert "index.rst:6: WARNING: unknown marker @DOCS_BRANCHE@" in result.stderr


def test_footer_says_which_branch_the_pages_document(project, capsys, monkeypatch):
    # The project's own footer template, with the project's theme.
    templates = project.repo.root.parent / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(PAGE_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    conf = project.repo.root / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + f"html_theme = 'furo'\ntemplates_path = [{str(templates)!r}]\n",
        encoding="utf-8",
    )
    project.page("index.rst", "Hello\n=====\n")
    project.repo.commit("site")
    project.repo.git("tag", "v1.0")
    monkeypatch.setenv("DOCS_BRANCH", "v1.0")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    footer = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", result.html("index"))))
    assert "These pages document tag v1.0 of hello-rpc/hello-rpc-docs." in footer
    assert 'href="https://github.com/hello-rpc/hello-rpc-docs/tree/v1.0"' in result.html("index")


def test_line_anchor_is_kept_and_checked_against_the_file(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "main")
    project.page(
        "index.rst",
        "Hello\n=====\n\n:repo-file:`examples/helloRPC/pyserver.py#L1`\n\n"
        ":repo-file:`too far <examples/helloRPC/pyserver.py#L1-L9>`\n",
    )
    result = project.build(capsys)
    assert result.status != 0
    base = "https://github.com/hello-rpc/hello-rpc-docs/blob/main/examples/helloRPC/pyserver.py"
    assert _hrefs(result.html("index")) == [f"{base}#L1", f"{base}#L1-L9"]
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1
    assert "index.rst:6:" in warnings[0] and "#L1-L9 is past the end of the file (1 lines)" in warnings[0]


def test_markdown_include_gets_markers_and_is_checked(project, capsys, monkeypatch):
    monkeypatch.setenv("DOCS_BRANCH", "feature/md")
    project.page("index.md", "# Hello\n\n```{include} part.md\n```\n")
    project.page(
        "part.md",
        "Branch @DOCS_BRANCH@.\n\nSee https://github.com/hello-rpc/hello-rpc-docs/tree/main/examples\n",
    )
    result = project.build(capsys)
    assert "Branch feature/md." in result.html("index")
    assert re.search(r"docs/part\.md:3: WARNING: hand-written link .* use \{repo-tree\}`examples`", result.stderr)
