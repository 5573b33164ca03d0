"""The checked-in Hello library is exactly what the compiler makes of hello.q, by hand and by build.sh."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from quark_threaded_runtime.compile import compile_file

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "helloRPC"
REGENERATE = "cd examples/helloRPC && python -m quark_threaded_runtime.compile hello.q -o hello.py"


def _difference(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        actual.splitlines(keepends=True), expected.splitlines(keepends=True), "hello.py (checked in)", "compiled"
    )
    return "".join(lines)


def test_checked_in_hello_py_is_the_compilers_output() -> None:
    compiled = compile_file(EXAMPLE / "hello.q", EXAMPLE / "hello.py")
    checked_in = (EXAMPLE / "hello.py").read_text(encoding="utf-8")
    assert checked_in == compiled, (
        f"examples/helloRPC/hello.py differs from what the compiler makes of hello.q; regenerate it with:\n"
        f"    {REGENERATE}\n{_difference(compiled, checked_in)}"
    )


def test_build_sh_builds_the_checked_in_library(tmp_path: Path) -> None:
    copy = tmp_path / "helloRPC"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "hello.py").unlink()
    # build.sh runs `python`: make that the interpreter running the tests.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    done = subprocess.run(
        ["bash", "build.sh"],
        cwd=copy,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    built = (copy / "hello.py").read_text(encoding="utf-8")
    checked_in = (EXAMPLE / "hello.py").read_text(encoding="utf-8")
    assert built == checked_in, f"build.sh output differs; regenerate with:\n    {REGENERATE}\n" + _difference(
        built, checked_in
    )
