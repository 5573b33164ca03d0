"""The reader's check, ``examples/helloRPC/check.py``, run as a reader runs it.

Each test copies the example folder and runs ``python check.py ...`` in the
copy with the installed runtime (no ``PYTHONPATH``). Every step file passes
its own part, run under the name the tutorial gives it; each mistake a reader
makes, a one-line change to the right file, fails with its own message,
naming the line it is on; a wrong command exits 2.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "helloRPC"
STEP = re.compile(r"(?P<tutorial>[a-z]+)_(?P<part>\d+)_\w+\.py")
TIMEOUT = 60
"""Seconds one run of check.py may take (it bounds its own waits well below this)."""


def _parts() -> list[tuple[str, int, str]]:
    """(tutorial, part, file) for every step file and finished file of the example."""
    parts = []
    for path in sorted((EXAMPLE / "steps").glob("*.py")):
        match = STEP.fullmatch(path.name)
        parts.append((match["tutorial"], int(match["part"]), f"steps/{path.name}"))
    for tutorial in sorted({tutorial for tutorial, _, _ in parts}):
        last = max(part for name, part, _ in parts if name == tutorial)
        parts.append((tutorial, last + 1, f"py{tutorial}.py"))
    return parts


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "helloRPC"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _check(cwd: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess:
    """``python check.py <args>`` in ``cwd``, with the environment a reader has (the runtime installed)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [python, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _described(done: subprocess.CompletedProcess) -> str:
    return f"exit status {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"


@pytest.mark.parametrize(("tutorial", "part", "file"), _parts(), ids=lambda value: str(value))
def test_every_step_passes_its_own_part(tmp_path: Path, tutorial: str, part: int, file: str) -> None:
    """A step file, written over the finished file as a reader writes theirs, passes its part: one line, status 0."""
    copy = _copy(tmp_path)
    finished = f"py{tutorial}.py"
    shutil.copyfile(EXAMPLE / file, copy / finished)
    done = _check(copy, "check.py", tutorial, str(part))
    assert done.returncode == 0, _described(done)
    assert done.stdout.splitlines() == [done.stdout.strip()], _described(done)
    # The finished file checked as itself has no other to compare with: the check says what it used instead.
    compared = file if file.startswith("steps/") else f"steps/{tutorial}_{part - 1}_"
    assert done.stdout.startswith(
        f"{finished} behaves as Part {part} of the {tutorial} shows (compared with {compared}"
    ), _described(done)
    assert done.stderr == "", _described(done)


@pytest.mark.parametrize("tutorial", ["server", "client"])
def test_the_finished_file_is_the_last_checkpoint_from_any_folder(tmp_path: Path, tutorial: str) -> None:
    """Checked under another name, from another folder, a copy of the finished file is compared with it."""
    copy = _copy(tmp_path)
    mine = f"my_{tutorial}.py"
    shutil.copyfile(EXAMPLE / f"py{tutorial}.py", copy / mine)
    last = max(part for name, part, _ in _parts() if name == tutorial)
    done = _check(tmp_path, "helloRPC/check.py", tutorial, str(last), f"helloRPC/{mine}")
    assert done.returncode == 0, _described(done)
    assert done.stdout == (
        f"helloRPC/{mine} behaves as Part {last} of the {tutorial} shows (compared with py{tutorial}.py).\n"
    ), _described(done)


@dataclass(frozen=True)
class Mistake:
    """A reader's mistake: ``old`` becomes ``new`` in ``base``, saved as the part's file; the check says ``message``."""

    id: str
    tutorial: str
    part: int
    base: str
    old: str
    new: str
    message: str
    """The expected line, without its ``line N:`` (N is where ``new`` is, or ``at`` when given)."""
    at: str = ""


MISTAKES = [
    Mistake(
        "request.txt",
        "server",
        2,
        "steps/server_2_response.py",
        "% request.text",
        "% request.txt",
        "`request.txt`: a `hello.Request` has no field `txt`; its field is `text`",
    ),
    Mistake(
        "no return",
        "server",
        2,
        "steps/server_2_response.py",
        "        return response\n",
        "",
        "`hello` returns nothing (`None`); it must `return response`",
        at="def hello(",
    ),
    Mistake(
        "returns a str",
        "server",
        2,
        "steps/server_2_response.py",
        "return response\n",
        "return response.result\n",
        "`hello` returns a str, not a `hello.Response`; it must `return response`",
    ),
    Mistake(
        "misnamed method",
        "server",
        2,
        "steps/server_2_response.py",
        "def hello(self, request)",
        "def helo(self, request)",
        "`HelloImpl` has no method `hello` (it has `helo`): the interface declares `Response hello(Request request)`",
    ),
    Mistake(
        "class passed",
        "server",
        3,
        "pyserver.py",
        "hello.HelloServer(runtime, implementation)",
        "hello.HelloServer(runtime, HelloImpl)",
        "`hello.HelloServer(runtime, HelloImpl)` passes the class; pass an instance: `HelloImpl()`",
    ),
    Mistake(
        "no Response label",
        "client",
        4,
        "pyclient.py",
        'print(f"Response: {response.result}")',
        "print(response.result)",
        "prints `Responding to [Hello from Python!] from Python`; "
        "the page shows `Response: Responding to [Hello from Python!] from Python`",
    ),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda mistake: mistake.id)
def test_each_mistake_fails_with_its_own_message(tmp_path: Path, mistake: Mistake) -> None:
    """One line names the mistake and its line; a diff against the checkpoint follows; status 1."""
    copy = _copy(tmp_path)
    text = (EXAMPLE / mistake.base).read_text(encoding="utf-8")
    assert text.count(mistake.old) == 1, f"{mistake.base} no longer holds {mistake.old!r} once"
    mutated = text.replace(mistake.old, mistake.new)
    (copy / f"py{mistake.tutorial}.py").write_text(mutated, encoding="utf-8")
    marker = mistake.at or mistake.new.strip()
    line = next(number for number, row in enumerate(mutated.splitlines(), 1) if marker in row)

    done = _check(copy, "check.py", mistake.tutorial, str(mistake.part))
    assert done.returncode == 1, _described(done)
    report = done.stdout.splitlines()
    assert report[0] == f"line {line}: {mistake.message}", _described(done)
    # One line per difference (here one), then a diff against the checkpoint when there is a file to show.
    if mistake.base.startswith("steps/"):
        assert report[1].startswith("--- "), _described(done)
        removed = [row for row in report[3:] if row.startswith("-") and mistake.old.strip() in row]
        assert removed, _described(done)
    else:  # the part's file is the reader's own: the check says what it compared with instead
        previous = next(file for name, part, file in _parts() if (name, part) == (mistake.tutorial, mistake.part - 1))
        assert report[1:] == [
            f"(compared with {previous} and the contract, as no other py{mistake.tutorial}.py is here: "
            "no file to show a diff against)"
        ], _described(done)


def test_a_python_without_the_runtime_is_told_to_activate_the_environment(tmp_path: Path) -> None:
    """In a fresh virtual environment, with no runtime installed, one line says what to do; status 1."""
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", bare], check=True, timeout=TIMEOUT)
    python = bare / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    copy = _copy(tmp_path)
    done = _check(copy, "check.py", "server", "2", python=str(python))
    assert done.returncode == 1, _described(done)
    assert done.stdout == "", _described(done)
    assert done.stderr.splitlines() == [
        f"error: the runtime (quark_threaded_runtime) is not installed in this Python ({python}); "
        "activate the virtual environment first, `source .venv/bin/activate`, and run check.py again"
    ], _described(done)


def test_a_broken_checkpoint_is_reported_as_such(tmp_path: Path) -> None:
    """A checkpoint that does not answer as its part says is named, rather than blamed on the reader's file."""
    copy = _copy(tmp_path)
    shutil.copyfile(EXAMPLE / "steps/server_2_response.py", copy / "pyserver.py")
    step = copy / "steps/server_2_response.py"
    step.write_text(step.read_text(encoding="utf-8").replace("return response\n", "return None\n"), encoding="utf-8")
    done = _check(copy, "check.py", "server", "2")
    assert done.returncode == 1, _described(done)
    assert done.stdout == "", _described(done)
    assert done.stderr == (
        "error: steps/server_2_response.py does not answer here: "
        "ResultTypeError: HelloImpl.hello returned None, expected a hello.Response\n"
    ), _described(done)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["server", "4"], "the server has parts 1 to 3, not 4"),
        (["client", "0"], "the client has parts 1 to 4, not 0"),
        (["servre", "1"], "argument tutorial: invalid choice: 'servre' (choose from 'client', 'server')"),
        (["server", "two"], "argument part: invalid int value: 'two'"),
        (["server", "1", "missing.py"], "missing.py: no such file"),
        ([], "the following arguments are required: tutorial, part"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_wrong_command_exits_2_with_the_usage(args: list[str], error: str) -> None:
    """A wrong command prints the usage and one error line, and exits 2 (the example folder as it is)."""
    done = _check(EXAMPLE, "check.py", *args)
    assert done.returncode == 2, _described(done)
    assert done.stdout == "", _described(done)
    assert done.stderr.splitlines()[-1] == f"check.py: error: {error}", _described(done)
    assert done.stderr.startswith("usage: check.py "), _described(done)


def test_help_describes_the_command() -> None:
    """``--help`` shows the usage and the exit statuses, and exits 0."""
    done = _check(EXAMPLE, "check.py", "--help")
    assert done.returncode == 0, _described(done)
    assert done.stdout.startswith("usage: check.py [-h] {client,server} part [file]"), _described(done)
    assert "Exit status: 0" in done.stdout, _described(done)
