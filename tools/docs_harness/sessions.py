"""Console sessions: run ``$`` commands in order, as a reader types them, in terminals, and compare what they print.

A session is a sequence of console blocks: the tutorial's pages in reading
order, or one page of the maintainers' guide. The commands run one after the
other, each in ``bash`` with the folder and the environment its terminal's
earlier commands left (``cd``, ``export`` and ``source <venv>/bin/activate``
change them, as in a shell). A session whose first command is ``git clone``
starts in an empty folder (the reader's home); any other starts in a scratch
clone of the repository with this checkout's working tree laid over it.

Terminals: a block whose caption starts with ``Terminal <n>`` runs in
terminal ``n``; other blocks run in terminal 1. A terminal first used by a
block starts where a new terminal does, in the session's first folder with
the environment the session started with (no virtual environment), so the
page must show the ``cd`` and the ``source .venv/bin/activate`` a reader
types there. A program that serves keeps running in its terminal when the
next line that terminal shows is ``^C`` (a reader pressing Ctrl-C); the
harness then interrupts it there and compares what it printed before (with
its own block) and after (with the ``^C`` line's). A server that nobody
interrupts on the page is called once with its example's call and stopped
right away. A command may exit with a status other than 0 only when the
next command of its block is ``echo $?``, which then prints that status.

What the harness changes, and nothing more (the maintainers' guide lists it):

* ``git clone`` of the project's URL clones this checkout instead (with the
  page's ``--branch``), and before the first command that is not ``cd`` or
  ``git``, this checkout's working tree is laid over the clone, so that
  uncommitted changes are what the session tests;
* every example's documented address (``127.0.0.1:8910`` for Hello) is
  moved to a free port of its own: ``QUARK_RUNTIME_REMAP`` for the runtime,
  the address itself in the command's arguments for other servers; an
  address a page moves the runtime to itself (``export
  QUARK_RUNTIME_REMAP=127.0.0.1:8910=127.0.0.1:18910``) gets a free port too;
  in the output each free port reads as the page's address again;
* no colours: ``NO_COLOR=1``, and a ``FORCE_COLOR`` of the test run's own
  is dropped, so output compares as plain text;
* pip runs without its version check (``PIP_DISABLE_PIP_VERSION_CHECK``)
  and one level quieter than the command asks (``PIP_QUIET=1``), so that
  warnings about the machine's own pip configuration do not show;
* ``git clone``, ``git checkout`` and ``git switch`` run with ``--quiet``:
  their progress lines and notes depend on the remote and the commit.

A command that starts serving on a moved port (a server such as
``gunicorn``) is called with its example's call, then stopped with Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.git import git, git_or_none
from toolkit.processes import STOP_TIMEOUT, free_port, listening, start, stop
from toolkit.repos import ISOLATED

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

QUIET = 2.0
"""Seconds a program left running must print nothing before a ``^C`` is taken to find all its output in."""

SETTLE = 0.5
"""Seconds between a server's answer and the Ctrl-C that stops it."""

POLL = 0.05
"""Seconds between two looks at a running command for a port it started to listen on."""


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
    deleted = git(REPO_ROOT, "ls-files", "-z", "--deleted", strip=False)
    for name in filter(None, deleted.split("\0")):
        (target / name).unlink(missing_ok=True)


EDIT = "(edit)"
"""The command of a step made from a ``diff`` block: the reader edits the file its caption names."""

ELLIPSIS = "..."
"""Shown output that stands for what varies: as a line, any number of lines; in a line, any text."""

INTERRUPT = "^C"
"""A line of a console block that stands for the reader pressing Ctrl-C in that terminal."""

STATUS = "echo $?"
"""The command that shows the exit status of the command before it."""

TERMINAL = re.compile(r"^Terminal (?P<number>\d+)\b")
"""How a console block's caption names its terminal."""

REMAP_VARIABLE = "QUARK_RUNTIME_REMAP"


