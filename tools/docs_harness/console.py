"""Console blocks on the pages: ``$ `` command lines, then exactly what the programs print."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from . import REPO_ROOT
from .build_docs import Block

PROMPT = "$ "
"""How a command line starts in a console block; every other line is output."""

PYTHONS = ("python", "python3", "py")
"""Command names the pages may use for the reader's Python."""


@dataclass(frozen=True)
class Console:
    """A console block split into the reader's commands and the output they see."""

    block: Block
    commands: list[list[str]]
    output: list[str]

    @property
    def exports(self) -> dict[str, str]:
        """The variables the block's ``export`` commands set."""
        return dict(command[1].split("=", 1) for command in self.commands if command[0] == "export")

    @property
    def program(self) -> list[str]:
        """The arguments of the block's (last) ``python`` command, e.g. ``["pyclient.py"]``."""
        return self.commands[-1][1:]


def output_lines(text: str) -> list[str]:
    """The lines of a console block that are not command lines: what the block says the commands print."""
    return [line for line in text.splitlines() if not line.startswith(PROMPT)]


def parse(block: Block) -> Console:
    """Split ``block`` into commands and output; fail clearly if it does not have that shape.

    Every command is a ``python ...`` command, except ``cd <folder>``, whose
    folder must exist in the repository (a reader follows it in a fresh clone),
    and ``export NAME=value``.
    """
    lines = block.text.splitlines()
    commands: list[list[str]] = []
    while lines and lines[0].startswith(PROMPT):
        commands.append(shlex.split(lines.pop(0)[len(PROMPT) :]))
    if not commands:
        raise AssertionError(f"{block.where}: console block {block.names} does not start with a `$ ` command line")
    for command in commands:
        if command[:1] == ["cd"]:
            if len(command) != 2 or not (REPO_ROOT / command[1]).is_dir():
                raise AssertionError(f"{block.where}: `{shlex.join(command)}` names no folder of the repository")
        elif command[:1] == ["export"]:
            if len(command) != 2 or "=" not in command[1]:
                raise AssertionError(f"{block.where}: `{shlex.join(command)}` should be `export NAME=value`")
        elif command[:1] and command[0] in PYTHONS:
            if len(command) < 2:
                raise AssertionError(f"{block.where}: `{shlex.join(command)}` runs no program")
        else:
            raise AssertionError(f"{block.where}: the harness cannot run `{shlex.join(command)}` (expected python ...)")
    if commands[-1][0] not in PYTHONS:
        raise AssertionError(f"{block.where}: the last command of console block {block.names} is not `python ...`")
    for line in lines:
        if line.startswith(PROMPT):
            raise AssertionError(f"{block.where}: a command line follows output in {block.names}: one run per block")
    return Console(block, commands, lines)
