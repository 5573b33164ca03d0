"""The docs build itself: warning-free with -W, as `tox -e docs` builds it."""


def test_docs_build_is_warning_free(built_docs):
    """Sphinx builds docs/ with -W --keep-going -n and reports no warning (each names its page and line)."""
    assert not built_docs.crash, f"the docs build crashed:\n{built_docs.crash}"
    assert not built_docs.warnings, f"the docs build warned (warnings are errors):\n{built_docs.warnings}"
    assert built_docs.returncode == 0, f"the docs build failed with status {built_docs.returncode}"


def test_docs_build_found_pages(built_docs):
    """The harness read the pages Sphinx built: a build that found no page would check nothing."""
    assert not built_docs.crash, f"the docs build crashed:\n{built_docs.crash}"
    assert "index" in built_docs.docnames, f"the build found no index page; pages found: {built_docs.docnames}"
