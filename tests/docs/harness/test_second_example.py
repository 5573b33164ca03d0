"""Examples are data: a copy of the Hello example with a page of its own is verified with no harness change.

In a scratch checkout the Hello example is copied to ``examples/copyRPC``
(serving on port 8920 instead of 8910) and the server page to
``docs/server-copy.rst`` (pointing at the copy). The harness must find the
copy, run its steps, exchange its wire example and doctest its page; and
fail, naming the copy's file, once a step of the copy is broken.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from docs_harness.scratch import scratch_checkout


def _copy_example(checkout):
    source, copy = checkout / "examples" / "helloRPC", checkout / "examples" / "copyRPC"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for path in copy.rglob("*.py"):
        path.write_text(path.read_text(encoding="utf-8").replace("8910", "8920"), encoding="utf-8")
    page = (checkout / "docs" / "server.rst").read_text(encoding="utf-8")
    for old, new in (
        ("helloRPC", "copyRPC"),
        ("8910", "8920"),
        (".. _server-", ".. _copy-server-"),
        ("full-python-server", "copy-full-python-server"),
    ):
        page = page.replace(old, new)
    (checkout / "docs" / "server-copy.rst").write_text(":orphan:\n\n" + page, encoding="utf-8")
    return copy


def _pytest(checkout, select: str) -> subprocess.CompletedProcess:
    tests = ["tests/docs/pages/test_blocks.py", "tests/docs/pages/test_inventory.py::test_every_block_is_claimed"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *tests, "-q", "-rA", "-p", "no:cacheprovider", "-k", select],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    checkout = scratch_checkout(tmp_path_factory.mktemp("second-example") / "checkout")
    _copy_example(checkout)
    return checkout


def test_the_copy_is_verified_with_no_harness_change(checkout):
    done = _pytest(checkout, "server-copy or claimed")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    for item in (
        "program:server-copy::examples/copyRPC/steps/server_2_response.py",
        "tutorial-part:docs/server-copy.rst",
        "wire:docs/server-copy.rst",
        "doctest:server-copy",
    ):
        assert f"PASSED tests/docs/pages/test_blocks.py::test_block[{item}" in done.stdout, done.stdout[-4000:]


def test_a_broken_step_of_the_copy_fails_naming_it(checkout):
    step = checkout / "examples" / "copyRPC" / "steps" / "server_2_response.py"
    step.write_text(step.read_text(encoding="utf-8").replace("request.text", "request.txt"), encoding="utf-8")
    done = _pytest(checkout, "server-copy")
    assert done.returncode == 1, done.stdout[-4000:]
    assert "examples/copyRPC/steps/server_2_response.py" in done.stdout, done.stdout[-4000:]
