"""Included files of an example that are not Python: the contract and the script that compiles it.

* A contract (``*.q``) is compiled by the real compiler, and the library it
  makes must be the library the example holds (``quark-compile --check``).
* A shell script (``*.sh``) runs with ``bash`` in a copy of the example
  folder and must exit 0 and leave the example's files as they were (for
  ``build.sh``: it regenerates the library, which must not change).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..examples import Example, example_of
from ..programs import example_copy
from ..records import Block, Build
from .base import Check, Context

SCRIPT_TIMEOUT = 60


def quark_compile() -> str:
    """The ``quark-compile`` console script installed next to the interpreter running the tests."""
    script = Path(sys.executable).parent / "quark-compile"
    return str(script) if script.exists() else shutil.which("quark-compile") or "quark-compile"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


class ContractFileCheck(Check):
    """A contract a page includes compiles, to exactly the library its example holds."""

    name = "contract-file"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "include" and block.path.endswith(".q")

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        assert block.error is None, f"{block.where}: literalinclude of {block.argument} failed: {block.error}"
        contract = Path(block.path)
        library = contract.with_suffix(".py")
        done = subprocess.run(
            [quark_compile(), contract.name, "-o", library.name, "--check"],
            cwd=contract.parent,
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, (
            f"{block.where}: `quark-compile {contract.name} -o {library.name} --check` failed: the library is stale "
            f"or the contract does not compile (run `bash build.sh` in {contract.parent.name}):\n"
            f"{done.stderr}{done.stdout}"
        )


class ScriptFileCheck(Check):
    """A shell script a page includes from an example runs there and changes nothing that is checked in."""

    name = "script-file"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "include" and block.path.endswith(".sh") and example_of(block.path, examples) is not None

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        assert block.error is None, f"{block.where}: literalinclude of {block.argument} failed: {block.error}"
        script = Path(block.path)
        example = example_of(script, context.examples)
        copy = example_copy(example.folder, context.tmp_path / example.name)
        before = _snapshot(copy)
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(context.tmp_path)}
        done = subprocess.run(
            ["bash", str(script.relative_to(example.folder))],
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT,
            env=env,
            check=False,
        )
        assert done.returncode == 0, f"{block.where}: `bash {script.name}` exited {done.returncode}:\n{done.stderr}"
        after = _snapshot(copy)
        changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        assert not changed, f"{block.where}: `bash {script.name}` changed {changed} in a copy of {example.name}"
