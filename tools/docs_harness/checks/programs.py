"""Included Python files of an example: each exists, compiles and runs unmodified, as a reader runs it.

A step file runs under the name its tutorial gives it (``steps/server_2_response.py``
runs as ``pyserver.py``), in a copy of its example folder, in a fresh
interpreter with the runtime installed; only the documented address is moved
to a free port. A step that only defines things must exit 0; one that serves
must answer its example's call and stop cleanly on Ctrl-C; client steps run
with the finished server running. A file that defines the example's
implementation class must answer as the finished server's does.
"""

from __future__ import annotations

import json
from pathlib import Path

from toolkit.processes import free_port

from ..examples import Example, example_of
from ..programs import call, example_copy, run, started, wait_until_serving
from ..records import Block, Build, relative
from .base import Check, Context, Item

HARNESS_TEXT = "Hi from the docs harness"
"""A request text of the harness's own, so an answer that ignores the request cannot pass."""

IMPLEMENTATION_CALL = """
import importlib, json, runpy, sys
library, implementation, method, argument, path, *texts = sys.argv[1:]
contract = importlib.import_module(library)
instance = runpy.run_path(path, run_name="reader_import")[implementation]()
argument_class = next(v for v in vars(contract).values() if getattr(v, "__wire_name__", None) == argument)
answers = []
for text in texts:
    value = argument_class(**{n: text for n, f in argument_class.__fields__.items() if repr(f.type) == "String"})
    result = getattr(instance, method)(value)
    answers.append(repr(result))
print(json.dumps(answers))
"""


def reader_copy(path: Path, example: Example, tmp_path: Path) -> tuple[Path, str, str | None]:
    """Copy the file's example folder as a reader has it; return (the copy, the file's name there, its tutorial)."""
    for tutorial in example.tutorials:
        if path in tutorial.files:
            name = tutorial.finished.name
            copy = example_copy(example.folder, tmp_path / example.name, extra=path, name=name)
            return copy, name, tutorial.name
    return example_copy(example.folder, tmp_path / example.name), str(path.relative_to(example.folder)), None


def implementation_answers(example: Example, folder: Path, name: str, texts: list[str], label: str = "") -> list[str]:
    """What the implementation class of ``folder/name`` answers to the example's call with each text."""
    call_ = example.call
    args = [example.library, example.implementation, call_.method, call_.argument, name, *texts]
    finished = run(["-c", IMPLEMENTATION_CALL, *args], folder, example, free_port())
    assert finished.returncode == 0, (
        f"{label or name}: calling {example.implementation}().{call_.method}(...) failed "
        f"with status {finished.returncode}; its output:\n{finished.output}"
    )
    return json.loads(finished.output.splitlines()[-1])


def defines(path: Path, name: str) -> bool:
    """Whether the Python file at ``path`` defines a class ``name`` at its top level."""
    import ast

    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return False
    return any(isinstance(node, ast.ClassDef) and node.name == name for node in tree.body)


class ProgramCheck(Check):
    """Runs every Python file a page includes from an example folder."""

    name = "program"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "include" and block.path.endswith(".py") and example_of(block.path, examples) is not None

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        by_file: dict[tuple[str, str], list[Block]] = {}
        for block in blocks:
            by_file.setdefault((block.page, block.path), []).append(block)
        return [
            Item(self.name, f"{self.name}:{page}::{relative(path)}", tuple(shown))
            for (page, path), shown in by_file.items()
        ]

    def verify(self, item: Item, context: Context) -> None:
        block = item.blocks[0]
        assert block.error is None, f"{block.where}: literalinclude of {block.argument} failed: {block.error}"
        path = Path(block.path)
        assert path.is_file(), f"{block.where}: {block.argument} does not exist"
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as error:
            raise AssertionError(f"{block.where}: {block.argument} does not compile: {error}") from None
        example = example_of(path, context.examples)
        folder, name, tutorial = reader_copy(path, example, context.tmp_path)
        shown = f"{block.where}: {block.argument} (run as {name})"
        self._runs(example, folder, name, tutorial, shown, context)
        if defines(path, example.implementation):
            self._answers(example, folder, name, shown, context)

    @staticmethod
    def _runs(example: Example, folder: Path, name: str, tutorial: str | None, shown: str, context: Context) -> None:
        server = example.server
        # A reader runs the other programs with the finished server running; server steps need the port free.
        if server is None or tutorial != server.name:
            port = context.servers.port(example)
            finished = run([name], folder, example, port)
            assert finished.returncode == 0, f"{shown}: with the finished server running, {finished.describe()}"
            return
        port = free_port()
        with started([name], folder, example, port) as running:
            serving = wait_until_serving(running, label=shown)
            if serving:
                answer = call(example, port, HARNESS_TEXT)
                assert HARNESS_TEXT in example.answer_text(answer), f"{shown} answered {answer!r}"
        if serving:
            assert "Traceback" not in running.output, (
                f"{shown} printed a traceback when stopped with Ctrl-C:\n{running.output}"
            )
        else:
            assert running.process.returncode == 0, (
                f"{shown} exited with status {running.process.returncode}; its output:\n{running.output or '(none)'}"
            )

    @staticmethod
    def _answers(example: Example, folder: Path, name: str, shown: str, context: Context) -> None:
        texts = ["Hello from Python!", HARNESS_TEXT]
        got = implementation_answers(example, folder, name, texts, shown)
        finished = example.server.finished
        reference = context.tmp_path / "finished"
        copy = example_copy(example.folder, reference / example.name)
        expected = implementation_answers(example, copy, finished.name, texts)
        assert got == expected, (
            f"{shown}: {example.implementation} answers {got}, but the finished {finished.name} answers {expected}"
        )
