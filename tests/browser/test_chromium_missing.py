"""Without Chromium the suite stops with one line naming the package to install; it never skips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser_kit.chromium import PACKAGE, ChromiumMissingError, find_chromium

HERE = Path(__file__).resolve().parent


def test_no_chromium_on_path_names_the_package(tmp_path):
    with pytest.raises(ChromiumMissingError) as caught:
        find_chromium({"PATH": str(tmp_path)})
    message = str(caught.value)
    assert f"apt-get install -y {PACKAGE}" in message and "\n" not in message


def test_chromium_variable_wins_over_path(tmp_path):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    assert find_chromium({"PATH": "/usr/bin", "CHROMIUM": str(fake)}) == str(fake)


def test_the_headless_shell_is_chosen_over_the_full_browser(tmp_path):
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    assert find_chromium({"PATH": str(tmp_path)}) == str(tmp_path / "chromium-headless-shell")
    (tmp_path / "chromium-headless-shell").unlink()
    assert find_chromium({"PATH": str(tmp_path)}) == str(tmp_path / "chromium")


def test_suite_run_without_chromium_fails_with_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(HERE / "test_favicon.py")],
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
        cwd=HERE.parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Chromium is not installed" in lines[0] and f"`{PACKAGE}`" in lines[0]
