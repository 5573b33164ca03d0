"""The update mode, end to end in a scratch checkout: a drifted block is restored exactly by one command."""

from __future__ import annotations

import subprocess
import sys

from docs_harness.scratch import scratch_checkout

DRIFT = ("   Response: Responding to [Good morning] from Python\n", "   Response: Responding to [Good night] from C\n")


def test_a_drifted_output_is_restored_exactly(tmp_path):
    checkout = scratch_checkout(tmp_path / "checkout")
    page = checkout / "docs" / "running.rst"
    original = page.read_text(encoding="utf-8")
    assert DRIFT[0] in original
    page.write_text(original.replace(*DRIFT), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "tools/update_docs.py", "-k", "running"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert page.read_text(encoding="utf-8") == original
    assert "-   Response: Responding to [Good night] from C" in done.stdout
    assert "updated 1 block(s) in 1 page(s)" in done.stdout