@dataclass(frozen=True)
class Step:
    """One ``$`` command (or a ``^C``) of a console block, with the output lines the block shows after it."""

    shown: Block
    line: int
    command: str
    output: tuple[str, ...]

    @property
    def where(self) -> str:
        """``page:line`` of the command line."""
        return f"{self.shown.where.rpartition(':')[0]}:{self.line}"

    @property
    def terminal(self) -> str:
        """The terminal the step's block runs in (``"1"`` unless its caption says ``Terminal <n>``)."""
        return terminal_of(self.shown)

    allows_failure: bool = False
    """Whether the next command of its block is ``echo $?`` (which shows a failure's status)."""

    @property
    def is_interrupt(self) -> bool:
        """Whether this is the reader pressing Ctrl-C."""
        return self.command == INTERRUPT


def terminal_of(block: Block) -> str:
    """The terminal ``block`` runs in, from its caption."""
    match = TERMINAL.match(block.caption)
    return match["number"] if match else "1"


def steps(blocks: list[Block]) -> list[Step]:
    """The commands of ``blocks``, in order, each with the output shown after it.

    A ``diff`` block is one step: the reader edits the file its caption names.
    """
    result: list[Step] = []
    for block in blocks:
        first = text_line(block)
        if block.language == "diff":
            result.append(Step(block, block.line, EDIT, tuple(block.text.splitlines())))
            continue
        current: list = []
        for offset, line in enumerate(block.text.splitlines()):
            if line.startswith(PROMPT):
                current.append([first + offset, line[len(PROMPT) :], []])
            elif line.strip() == INTERRUPT:
                current.append([first + offset, INTERRUPT, []])
            elif current:
                current[-1][2].append(line)
            else:
                raise AssertionError(f"{block.where}: the console block starts with output, not a `$ ` command")
        for index, (line, command, output) in enumerate(current):
            checked = index + 1 < len(current) and current[index + 1][1].strip() == STATUS
            result.append(Step(block, line, command, tuple(output), allows_failure=checked))
    return result


def text_line(block: Block) -> int:
    """The line of ``block``'s first line of text in its source (the doctree gives the directive's or fence's)."""
    wanted = (block.text.splitlines() or [""])[0].strip()
    try:
        lines = Path(block.source).read_text(encoding="utf-8").splitlines()
    except OSError:
        return block.line
    for index in range(max(block.line - 1, 0), min(block.line + 40, len(lines))):
        if wanted and lines[index].strip() == wanted:
            return index + 1
    return block.line


def kept_running(commands: list[Step]) -> set[int]:
    """The indexes of the commands whose terminal shows ``^C`` next: if they serve, they keep running till then."""
    kept = set()
    for index, step in enumerate(commands):
        following = [later for later in commands[index + 1 :] if later.terminal == step.terminal]
        if not step.is_interrupt and following and following[0].is_interrupt:
            kept.add(index)
    return kept


@dataclass
class Background:
    """A program left running in a terminal (a server the page stops later with ``^C``)."""

    step: Step
    process: subprocess.Popen
    lines: list[str]
    reader: threading.Thread


@dataclass
class Terminal:
    """What a shell keeps between commands: its folder, its environment, what still runs in it."""

    cwd: Path
    env: dict[str, str]
    status: int = 0
    """The exit status of its last command."""
    background: Background | None = None


