"""Console sessions: run a page's ``$`` commands in order, as a reader types them, and compare what they print.

The console blocks of one page form one session: the commands run one after
the other in a scratch folder, each in ``bash`` with the folder and the
environment the earlier commands left (``cd``, ``export`` and ``source
<venv>/bin/activate`` change them, as in a shell). A session whose first
command is ``git clone`` starts in an empty folder; any other starts in a
scratch copy of the repository, where a reader who followed the setup page is.

What the harness changes, and nothing more (the maintainers' guide lists it):

* ``git clone`` of the project's URL clones this checkout instead (with the
  page's ``--branch``), and before the first command that is not ``cd`` or
  ``git``, this checkout's working tree is laid over the clone, so that
  uncommitted changes are what the session tests;
* every example's documented address (``127.0.0.1:8910`` for Hello) is
  moved to a free port of its own: ``QUARK_RUNTIME_REMAP`` for the runtime,
  the address itself in the command's arguments for other servers; in the
  output each free port reads as the documented one again;
* pip runs without its version check (``PIP_DISABLE_PIP_VERSION_CHECK``)
  and one level quieter than the command asks (``PIP_QUIET=1``), so that
  warnings about the machine's own pip configuration do not show;
* ``git clone``, ``git checkout`` and ``git switch`` run with ``--quiet``:
  their progress lines and notes depend on the remote and the commit.

A command that starts serving on a moved port (a server such as
``gunicorn``) is called with its example's call, then stopped with Ctrl-C.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from toolkit.git import git
from toolkit.processes import STOP_TIMEOUT, free_port, start, stop

from . import REPO_ROOT
from .examples import Example
from .programs import call
from .records import Block

PROMPT = "$ "
"""How a command line starts in a console block; every other line is output."""

COMMAND_TIMEOUT = 240.0
"""Seconds one command may take (``pip install .`` with a cold cache is the slowest)."""

SERVE_TIMEOUT = 15.0
"""Seconds a command that serves may take to listen."""

SETTLE = 0.5
"""Seconds between a server's answer and the Ctrl-C that stops it."""

IGNORED = shutil.ignore_patterns(".git", ".tox", "build", "__pycache__", "*.pyc", ".venv", "*.egg-info")


@dataclass(frozen=True)
class Step:
    """One ``$`` command of a page, with the output lines the page shows after it."""

    shown: Block
    line: int
    command: str
    output: tuple[str, ...]

    @property
    def where(self) -> str:
        """``page:line`` of the command line."""
        return f"{self.shown.where.rpartition(':')[0]}:{self.line}"


def steps(blocks: list[Block]) -> list[Step]:
    """The commands of ``blocks``, in order, each with the output shown after it."""
    result: list[Step] = []
    for block in blocks:
        current: list = []
        for offset, line in enumerate(block.text.splitlines()):
            if line.startswith(PROMPT):
                current.append([block.line + offset, line[len(PROMPT) :], []])
            elif current:
                current[-1][2].append(line)
            else:
                raise AssertionError(f"{block.where}: the console block starts with output, not a `$ ` command")
        result += [Step(block, line, command, tuple(output)) for line, command, output in current]
    return result


def _is_url(argument: str) -> bool:
    return "://" in argument or argument.startswith("git@")


def clone_target(argv: list[str]) -> str:
    """The folder ``git clone`` clones into (its last positional argument, or the URL's last part)."""
    positional, skip = [], False
    for argument in argv[2:]:
        if skip:
            skip = False
        elif argument in ("--branch", "-b", "--depth", "--origin", "-o"):
            skip = True
        elif not argument.startswith("-"):
            positional.append(argument)
    if len(positional) >= 2:
        return positional[-1]
    name = positional[0].rstrip("/").rpartition("/")[2]
    return name.removesuffix(".git")


