"""The extension under a parallel build, whichever way the worker processes start (fork, forkserver, spawn)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PARALLEL_BUILD = Path(__file__).with_name("parallel_build.py")
PAGES = [f"p{number}" for number in range(8)]  # Sphinx reads in parallel only from 6 pages up.
SERVER_URL = "https://github.com/hello-rpc/hello-rpc-docs/blob/main/examples/helloRPC/pyserver.py"


@pytest.mark.slow
@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_parallel_build_records_every_link(project, method):
    toctree = "\n".join(f"   {name}" for name in PAGES)
    project.page("index.rst", f"Hello\n=====\n\n.. toctree::\n\n{toctree}\n")
    for name in PAGES:
        project.page(f"{name}.rst", f"{name}\n{'=' * len(name)}\n\n:repo-file:`examples/helloRPC/pyserver.py`\n")
    outdir = project.repo.root / "build" / "html"
    # A fresh process, single-threaded when Sphinx forks (pytest-xdist's worker is not). A fork from a
    # multi-threaded process warns on Python 3.12+; the warning is hidden by default, so show it.
    done = subprocess.run(
        [
            sys.executable,
            "-W",
            "always:This process:DeprecationWarning",
            str(PARALLEL_BUILD),
            method,
            str(project.docs),
            str(project.repo.root),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "DOCS_BRANCH": "main"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is multi-threaded, use of fork()" not in done.stderr
    manifest = json.loads((outdir / "_repo_links.json").read_text(encoding="utf-8"))
    assert sorted(link["page"] for link in manifest["links"]) == PAGES
    for name in PAGES:
        assert f'href="{SERVER_URL}"' in (outdir / f"{name}.html").read_text(encoding="utf-8")
    # The pages really were read by other processes, more than one.
    readers = json.loads((outdir / "_readers.json").read_text(encoding="utf-8"))
    page_readers = {readers["readers"][name] for name in PAGES}
    assert len(page_readers) >= 2 and readers["builder"] not in page_readers