@dataclass
class Session:
    """Terminals sharing one scratch folder, the free ports and the clone still to be laid over."""

    home: Path
    base_env: dict[str, str]
    ports: dict[str, int]
    """Each address the pages name (documented, or moved to by a page's export), and its free port."""
    examples: tuple[Example, ...]
    terminals: dict[str, Terminal] = field(default_factory=dict)
    clone: Path | None = None
    """A clone this checkout's working tree is still to be laid over."""
    interrupted: tuple[Step, list[str]] | None = None
    """After a ``^C``: the command it stopped, and what that command printed before it."""

    @classmethod
    def start(
        cls, scratch: Path, examples: tuple[Example, ...], *, clone_first: bool, downloads: list[Path] = ()
    ) -> Session:
        """A session in ``scratch``, each example on a free port.

        With ``clone_first`` it starts in an empty folder, the reader's home,
        holding the ``downloads`` (files a reader downloaded from the page);
        otherwise in a scratch clone of the repository.
        """
        folder = scratch / "session"
        scratch.mkdir(parents=True, exist_ok=True)
        if clone_first:
            folder.mkdir(parents=True)
            for download in downloads:
                shutil.copyfile(download, folder / download.name)
        else:
            # A clone, so that git and the build's links work there as in a maintainer's checkout; its
            # origin is a scratch copy of this repository, so a page's `git push` lands there, not here.
            git(scratch, "clone", "--quiet", "--bare", str(REPO_ROOT), "origin.git")
            git(scratch, "clone", "--quiet", "--no-checkout", str(scratch / "origin.git"), folder.name)
            git(folder, "checkout", "--quiet", "HEAD")
            # A maintainer's checkout has the branches a page names (`git switch -c release/1.2 main`).
            git(folder, "fetch", "--quiet", "--update-head-ok", "origin", "refs/heads/*:refs/heads/*")
            if git_or_none(folder, "rev-parse", "--verify", "--quiet", "refs/heads/main") is None:
                git(folder, "branch", "main", "HEAD")
            overlay_working_tree(folder)
        dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env["NO_COLOR"] = "1"  # what a program prints, not the colours a CI runner's terminal asks for
        env["PATH"] = os.pathsep.join([str(_pythons(scratch, clone_first)), env.get("PATH", "")])
        if not clone_first:
            env.update(ISOLATED)  # a maintainer's commits and tags, made without this machine's git settings
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

    def terminal(self, name: str) -> Terminal:
        """Terminal ``name``, opened in the session's first folder on first use."""
        if name not in self.terminals:
            self.terminals[name] = Terminal(self.home, dict(self.base_env))
        return self.terminals[name]

    @property
    def cwd(self) -> Path:
        """Terminal 1's folder."""
        return self.terminal("1").cwd

    def normalise(self, output: str) -> list[str]:
        """The output's lines with each free port shown as the page's address."""
        for address, port in self.ports.items():
            output = output.replace(f"127.0.0.1:{port}", address)
        return output.splitlines()

    def moved(self, command: str) -> str:
        """``command`` with each address the pages name replaced by its free port."""
        for address, port in self.ports.items():
            command = command.replace(address, f"127.0.0.1:{port}")
        return command

    def run(self, step: Step, *, keep: bool = False) -> list[str]:
        """Run ``step`` in its terminal; return what it printed (stdout and stderr as a terminal shows them).

        With ``keep``, a command that starts serving is left running in its
        terminal (its output is returned when a ``^C`` stops it).
        """
        terminal = self.terminal(step.terminal)
        if step.is_interrupt:
            return self._interrupt(step, terminal)
        try:
            argv = shlex.split(step.command, comments=True)
        except ValueError as error:
            raise AssertionError(f"{step.where}: `{step.command}` is not a shell command: {error}") from None
        if not argv:
            return []
        if step.command == EDIT:
            edit(terminal.cwd / step.shown.caption, step.output, step.where)
            return list(step.output)
        if step.command.strip() == STATUS:
            return [str(terminal.status)]
        if argv[0] == "cd" and len(argv) == 2:
            folder = (terminal.cwd / argv[1]).resolve()
            assert folder.is_dir(), f"{step.where}: `{step.command}`: there is no folder {argv[1]} in {terminal.cwd}"
            terminal.cwd = folder
            return []
        if argv[0] == "export" and len(argv) == 2 and "=" in argv[1]:
            name, _, value = argv[1].partition("=")
            terminal.env[name] = self._remap(value) if name == REMAP_VARIABLE else value
            return []
        if argv[0] == "unset" and len(argv) >= 2:
            for name in argv[1:]:
                terminal.env.pop(name, None)
            if REMAP_VARIABLE in argv[1:]:  # the harness's own moves stay: the free ports of the documented addresses
                terminal.env[REMAP_VARIABLE] = self.base_env[REMAP_VARIABLE]
            return []
        if argv[0] in ("source", ".") and len(argv) == 2 and argv[1].endswith("bin/activate"):
            venv = (terminal.cwd / argv[1]).resolve().parent.parent
            assert (venv / "bin" / "python").exists(), f"{step.where}: `{step.command}`: {venv} is no virtual env"
            terminal.env["VIRTUAL_ENV"] = str(venv)
            terminal.env["PATH"] = os.pathsep.join([str(venv / "bin"), terminal.env["PATH"]])
            return []
        if argv[:2] == ["git", "clone"]:
            return self._clone(step, terminal, argv)
        if argv[:1] == ["git"] and len(argv) >= 2 and argv[1] in ("checkout", "switch"):
            # Its notes name the commit, which no page can show.
            return self._execute(step, terminal, shlex.join([*argv[:2], "--quiet", *argv[2:]]))
        if self.clone is not None:
            overlay_working_tree(self.clone)
            self.clone = None
        # bash runs the command as the page writes it (quotes, $VARIABLES, &&), the addresses moved.
        return self._execute(step, terminal, self.moved(step.command), keep=keep)

    def _remap(self, value: str) -> str:
        """A page's own ``QUARK_RUNTIME_REMAP``: each address it moves to gets a free port of its own."""
        pairs = []
        for pair in value.split(","):
            source, _, target = pair.partition("=")
            if target and target not in self.ports:
                self.ports[target] = free_port()
            pairs.append(f"{source}=127.0.0.1:{self.ports[target]}" if target else pair)
        return ",".join(pairs)

    def _clone(self, step: Step, terminal: Terminal, argv: list[str]) -> list[str]:
        urls = [argument for argument in argv if _is_url(argument)]
        assert len(urls) == 1, f"{step.where}: `{step.command}` should clone one URL, found {urls}"
        local = [str(REPO_ROOT) if argument == urls[0] else argument for argument in argv]
        # A checkout on no branch (detached HEAD, as a CI system may leave one) makes git's clone advise
        # about it; a reader's clone of the project's repository never meets that.
        git_clone = [local[0], "-c", "advice.detachedHead=false", local[1]]
        lines = self._execute(step, terminal, shlex.join([*git_clone, "--quiet", *local[2:]]))
        # Laid over once the page's git commands are done (a `git checkout <commit>` needs a clean clone).
        self.clone = terminal.cwd / clone_target(argv)
        return lines

    def _execute(self, step: Step, terminal: Terminal, command: str, *, keep: bool = False) -> list[str]:
        # A port that already listens belongs to a program started earlier (in another terminal).
        busy = {port for port in self.ports.values() if listening(port)}
        process = start(["bash", "-c", command], terminal.cwd, terminal.env, own_group=True)
        # A thread drains the output as it comes, so a chatty command never blocks on a full pipe.
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(process.stdout,), daemon=True)
        reader.start()
        deadline = time.monotonic() + COMMAND_TIMEOUT
        serving_by = time.monotonic() + SERVE_TIMEOUT
        try:
            while process.poll() is None:
                serving = self._serving(busy) if time.monotonic() < serving_by else None
                if serving is not None:
                    if keep:
                        self._settle(step, process, lines)
                        terminal.background = Background(step, process, lines, reader)
                        return []
                    self._call(step, process, *serving)
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"{step.where}: `{step.command}` did not finish within {COMMAND_TIMEOUT:.0f}s")
                # Returns the moment the command ends: most commands end well within one poll.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(POLL)
            else:
                reader.join(STOP_TIMEOUT)
                terminal.status = process.returncode
                self._check_exit(step, process.returncode, "".join(lines))
        finally:
            if terminal.background is None or terminal.background.process is not process:
                stop(process, group=True)
                reader.join(STOP_TIMEOUT)
                process.stdout.close()
        return self.normalise("".join(lines))

    def _settle(self, step: Step, process: subprocess.Popen, lines: list[str]) -> None:
        """Wait (bounded) until a program left running has printed its first line (``Serving ...``)."""
        deadline = time.monotonic() + SERVE_TIMEOUT
        while not lines and time.monotonic() < deadline:
            if process.poll() is not None:
                return
            time.sleep(0.05)

    def _interrupt(self, step: Step, terminal: Terminal) -> list[str]:
        """The reader presses Ctrl-C: stop what runs in the terminal; compare what it printed before, return after."""
        background = terminal.background
        assert background is not None, f"{step.where}: `{INTERRUPT}`, but nothing runs in terminal {step.terminal}"
        terminal.background = None
        # What the program printed in answer to other terminals may still be on its way: wait (bounded)
        # until it shows what its block shows, or has been quiet for a moment, before the split.
        deadline, last, quiet_since = time.monotonic() + SERVE_TIMEOUT, -1, time.monotonic()
        while time.monotonic() < deadline and not matches(
            background.step.output, self.normalise("".join(background.lines))
        ):
            if len(background.lines) != last:
                last, quiet_since = len(background.lines), time.monotonic()
            elif time.monotonic() - quiet_since > QUIET:
                break
            time.sleep(0.05)
        before = len(background.lines)
        stop(background.process, group=True)
        background.reader.join(STOP_TIMEOUT)
        background.process.stdout.close()
        terminal.status = background.process.returncode
        self.interrupted = (background.step, self.normalise("".join(background.lines[:before])))
        return self.normalise("".join(background.lines[before:]))

    def close(self) -> None:
        """Stop whatever still runs in a terminal."""
        for terminal in self.terminals.values():
            if terminal.background is not None:
                stop(terminal.background.process, group=True)
                terminal.background.reader.join(STOP_TIMEOUT)
                terminal.background.process.stdout.close()
                terminal.background = None

    @staticmethod
    def _check_exit(step: Step, returncode: int, output: str) -> None:
        assert returncode == 0 or step.allows_failure, (
            f"{step.where}: `{step.command}` exited with status {returncode}; its output:\n{output or '(none)'}"
        )

    def _serving(self, busy: set[int]) -> tuple[Example, int] | None:
        """The example and free port a new program listens on, if any (ports in ``busy`` were taken before)."""
        for address, port in self.ports.items():
            if port not in busy and listening(port):
                return next((e for e in self.examples if e.address == address), self.examples[0]), port
        return None

    def _call(self, step: Step, process: subprocess.Popen, example: Example, port: int) -> None:
        """A command that serves and that no ``^C`` stops: it must answer its example's call, then it is stopped."""
        deadline = time.monotonic() + SERVE_TIMEOUT
        while True:
            try:
                answer = call(example, port, "Hello from the session")
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


