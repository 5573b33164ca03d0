"""Every Python file a page includes exists, compiles and runs unmodified, as a reader runs it.

Items are named ``<page>::<file>``. A step file runs under the name the
tutorial gives it (``steps/server_2_response.py`` runs as ``pyserver.py``),
in a copy of its example folder, in a fresh interpreter with the runtime
installed; only the address it serves or calls is moved to a free port.
"""

from __future__ import annotations

import json
from pathlib import Path

from docs_harness import REPO_ROOT
from docs_harness.emphasis import tutorial_of
from docs_harness.example import HELLO
from docs_harness.programs import call_hello, example_copy, free_port, run, started, wait_until_serving
from docs_harness.running_page import page_claim

HARNESS_TEXT = "Hi from the docs harness"
"""A second request text, so an answer that ignores the request cannot pass."""


def test_included_file_exists(included_python):
    """The page's literalinclude found its file (otherwise the page shows nothing there)."""
    assert included_python is not None, "no page of the docs build includes a Python file"
    assert included_python.error is None, (
        f"{included_python.where}: literalinclude of {included_python.argument} failed: {included_python.error}"
    )
    assert Path(included_python.path).is_file(), f"{included_python.where}: {included_python.path} is gone"


def test_included_file_compiles(included_python):
    """The included file is valid Python."""
    assert included_python is not None, "no page of the docs build includes a Python file"
    path = Path(included_python.path)
    assert path.is_file(), f"{included_python.where}: {included_python.argument} does not exist"
    source = path.read_text(encoding="utf-8")
    try:
        compile(source, str(path), "exec")
    except SyntaxError as error:
        raise AssertionError(f"{included_python.where}: {included_python.argument} does not compile: {error}") from None


def _reader_copy(path: Path, tutorials, tmp_path: Path) -> tuple[Path, Path, str, str | None]:
    """Copy the file's example folder as a reader has it.

    Returns (the example folder, its copy, the file's name in the copy, its tutorial's name).
    """
    tutorial = tutorial_of(path, tutorials)
    if tutorial is not None:
        name = tutorial.finished.name
        copy = example_copy(tutorial.folder, tmp_path / tutorial.folder.name, extra=path, name=name)
        return tutorial.folder, copy, name, tutorial.name
    example = REPO_ROOT / "examples" / path.relative_to(REPO_ROOT / "examples").parts[0]
    copy = example_copy(example, tmp_path / example.name)
    return example, copy, str(path.relative_to(example)), None


def test_included_file_runs(example_program, tutorials, finished_servers, tmp_path):
    """The file runs unmodified: a step that only defines things exits 0; one that serves answers a call."""
    assert example_program is not None, "no page of the docs build includes a Python file from examples/"
    path = Path(example_program.path)
    example, folder, name, tutorial = _reader_copy(path, tutorials, tmp_path)
    shown = f"{example_program.where}: {example_program.argument} (run as {name})"
    # A reader runs the other programs with the finished server running; server steps need the port free.
    server_port = None if tutorial == HELLO.server_tutorial else finished_servers(example)
    if server_port is not None:
        finished = run([name], folder, server_port)
        assert finished.returncode == 0, f"{shown}: with the finished server running, {finished.describe()}"
        return
    port = free_port()
    with started([name], folder, port) as running:
        serving = wait_until_serving(running, label=shown)
        if serving:
            answer = call_hello(port, HARNESS_TEXT)
            assert HARNESS_TEXT in HELLO.answer_text(answer), f"{shown} answered {answer!r}"
    output = running.output
    if serving:
        assert "Traceback" not in output, f"{shown} printed a traceback when stopped with Ctrl-C:\n{output}"
    else:
        assert running.process.returncode == 0, (
            f"{shown} exited with status {running.process.returncode}; its output:\n{output or '(none)'}"
        )


HELLO_CALL = """
import importlib, json, runpy, sys
library, implementation_name, method, request_class, request_field, result_field, path, *texts = sys.argv[1:]
contract = importlib.import_module(library)
implementation = runpy.run_path(path, run_name="reader_import")[implementation_name]()
answers = []
for text in texts:
    response = getattr(implementation, method)(getattr(contract, request_class)(**{request_field: text}))
    answers.append([type(response).__name__, getattr(response, result_field, None)])
print(json.dumps(answers))
"""


def test_hello_impl_answers_as_the_page_says(hello_impl_file, tutorials, built_docs, tmp_path):
    """``HelloImpl().hello(hello.Request(text=...))`` answers what the running page shows the client print."""
    assert hello_impl_file is not None, "no page of the docs build includes a Python file that defines HelloImpl"
    claim = page_claim(built_docs)
    path = Path(hello_impl_file.path)
    _, folder, name, _ = _reader_copy(path, tutorials, tmp_path)
    texts = [claim.request, HARNESS_TEXT]
    request_class = HELLO.request_class.rpartition(".")[2]
    arguments = [HELLO.contract_module, HELLO.implementation, HELLO.method, request_class, HELLO.request_field]
    finished = run(["-c", HELLO_CALL, *arguments, HELLO.result_field, name, *texts], folder, free_port())
    assert finished.returncode == 0, f"{hello_impl_file.where}: importing {name} failed: {finished.describe()}"
    answers = json.loads(finished.output.splitlines()[-1])
    response_class = HELLO.response_class.rpartition(".")[2]
    expected = [[response_class, claim.response], [response_class, claim.response_to(HARNESS_TEXT)]]
    assert answers == expected, (
        f"{hello_impl_file.where}: {hello_impl_file.argument}'s HelloImpl answered {answers}, "
        f"but {claim.block.where} shows {expected[0]}"
    )
