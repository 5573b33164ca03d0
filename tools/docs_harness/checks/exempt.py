"""Blocks a page exempts (``docs-harness: exempt: <reason>``): counted, listed, and smoke-checked.

An exempt block is one that cannot run here or takes minutes (the whole
suite, a benchmark, a live server, a network fetch). It is still checked for
what can be checked without running it: every ``tox -e`` environment it
names exists in ``tox.ini`` and each of its ``--options`` is one of ``tox run``,
every script or module it runs exists and
accepts each ``--option`` it is given (read from its ``--help``), every path
it names exists in the repository, and so does every path a ``pytest``
command (or a test environment's ``tox -e py -- ...``) is given.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .. import REPO_ROOT
from ..examples import Example
from ..records import Block, Build
from ..sessions import PROMPT
from .base import Check, Context

HELP_TIMEOUT = 60

OUTPUTS = ("build", ".tox")
"""Folders a build or tox writes; a command may name paths in them that do not exist yet."""


def tox_envs(root: Path = REPO_ROOT) -> set[str]:
    """The environments ``tox.ini`` defines or lists (``py`` and ``py3NN`` are tox's own)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(root / "tox.ini", encoding="utf-8")
    envs = {section.partition(":")[2] for section in parser.sections() if section.startswith("testenv:")}
    envs |= {name.strip() for name in re.split(r"[,\s]+", parser.get("tox", "env_list", fallback="")) if name.strip()}
    return envs


def _is_python_env(name: str) -> bool:
    return re.fullmatch(r"py(3\d*)?", name) is not None


def _options(argv: list[str]) -> list[str]:
    return [arg.split("=")[0] for arg in argv if arg.startswith("--") and len(arg) > 2]


def _tool(name: str) -> str:
    """The program ``name`` of the environment running the harness (else the one on ``PATH``)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def _help(command: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [*command, "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=HELP_TIMEOUT,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return done.stdout + done.stderr


PYTEST_VALUED = ("-k", "-m", "-n", "-p", "-o", "-c", "-W", "--maxfail", "--deselect", "--rootdir", "--basetemp")
"""pytest's options whose value is the next argument, not a path to test."""


def pytest_paths(args: list[str]) -> list[str]:
    """The files and folders a pytest command line tests (its arguments that are no option or option value)."""
    paths, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in PYTEST_VALUED:
            skip = True
        elif not arg.startswith("-"):
            paths.append(arg.split("::")[0])
    return paths


def _pytest_problems(part: str, args: list[str], where: str) -> list[str]:
    return [
        f"{where}: `{part}`: pytest would find no {path} in the repository"
        for path in pytest_paths(args)
        if not (REPO_ROOT / path).exists()
    ]


def smoke(command: str, where: str, env: dict[str, str] | None = None) -> list[str]:
    """What is wrong with ``command`` that can be seen without running it (an empty list if nothing).

    ``env`` holds the variables the block's earlier ``export`` lines set (a tool's ``--help`` runs with them).
    """
    problems = []
    for part in re.split(r"\s*(?:&&|\|\||;)\s*", command):
        try:
            argv = shlex.split(part, comments=True)
        except ValueError as error:
            return [f"{where}: `{part}` is not a shell command: {error}"]
        if not argv:
            continue
        if argv[0] == "tox":
            tox_args = argv[1 : argv.index("--")] if "--" in argv else argv[1:]
            for index, arg in enumerate(tox_args):
                if arg == "-e" and index + 1 < len(tox_args):
                    for env in tox_args[index + 1].split(","):
                        if env not in tox_envs() and not _is_python_env(env):
                            problems.append(f"{where}: `{part}`: tox.ini has no environment {env!r}")
            options = _options(tox_args)
            if options:
                text = _help([_tool("tox"), "run"])
                problems += [f"{where}: `{part}`: tox run has no option {o}" for o in options if o not in text]
            envs = [tox_args[i + 1] for i, arg in enumerate(tox_args[:-1]) if arg == "-e"]
            # Arguments after `--` go to the test environments' pytest (tox.ini: `pytest ... {posargs}`).
            if "--" in argv and envs and all(_is_python_env(env) for env in ",".join(envs).split(",")):
                problems += _pytest_problems(part, argv[argv.index("--") + 1 :], where)
        elif argv[0] == "pytest" or argv[:3] in (["python", "-m", "pytest"], ["python3", "-m", "pytest"]):
            problems += _pytest_problems(part, argv[1 if argv[0] == "pytest" else 3 :], where)
            continue
        elif argv[0] in ("python", "python3") and len(argv) >= 2:
            if argv[1] == "-m" and len(argv) >= 3:
                module = argv[2]
                sys.path.insert(0, str(REPO_ROOT / "tools"))
                try:
                    found = importlib.util.find_spec(module) or (REPO_ROOT / module.replace(".", "/")).is_dir()
                finally:
                    sys.path.pop(0)
                if not found:
                    problems.append(f"{where}: `{part}`: there is no module {module}")
                    continue
                runner = [sys.executable, "-m", module]
                options = _options(argv[3:])
            elif argv[1].endswith(".py"):
                if not (REPO_ROOT / argv[1]).is_file():
                    problems.append(f"{where}: `{part}`: there is no file {argv[1]}")
                    continue
                runner = [sys.executable, argv[1]]
                options = _options(argv[2:])
            else:
                continue
            words = [arg for arg in argv[3 if argv[1] == "-m" else 2 :] if not arg.startswith("-")]
            subcommand = words[:1] if words and not Path(words[0]).suffix and "/" not in words[0] else []
            if options:
                text = _help(runner + subcommand, env)
                problems += [f"{where}: `{part}`: {argv[1:3]} has no option {o}" for o in options if o not in text]
        for arg in argv[1:]:
            candidate = arg.split("::")[0]
            head = candidate.split("/")[0]
            # A path into the repository's own folders (not into what a build writes) must exist.
            inside = "/" in candidate and head not in OUTPUTS and (REPO_ROOT / head).is_dir()
            if inside and not (REPO_ROOT / candidate).exists():
                problems.append(f"{where}: `{part}`: there is no path {candidate} in the repository")
    return problems


class ExemptCheck(Check):
    """Counts each exempt block once its smoke checks pass."""

    name = "exempt"
    tally = "exempt"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return bool(block.exempt)

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        problems = []
        if block.language == "console":
            exported: dict[str, str] = {}
            for offset, line in enumerate(block.text.splitlines()):
                if line.startswith(PROMPT + "export ") and "=" in line:
                    name, _, value = line[len(PROMPT + "export ") :].partition("=")
                    exported[name.strip()] = value.strip().strip("'\"")
                elif line.startswith(PROMPT):
                    where = f"{block.where.rpartition(':')[0]}:{block.line + offset}"
                    problems += smoke(line[len(PROMPT) :], where, exported)
        assert not problems, "\n".join(problems)