def _pythons(scratch: Path, reader: bool) -> Path:
    """The folder whose ``python`` a new terminal finds first.

    A reader starts with a Python that has nothing of the project installed
    (they install the runtime into a virtual environment on the setup page),
    so a session that clones starts with the base interpreter of the one
    running the tests. A session in a copy of the repository is a
    maintainer's, whose environment has the project's tools: the tests' own.
    """
    if not reader:
        return Path(sys.executable).parent
    folder = scratch / "reader-bin"
    folder.mkdir(exist_ok=True)
    base = Path(getattr(sys, "_base_executable", sys.executable))
    for name in ("python", "python3"):
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(base)
    return folder


def edit(path: Path, diff: tuple[str, ...], where: str) -> None:
    """Make the edit a ``diff`` block shows: its ``-`` lines, in the file as they are, become its ``+`` lines."""
    assert path.is_file(), f"{where}: the diff's caption names {path.name}, which is not in {path.parent}"
    old = [line[1:] for line in diff if line.startswith(("-", " ")) and not line.startswith("---")]
    new = [line[1:] for line in diff if line.startswith(("+", " ")) and not line.startswith("+++")]
    lines = path.read_text(encoding="utf-8").splitlines()
    for first in range(len(lines) - len(old) + 1):
        if lines[first : first + len(old)] == old:
            lines[first : first + len(old)] = new
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return
    raise AssertionError(f"{where}: the lines the diff removes are not in {path.name} as shown:\n" + "\n".join(old))


def _line_matches(shown: str, printed: str) -> bool:
    if ELLIPSIS not in shown:
        return shown == printed
    pattern = ".*".join(re.escape(part) for part in shown.split(ELLIPSIS))
    return re.fullmatch(pattern, printed) is not None


def matches(shown: list[str] | tuple[str, ...], printed: list[str]) -> bool:
    """Whether ``printed`` is what ``shown`` shows.

    A shown line ``...`` stands for any number of lines (a traceback's
    middle); ``...`` inside a line stands for any text there (a duration).
    """
    shown = list(shown)
    if ELLIPSIS not in shown:
        return len(shown) == len(printed) and all(map(_line_matches, shown, printed))
    head = shown[: shown.index(ELLIPSIS)]
    rest = shown[shown.index(ELLIPSIS) + 1 :]
    if not matches(head, printed[: len(head)]):
        return False
    return any(matches(rest, printed[first:]) for first in range(len(head), len(printed) + 1))
