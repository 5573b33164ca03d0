"""Sphinx configuration for the Hello RPC docs (the pages live in docs/)."""

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "runtime"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
# The project's one git runner (tools/toolkit/git.py), which the extensions ask git through, and the
# docs harness's line counting (tools/docs_harness/tutorials.py), which tutorial_parts uses.
sys.path.insert(0, str(ROOT / "tools"))

project = "Hello RPC"
author = "The Hello RPC maintainers"
copyright = "2026, The Hello RPC maintainers"
# The runtime's version (pyproject.toml); the ePub builder needs one, and the PDF's title page shows it.
release = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.extlinks",
    "myst_parser",
    "sphinx_copybutton",
    "repo_links",
    "example_archive",
    "aria_headings",
    "tutorial_parts",
    # An edit to any extension above (or the tools they import) re-reads the pages.
    "extension_sources",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
nitpicky = True

# Names in the runtime's type annotations that have no target without intersphinx (which would
# fetch objects.inv over the network): Python's own classes. The project's names must resolve.
nitpick_ignore = [
    ("py:class", "collections.abc.Callable"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "os.PathLike"),
]

autodoc_member_order = "bysource"
autodoc_typehints_format = "short"

# Links to the Python 3 docs without a network fetch (docs/maintainers/building.md):
# :pydoc:`sys.exit <library/sys.html#sys.exit>`.
extlinks = {"pydoc": ("https://docs.python.org/3/%s", "Python docs: %s")}
extlinks_detect_hardcoded_links = True

# The copy button copies commands and code only: no "$ " or ">>> " prompts, no output lines.
copybutton_prompt_text = r"\$ |>>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_remove_prompts = True
copybutton_exclude = ".linenos"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Branch-aware GitHub links (docs/_ext/repo_links, docs/maintainers/links.md). DOCS_REPOSITORY and
# DOCS_BRANCH in the environment override these; the ref otherwise comes from the CI or the checkout.
repo_links_repository = "hello-rpc/hello-rpc-docs"
repo_links_default_branch = "main"

# The example folder as a zip for readers without git (docs/_ext/example_archive.py, the setup page); the
# build writes it among its own output, never into docs/.
example_archives = {"helloRPC.zip": "examples/helloRPC", "hello-rpc.zip": "."}

templates_path = ["docs/_templates"]
html_theme = "furo"
html_title = "Hello RPC"

# Version switcher and banner (docs/maintainers/releasing.md): furo's default sidebar plus
# docs/_templates/sidebar/versions.html under the search box; tools/release_site fills it per version.
html_static_path = ["docs/_static"]
# reader.css: wrapped console output, room for the copy button, no underlined names in dark mode.
html_css_files = ["versions.css", "reader.css"]
# A favicon of the site's own, so browsers do not ask the server root for /favicon.ico.
html_favicon = "docs/_static/favicon.svg"
# reader.js: code blocks and tables that scroll sideways can be reached with the keyboard.
html_js_files = [("versions.js", {"defer": "defer"}), ("reader.js", {"defer": "defer"})]
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/versions.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/ethical-ads.html",
        "sidebar/scroll-end.html",
        "sidebar/variant-selector.html",
    ]
}

# tox -e linkcheck: every link is checked except the loopback addresses the pages show as examples (the
# tutorial's servers, the live preview), which answer only while those programs run on the reader's machine.
linkcheck_ignore = [r"^https?://(127\.0\.0\.1|localhost):(0|8000|8910|8930|18910)(/|$)"]
# GitHub draws its line anchors (#L12) with JavaScript; the page exists, the anchor is not in its HTML.
linkcheck_anchors_ignore_for_url = [r"^https://github\.com/"]

# PDF (tox -e pdf, Read the Docs' PDF): LuaLaTeX reads the pages as Unicode, so a ref name in any script
# (docs/maintainers/releasing.md) reaches the PDF. Letters the main font lacks (CJK, emoji) come from the
# fallback fonts where they are installed; the TeX log names any letter no font has.
latex_engine = "lualatex"
latex_elements = {
    "fontpkg": r"""
\directlua{luaotfload.add_fallback("hellorpcfallback", {
  "Noto Sans CJK SC:mode=harf;",
  "Noto Color Emoji:mode=harf;",
})}
\setmainfont{FreeSerif}[RawFeature={fallback=hellorpcfallback}]
\setsansfont{FreeSans}[RawFeature={fallback=hellorpcfallback}]
\setmonofont{FreeMono}[RawFeature={fallback=hellorpcfallback}]
""",
}
