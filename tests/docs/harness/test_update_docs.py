"""The update mode, end to end in a scratch checkout: a drifted block is restored exactly by one command."""

from __future__ import annotations

import subprocess
import sys

import pytest
from docs_harness.scratch import scratch_checkout

DRIFT = ("   Content-Length: 85\n   Connection: keep-alive\n", "   Content-Length: 58\n   Connection: close\n")


@pytest.mark.slow
def test_a_drifted_output_is_restored_exactly(tmp_path):
    checkout = scratch_checkout(tmp_path / "checkout")
    page = checkout / "docs" / "reference" / "protocol.rst"
    original = page.read_text(encoding="utf-8")
    assert DRIFT[0] in original
    page.write_text(original.replace(*DRIFT), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "tools/update_docs.py", "-k", "wire"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert page.read_text(encoding="utf-8") == original
    assert "\n-   Connection: close\n" in done.stdout
    assert "\n+   Connection: keep-alive\n" in done.stdout
    assert "updated 1 block(s) in 1 page(s)" in done.stdout
