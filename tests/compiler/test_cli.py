"""The command line: output to stdout or a file, one line per error, nothing written on error."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from quark_threaded_runtime.compile.__main__ import main

GOOD = "package p 1.0 {\n  class A {\n    String text;\n  }\n}\n"
BAD = "package p 1.0 {\n  class A {\n    Strng text;\n    int n\n  }\n}\n"


def run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m quark_threaded_runtime.compile arguments...`` in ``cwd``, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "quark_threaded_runtime.compile", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding ``good.q`` (compiles) and ``bad.q`` (two errors)."""
    (tmp_path / "good.q").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.q").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_without_output_the_library_goes_to_stdout(folder: Path) -> None:
    done = run("good.q", cwd=folder)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith('"""The p contract library, version 1.0.\n\nGenerated from good.q by ')
    assert 'class A(Value, name="p.A"):' in done.stdout
    assert sorted(path.name for path in folder.iterdir()) == ["bad.q", "good.q"]


def in_process(arguments: list[str], folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str, str]:
    """Run ``main`` as the console script does, in ``folder``; returns status, stdout and stderr."""
    monkeypatch.chdir(folder)
    status = main(arguments)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_dash_means_stdout(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    status, out, _ = in_process(["good.q", "-o", "-"], folder, monkeypatch, capsys)
    assert (status, out) == (0, run("good.q", cwd=folder).stdout)


def test_output_file_is_written_and_names_its_source_relative_to_itself(folder: Path) -> None:
    (folder / "lib").mkdir()
    done = run("good.q", "--output", "lib/p.py", cwd=folder)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    written = (folder / "lib" / "p.py").read_text(encoding="utf-8")
    assert "Generated from ../good.q by quark_threaded_runtime.compile" in written
    assert sorted(path.name for path in (folder / "lib").iterdir()) == ["p.py"]


def test_errors_are_one_line_each_and_nothing_is_written(folder: Path) -> None:
    (folder / "bad.py").write_text("# the previous library\n", encoding="utf-8")
    done = run("bad.q", "-o", "bad.py", cwd=folder)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "bad.q:3:5: expected a field type (a built-in type or a value class), "
        "found undefined name 'Strng' (did you mean 'String'?)",
        "bad.q:4:10: expected ';', found '}'",
    ]
    assert (folder / "bad.py").read_text(encoding="utf-8") == "# the previous library\n"
    assert sorted(path.name for path in folder.iterdir()) == ["bad.py", "bad.q", "good.q"]


def test_a_failed_compile_creates_no_file(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert in_process(["bad.q", "-o", "new.py"], folder, monkeypatch, capsys)[0] == 1
    assert not (folder / "new.py").exists()


def test_errors_name_the_source_as_given(folder: Path) -> None:
    done = run(str(Path(folder.name) / "bad.q"), cwd=folder.parent)
    assert done.stderr.splitlines()[0].startswith(f"{Path(folder.name) / 'bad.q'}:3:5: ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.q"], "error: cannot read missing.q: no such file"),
        (["."], "error: cannot read .: it is a folder, expected a .q file"),
        (["latin1.q"], "error: cannot read latin1.q: not UTF-8 text (byte 0xe9 at offset 23)"),
        (["good.q", "-o", "nowhere/p.py"], "error: cannot write nowhere/p.py: no folder nowhere"),
    ],
)
def test_file_problems_are_one_line_with_status_1(folder: Path, arguments: list[str], message: str) -> None:
    (folder / "latin1.q").write_bytes('package p 1 { @doc("caf\u00e9") class A {} }'.encode("latin-1"))
    done = run(*arguments, cwd=folder)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message + "\n")


def test_wrong_usage_exits_2(folder: Path) -> None:
    done = run(cwd=folder)
    assert done.returncode == 2
    assert "usage: python -m quark_threaded_runtime.compile" in done.stderr


def test_the_console_script_names_main() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, function = scripts["quark-compile"].partition(":")
    assert getattr(importlib.import_module(module), function) is main


def test_check_passes_silently_when_the_library_is_current(folder: Path) -> None:
    assert run("good.q", "-o", "good.py", cwd=folder).returncode == 0
    done = run("good.q", "-o", "good.py", "--check", cwd=folder)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_check_shows_the_diff_of_a_stale_library_and_writes_nothing(folder: Path) -> None:
    assert run("good.q", "-o", "good.py", cwd=folder).returncode == 0
    stale = (folder / "good.py").read_text(encoding="utf-8").replace("field(String)", "field(Int)")
    (folder / "good.py").write_text(stale, encoding="utf-8")
    done = run("good.q", "-o", "good.py", "--check", cwd=folder)
    assert done.returncode == 1
    assert "-    text = field(Int)\n+    text = field(String)\n" in done.stdout
    assert done.stdout.startswith("--- good.py (as it is)\n+++ good.py (compiled from good.q)\n")
    assert done.stderr == (
        "error: good.py is stale: it is not what good.q compiles to; run without --check to rewrite it\n"
    )
    assert (folder / "good.py").read_text(encoding="utf-8") == stale


def test_check_of_a_missing_library_fails(folder: Path) -> None:
    done = run("good.q", "-o", "good.py", "--check", cwd=folder)
    assert done.returncode == 1
    assert done.stderr.startswith("error: good.py does not exist:")
    assert not (folder / "good.py").exists()


def test_check_needs_an_output_file(folder: Path) -> None:
    done = run("good.q", "--check", cwd=folder)
    assert done.returncode == 2
    assert "--check compares the library with a file" in done.stderr
