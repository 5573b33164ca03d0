"""The site in other formats: ePub and LaTeX build with ``-W``, markers are escaped for each builder,
gettext catalogs hold the source text, and linkcheck checks what it can reach."""

from __future__ import annotations

import http.server
import json
import os
import re
import runpy
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from repo_links.markers import placeholder_values

ROOT = Path(__file__).resolve().parents[2]
#: A ref git accepts (``git check-ref-format``) that pdfLaTeX could not typeset: emoji and CJK letters.
UNICODE_REF = "release/🚀-文档"
SPHINX = (sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n")


def _sphinx(builder: str, source: Path, conf: Path, out: Path, **environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCS_", "GITHUB_", "READTHEDOCS", "CI"))}
    doctrees = out.parent / f"doctrees-{builder}"
    return subprocess.run(
        [*SPHINX, "-b", builder, "-c", str(conf), "-d", str(doctrees), str(source), str(out)],
        capture_output=True,
        text=True,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1", **environ},
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["epub", "latex"])
def test_the_site_builds_as_epub_and_latex_with_warnings_as_errors(tmp_path, builder):
    done = _sphinx(builder, ROOT / "docs", ROOT, tmp_path / builder, DOCS_BRANCH=UNICODE_REF)
    assert done.returncode == 0, done.stderr
    if builder == "epub":
        assert list((tmp_path / "epub").glob("*.epub"))
        return
    tex = next((tmp_path / "latex").glob("*.tex")).read_text(encoding="utf-8")
    # A Unicode engine: fontspec, not inputenc, and the ref's letters as they are.
    assert "\\usepackage{fontspec}" in tex and "inputenc" not in tex
    assert "🚀" in tex and "文档" in tex
    assert (tmp_path / "latex" / "latexmkrc").read_text(encoding="utf-8").startswith("$latex = 'lualatex")


RAW_PAGE = """\
Hello
=====

Branch @DOCS_BRANCH@ here.

.. raw:: latex

   \\textbf{@DOCS_BRANCH@}

.. raw:: html

   <b class="ref">@DOCS_BRANCH@</b>
"""
ODD_REF = "fix_50%&x<b>"  # git accepts it; it means something to LaTeX and to HTML


def test_markers_are_escaped_for_each_builder(project, tmp_path):
    project.page("index.rst", RAW_PAGE)
    docs, conf = project.docs, project.repo.root
    latex = _sphinx("latex", docs, conf, tmp_path / "latex", DOCS_BRANCH=ODD_REF)
    assert latex.returncode == 0, latex.stderr
    tex = next((tmp_path / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert "\\textbf{fix\\_50\\%\\&x\\textless{}b\\textgreater{}}" in tex
    assert "&amp;" not in tex
    html = _sphinx("html", docs, conf, tmp_path / "html", DOCS_BRANCH=ODD_REF)
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert '<b class="ref">fix_50%&amp;x&lt;b&gt;</b>' in page


def test_gettext_catalogs_hold_the_source_text(project, tmp_path):
    project.page("index.rst", "On @DOCS_BRANCH@\n====================\n\nBranch @DOCS_BRANCH@ of @DOCS_REPOSITORY@.\n")
    done = _sphinx("gettext", project.docs, project.repo.root, tmp_path / "gettext", DOCS_BRANCH="release/1.2")
    assert done.returncode == 0, done.stderr
    catalog = (tmp_path / "gettext" / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "On @DOCS_BRANCH@"' in catalog
    assert 'msgid "Branch @DOCS_BRANCH@ of @DOCS_REPOSITORY@."' in catalog
    assert not any(placeholder in catalog for placeholder in placeholder_values().values())


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/here" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815 (http.server's name)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _project_linkcheck_ignore() -> list[str]:
    return runpy.run_path(str(ROOT / "conf.py"))["linkcheck_ignore"]


def test_linkcheck_skips_only_the_examples_loopback_addresses(project, tmp_path, local_site):
    conf = project.repo.root / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + f"linkcheck_ignore = {_project_linkcheck_ignore()!r}\n", encoding="utf-8"
    )
    project.page(
        "index.rst",
        "Hello\n=====\n\nThe preview: http://127.0.0.1:8000/ and the example server http://127.0.0.1:8910/hello.\n\n"
        f"Reachable: {local_site}/here and gone: {local_site}/gone.\n",
    )
    done = _sphinx("linkcheck", project.docs, project.repo.root, tmp_path / "linkcheck")
    assert done.returncode != 0  # the one broken link fails the check
    results = {
        entry["uri"]: entry["status"]
        for entry in map(json.loads, (tmp_path / "linkcheck" / "output.json").read_text().splitlines())
    }
    assert results == {
        "http://127.0.0.1:8000/": "ignored",
        "http://127.0.0.1:8910/hello": "ignored",
        f"{local_site}/here": "working",
        f"{local_site}/gone": "broken",
    }


def test_every_loopback_link_of_the_pages_is_ignored_by_linkcheck():
    ignore = [re.compile(pattern) for pattern in _project_linkcheck_ignore()]
    loopback = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?[^\s`<>\"')\]]*")
    found = {
        match.group(0).rstrip(".,:;")
        for path in (ROOT / "docs").rglob("*")
        if path.suffix in (".rst", ".md")
        for match in loopback.finditer(path.read_text(encoding="utf-8"))
    }
    assert found
    assert [url for url in sorted(found) if not any(pattern.match(url) for pattern in ignore)] == []