def overlay_working_tree(target: Path) -> None:
    """Copy this checkout's working tree (tracked and new files, not ignored ones) over the clone in ``target``."""
    listed = git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard", strip=False)
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@dataclass
class Session:
    """The state a shell keeps between commands: the folder and the environment."""

    cwd: Path
    env: dict[str, str]
    ports: dict[str, int]
    """Each example's documented address, and the free port it is moved to."""
    examples: tuple[Example, ...]
    clone: Path | None = None
    """A clone this checkout's working tree is still to be laid over."""

    @classmethod
    def start(cls, scratch: Path, examples: tuple[Example, ...], *, clone_first: bool) -> Session:
        """A session in ``scratch`` (a copy of the repository unless it clones first), each example on a free port."""
        folder = scratch / "session"
        if clone_first:
            folder.mkdir(parents=True)
        else:
            shutil.copytree(REPO_ROOT, folder, ignore=IGNORED)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        # The reader's `python` is the one running the tests, with the runtime installed.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        ports = {example.address: free_port() for example in examples}
        env.update(
            QUARK_RUNTIME_REMAP=",".join(f"{address}=127.0.0.1:{port}" for address, port in ports.items()),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            # One level quieter than the page asks: the machine's own pip configuration may warn.
            PIP_QUIET="1",
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONIOENCODING="utf-8",
        )
        return cls(folder, env, ports, examples)

    def normalise(self, output: str) -> list[str]:
        """The output's lines with each free port shown as the documented address."""
        for address, port in self.ports.items():
            output = output.replace(f"127.0.0.1:{port}", address)
        return output.splitlines()

    def moved(self, command: str) -> str:
        """``command`` with each documented address replaced by its free port."""
        for address, port in self.ports.items():
            command = command.replace(address, f"127.0.0.1:{port}")
        return command

    def run(self, step: Step) -> list[str]:
        """Run ``step``'s command; return its output (stdout and stderr as a terminal shows them)."""
        try:
            argv = shlex.split(step.command, comments=True)
        except ValueError as error:
            raise AssertionError(f"{step.where}: `{step.command}` is not a shell command: {error}") from None
        if not argv:
            return []
        if argv[0] == "cd" and len(argv) == 2:
            folder = (self.cwd / argv[1]).resolve()
            assert folder.is_dir(), f"{step.where}: `{step.command}`: there is no folder {argv[1]} in {self.cwd}"
            self.cwd = folder
            return []
        if argv[0] == "export" and len(argv) == 2 and "=" in argv[1]:
            name, _, value = argv[1].partition("=")
            self.env[name] = value
            return []
        if argv[0] in ("source", ".") and len(argv) == 2 and argv[1].endswith("bin/activate"):
            venv = (self.cwd / argv[1]).resolve().parent.parent
            assert (venv / "bin" / "python").exists(), f"{step.where}: `{step.command}`: {venv} is no virtual env"
            self.env["VIRTUAL_ENV"] = str(venv)
            self.env["PATH"] = os.pathsep.join([str(venv / "bin"), self.env["PATH"]])
            return []
        if argv[:2] == ["git", "clone"]:
            return self._clone(step, argv)
        if argv[:1] == ["git"] and len(argv) >= 2 and argv[1] in ("checkout", "switch"):
            # Its notes name the commit, which no page can show.
            return self._execute(step, shlex.join([*argv[:2], "--quiet", *argv[2:]]))
        if self.clone is not None:
            overlay_working_tree(self.clone)
            self.clone = None
        # bash runs the command as the page writes it (quotes, $VARIABLES, &&), the address moved.
        return self._execute(step, self.moved(step.command))

    def _clone(self, step: Step, argv: list[str]) -> list[str]:
        urls = [argument for argument in argv if _is_url(argument)]
        assert len(urls) == 1, f"{step.where}: `{step.command}` should clone one URL, found {urls}"
        local = [str(REPO_ROOT) if argument == urls[0] else argument for argument in argv]
        lines = self._execute(step, shlex.join([*local[:2], "--quiet", *local[2:]]))
        # Laid over once the page's git commands are done (a `git checkout <commit>` needs a clean clone).
        self.clone = self.cwd / clone_target(argv)
        return lines

    def _execute(self, step: Step, command: str) -> list[str]:
        process = start(["bash", "-c", command], self.cwd, self.env, own_group=True)
        # A thread drains the output as it comes, so a chatty command never blocks on a full pipe.
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(process.stdout,), daemon=True)
        reader.start()
        deadline = time.monotonic() + COMMAND_TIMEOUT
        serving_by = time.monotonic() + SERVE_TIMEOUT
        try:
            while process.poll() is None:
                serving = self._serving() if time.monotonic() < serving_by else None
                if serving is not None:
                    self._call(step, process, serving)
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"{step.where}: `{step.command}` did not finish within {COMMAND_TIMEOUT:.0f}s")
                time.sleep(0.1)
            else:
                self._check_exit(step, process, lines, reader)
        finally:
            stop(process, group=True)
            reader.join(STOP_TIMEOUT)
            process.stdout.close()
        return self.normalise("".join(lines))

    @staticmethod
    def _check_exit(step: Step, process: subprocess.Popen, lines: list[str], reader: threading.Thread) -> None:
        reader.join(STOP_TIMEOUT)
        output = "".join(lines)
        assert process.returncode == 0, (
            f"{step.where}: `{step.command}` exited with status {process.returncode}; its output:\n{output or '(none)'}"
        )

    def _serving(self) -> Example | None:
        """The example whose moved port something listens on, if any."""
        for example in self.examples:
            try:
                socket.create_connection(("127.0.0.1", self.ports[example.address]), timeout=0.5).close()
            except OSError:
                continue
            return example
        return None

    def _call(self, step: Step, process: subprocess.Popen, example: Example) -> None:
        """A command that serves: it must answer its example's call (then the caller stops it with Ctrl-C)."""
        deadline = time.monotonic() + SERVE_TIMEOUT
        while True:
            try:
                answer = call(example, self.ports[example.address], "Hello from the session")
                break
            except (AssertionError, OSError) as error:
                # A server that listens before it mounts the service answers 404 for a moment.
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(
                        f"{step.where}: `{step.command}` listens but does not answer: {error}"
                    ) from None
                time.sleep(0.1)
        assert example.answer_text(answer), f"{step.where}: `{step.command}` answered {answer!r}"
        # The answer is read before the server has closed the connection; a reader's Ctrl-C comes later.
        time.sleep(SETTLE)
