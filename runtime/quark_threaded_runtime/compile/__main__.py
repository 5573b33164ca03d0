"""The command line: ``python -m quark_threaded_runtime.compile SOURCE [-o OUTPUT] [--check]``.

Prints the library on standard output, or writes it to OUTPUT in one step.
With ``--check`` it writes nothing: it exits 0 if OUTPUT is exactly what it
would write, and otherwise prints the difference (a unified diff from OUTPUT
to the compiled library) on standard output, one line saying OUTPUT is stale
on standard error, and exits 1.
Each problem is one line on standard error (``file:line:column: message``);
the exit status is 0 on success, 1 if the contract does not compile, a file
cannot be read or written, or a checked library is stale, and 2 for wrong usage.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from . import compile_file
from .errors import CompileError
from .output import write_atomically

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the compiler with ``argv`` (default: the process's arguments); returns the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    source: str = arguments.source
    output: str | None = None if arguments.output in (None, "-") else arguments.output
    if arguments.check and output is None:
        parser.error("--check compares the library with a file: give it with -o OUTPUT")
    try:
        text = compile_file(source, output)
    except CompileError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except FileNotFoundError:
        return _fail(f"cannot read {source}: no such file")
    except IsADirectoryError:
        return _fail(f"cannot read {source}: it is a folder, expected a .q file")
    except UnicodeDecodeError as error:
        return _fail(
            f"cannot read {source}: not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})"
        )
    except OSError as error:
        return _fail(f"cannot read {source}: {error.strerror or error}")
    if output is None:
        sys.stdout.write(text)
        return 0
    target = Path(output)
    if arguments.check:
        return _check(source, target, text)
    if not target.parent.is_dir():
        return _fail(f"cannot write {output}: no folder {os.fspath(target.parent)}")
    try:
        write_atomically(target, text)
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}")
    return 0


def _check(source: str, target: Path, text: str) -> int:
    """Compare the compiled ``text`` with the file ``target``; print the diff and return 1 if they differ."""
    output = os.fspath(target)
    try:
        current = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"cannot read {output}: {getattr(error, 'strerror', None) or error}")
    if current == text:
        return 0
    diff = difflib.unified_diff(
        (current or "").splitlines(keepends=True),
        text.splitlines(keepends=True),
        f"{output} (as it is)",
        f"{output} (compiled from {source})",
    )
    sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    state = "does not exist" if current is None else "is stale"
    return _fail(f"{output} {state}: it is not what {source} compiles to; run without --check to rewrite it")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _parser() -> argparse.ArgumentParser:
    # Usage lines name the command as it was run: the console script, or python -m.
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    parser = argparse.ArgumentParser(
        prog=script if script and script != "__main__.py" else "python -m quark_threaded_runtime.compile",
        description="Compile a .q contract into the Python library that declares it for quark_threaded_runtime.",
    )
    parser.add_argument("source", help="the contract to compile, e.g. hello.q")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="the file to write, e.g. hello.py (default, or '-': standard output); written only if it compiles",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and show the diff if OUTPUT is not what SOURCE compiles to",
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
