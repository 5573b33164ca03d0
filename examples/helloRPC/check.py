"""Check your file against a part of the tutorial, as the tutorial's own tests check its files.

Run it with the virtual environment active, from any folder::

    python check.py server 2                 # your pyserver.py against Part 2 of the server
    python check.py client 3 my_client.py    # my_client.py against Part 3 of the client

The file shown at the end of each part (its *checkpoint*, in ``steps/``; for
the last part the finished ``pyserver.py`` or ``pyclient.py``) is run beside
yours, and what the two do is compared, not their text:

* a server file imports, and its ``HelloImpl`` answers a ``hello.Request``
  as the checkpoint's does;
* a file that serves starts, answers the real client as the checkpoint does,
  and stops on Ctrl-C with status 0 and no traceback;
* each file prints what its checkpoint prints; a client runs against a
  server this program starts.

Your file runs unmodified, in its own folder, with ``QUARK_RUNTIME_REMAP``
moving ``127.0.0.1:8910`` to a free port, and every wait is bounded.

When all holds it prints one line and exits with status 0. Otherwise it
prints one line per difference, naming the line of your file where it can,
then a diff against the checkpoint that leaves out blank lines, comments and
docstrings, and exits with status 1. Status 2 means the command was wrong.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import io
import json
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import tokenize
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

EXAMPLE = Path(__file__).resolve().parent
STEPS = EXAMPLE / "steps"
STEP_NAME = re.compile(r"(?P<tutorial>[a-z]+)_(?P<part>\d+)_\w+\.py")

LIBRARY = "hello"
"""The contract library the programs import."""
SERVICE, SERVER_ADAPTER, CLIENT_ADAPTER = "Hello", "HelloServer", "HelloClient"
IMPLEMENTATION = "HelloImpl"
"""The class the server's parts define to answer calls."""
ADDRESS = "127.0.0.1:8910"
"""The address the programs serve and call, as the pages write it."""
SERVICE_URL = f"http://{ADDRESS}/hello"

TEXTS = ("Hello from Python!", "Hi from check.py")
"""The texts sent to a server: the page's, and one of ours, so an answer that ignores the request differs."""
CLIENT_ARGUMENTS = ((), ("Good morning",))
"""The command lines a client runs with, as the running page shows them."""
DEFAULT_TEXT, RESPONSE_LABEL = "Hello from Python!", "Response: "
"""What the finished client sends without an argument, and what it prints before the server's answer."""

RUN_TIMEOUT = 10.0
"""Seconds a program may take to end, or to start serving."""
LISTEN_TIMEOUT = 2.0
"""Seconds a server may take to listen after printing its first line."""
STOP_TIMEOUT = 5.0
"""Seconds a server may take to end after Ctrl-C, before it is killed."""
MARK = "check.py:"
"""Starts the line on which the probe reports what the implementation answered."""

PROBE = """
import importlib, json, runpy, sys
from quark_threaded_runtime import get_runtime
mark, library, adapter, implementation, path, *texts = sys.argv[1:]
# The file first, so that an error in its own imports names its own line.
namespace = runpy.run_path(path, run_name="checked")
if implementation not in namespace:
    print(mark, json.dumps({"missing": implementation}))
    raise SystemExit
contract = importlib.import_module(library)
# What the runtime does with a call: the adapter checks the methods and the result's class.
runtime = get_runtime()
sys.excepthook = sys.__excepthook__  # the probe reads a traceback: it names the line of the file
server = getattr(contract, adapter)(runtime, namespace[implementation]())
answers = {}
for name, declared in server.service.__methods__.items():
    texts_of = [f for f, d in declared.argument.__fields__.items() if repr(d.type) == "String"]
    arguments = [declared.argument(**dict.fromkeys(texts_of, text)) for text in texts]
    answers[name] = [repr(server.invoke(name, argument)) for argument in arguments]
print(mark, json.dumps({"answers": answers}))
"""
"""Imports a file (not as a program) and calls its implementation the way the server does."""

SERVE = """
import importlib, runpy, sys
from quark_threaded_runtime import get_runtime
library, adapter, implementation, path, url = sys.argv[1:]
runtime = get_runtime()
served = runpy.run_path(path, run_name="checkpoint")[implementation]()
runtime.serveHTTP(url, getattr(importlib.import_module(library), adapter)(runtime, served))
"""
"""The server the contract implies: a checkpoint's implementation, served at the pages' address."""


class CheckError(Exception):
    """The check cannot be made; the message says why."""


class UsageError(CheckError):
    """The command line names no part or file that exists."""


class CheckpointError(CheckError):
    """A checkpoint does not behave as its part says here, so nothing can be compared with it."""


# The tutorial's parts


def step_files(tutorial: str | None = None) -> list[Path]:
    """The step files (of one tutorial), in part order."""
    found = [(m["tutorial"], int(m["part"]), p) for p in STEPS.glob("*.py") if (m := STEP_NAME.fullmatch(p.name))]
    return [path for name, _, path in sorted(found) if tutorial in (None, name)]


def tutorials() -> list[str]:
    """The tutorials' names, from the step files' names (``client``, ``server``)."""
    return sorted({STEP_NAME.fullmatch(path.name)["tutorial"] for path in step_files()})


def finished_file(tutorial: str) -> Path:
    """The finished file of a tutorial, its last part (``pyserver.py``)."""
    return EXAMPLE / f"py{tutorial}.py"


def defines(path: Path, name: str) -> bool:
    """Whether the Python file at ``path`` defines a class ``name`` at its top level."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return False
    return any(isinstance(node, ast.ClassDef) and node.name == name for node in tree.body)


def is_server(tutorial: str) -> bool:
    """Whether the tutorial writes a server: one of its steps defines the implementation class."""
    return any(defines(path, IMPLEMENTATION) for path in step_files(tutorial))


@dataclass(frozen=True)
class Reference:
    """What a part's file is compared with: its checkpoint, or the one before and the contract."""

    tutorial: str
    part: int
    path: Path | None
    """The checkpoint file, when there is one to compare with."""
    previous: Path | None = None
    """For the last part without its finished file: the checkpoint before it."""

    @property
    def implementation(self) -> Path | None:
        """The file whose ``HelloImpl`` the part's must answer like, if the part has one."""
        path = self.path or self.previous
        return path if path is not None and defines(path, IMPLEMENTATION) else None

    def describe(self) -> str:
        """What the file was compared with, for the report."""
        if self.path is not None:
            return relative(self.path)
        return f"{relative(self.previous)} and the contract, as no other {finished_file(self.tutorial).name} is here"


def reference_for(tutorial: str, part: int, checked: Path) -> Reference:
    """The reference for ``part`` of ``tutorial``; raises :class:`UsageError` for a part that does not exist."""
    steps = step_files(tutorial)
    count = len(steps) + 1
    if not 1 <= part <= count:
        raise UsageError(f"the {tutorial} has parts 1 to {count}, not {part}")
    if part < count:
        return Reference(tutorial, part, steps[part - 1])
    finished = finished_file(tutorial)
    # Readers write their own pyserver.py over the finished one, so it may be the file checked, or gone.
    if finished.is_file() and finished.resolve() != checked.resolve():
        return Reference(tutorial, part, finished)
    return Reference(tutorial, part, None, previous=steps[-1])


def relative(path: Path) -> str:
    """``path`` as the reader knows it: inside the example folder, or as given."""
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(EXAMPLE).as_posix()
    return str(path)


# Running programs


@dataclass(frozen=True)
class Program:
    """``python <args>``, run in ``cwd``; ``library`` is put on the import path (for the files in steps/)."""

    args: tuple[str, ...]
    cwd: Path
    library: bool = False

    def environment(self, port: int) -> dict[str, str]:
        """The reader's environment, with the pages' address moved to ``port``."""
        env = dict(os.environ, QUARK_RUNTIME_REMAP=f"{ADDRESS}=127.0.0.1:{port}", PYTHONUNBUFFERED="1")
        # Plain tracebacks, which are read back: no colours even where the reader's terminal asks for them.
        env.update(PYTHONIOENCODING="utf-8", PYTHON_COLORS="0")
        if self.library:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXAMPLE), env.get("PYTHONPATH")]))
        return env

    def with_args(self, *args: str) -> Program:
        """The same program with more arguments."""
        return Program((*self.args, *args), self.cwd, self.library)


def program_of(path: Path) -> Program:
    """How a file is run: the reader's in its folder, as they run it; a checkpoint with ``hello`` importable."""
    return Program((str(path.resolve()),), path.resolve().parent, library=path.resolve().parent == STEPS)


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Run:
    """How a program ran: ``returncode`` is ``None`` when it had to be killed."""

    returncode: int | None
    stdout: list[str]
    stderr: str
    served: bool = False
    answers: list[str] = field(default_factory=list)
    """What it answered to each of ``TEXTS``, when it served."""


def run(program: Program, port: int | None = None) -> Run:
    """Run ``program`` to its end, killing it after ``RUN_TIMEOUT`` seconds."""
    command = [sys.executable, *program.args]
    env = program.environment(port or free_port())
    try:
        done = subprocess.run(
            command, cwd=program.cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=RUN_TIMEOUT
        )
    except subprocess.TimeoutExpired as timeout:
        return Run(None, _text(timeout.stdout).splitlines(), _text(timeout.stderr))
    return Run(done.returncode, _text(done.stdout).splitlines(), _text(done.stderr))


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "replace")


def serve(program: Program, contract) -> Run:
    """Start ``program``; if it serves, call it with each of ``TEXTS``, then stop it with Ctrl-C."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, *program.args],
        cwd=program.cwd,
        env=program.environment(port),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    stdout: list[str] = []
    stderr: list[str] = []
    readers = [_collect(process.stdout, stdout), _collect(process.stderr, stderr)]
    served, answers, ended = False, [], False
    try:
        served = _wait_until_serving(process, stdout, port)
        if served:
            answers = [call(contract, port, text) for text in TEXTS]
        ended = process.poll() is not None
    finally:
        returncode = stop(process)
        for reader in readers:
            reader.join(STOP_TIMEOUT)
    lines = [line.rstrip("\n").replace(f"127.0.0.1:{port}", ADDRESS) for line in stdout]
    # One that neither served nor ended by itself was stopped: it did not end.
    return Run(returncode if served or ended else None, lines, "".join(stderr), served, answers)


def _collect(stream, lines: list[str]) -> threading.Thread:
    reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
    reader.start()
    return reader


def _wait_until_serving(process: subprocess.Popen, stdout: list[str], port: int) -> bool:
    """Whether it serves (has printed a line and listens on ``port``) before it ends or time runs out."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if stdout:
            # The runtime prints once it listens: one that printed and does not listen listens elsewhere.
            deadline = min(deadline, time.monotonic() + LISTEN_TIMEOUT)
            if listening(port):
                return True
        time.sleep(0.05)
    return False


def listening(port: int) -> bool:
    """Whether something accepts connections on ``port``."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def stop(process: subprocess.Popen) -> int | None:
    """Stop ``process`` as a reader does, with Ctrl-C; kill it if it is still running after ``STOP_TIMEOUT``.

    Returns its exit status, or ``None`` if it had to be killed.
    """
    if process.poll() is None:
        # Windows has no Ctrl-C to send to another console's program; the runtime stops on SIGTERM too.
        process.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
    try:
        return process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)
        return None


def call(contract, port: int, text: str) -> str:
    """What the server on ``port`` answers the real client's calls carrying ``text`` (``error: ...`` if one fails)."""
    from quark_threaded_runtime import RPCError, get_runtime

    answers = []
    with getattr(contract, CLIENT_ADAPTER)(get_runtime(), f"http://127.0.0.1:{port}/hello") as client:
        for name, declared in getattr(contract, SERVICE).__methods__.items():
            try:
                answers.append(repr(getattr(client, name)(argument(declared, text))))
            except RPCError as error:
                answers.append(f"error: {error}")
    return "; ".join(answers)


def argument(declared, text: str):
    """The argument of a declared method, its text fields set to ``text`` (``hello.Request(text=text)``)."""
    texts = [name for name, known in declared.argument.__fields__.items() if repr(known.type) == "String"]
    return declared.argument(**dict.fromkeys(texts, text))


@dataclass
class Probe:
    """What importing a file and calling its implementation gave."""

    run: Run
    answers: dict[str, list[str]] | None = None
    missing: str | None = None


def probe(program: Program) -> Probe:
    """Import the file of ``program`` (not as a program) and call its implementation with each of ``TEXTS``."""
    path = program.args[0]
    args = ("-c", PROBE, MARK, LIBRARY, SERVER_ADAPTER, IMPLEMENTATION, path, *TEXTS)
    ran = run(Program(args, program.cwd, program.library))
    found = [line.removeprefix(MARK) for line in ran.stdout if line.startswith(MARK)]
    report = json.loads(found[-1]) if ran.returncode == 0 and found else {}
    return Probe(ran, report.get("answers"), report.get("missing"))


def checkpoint_implementation(path: Path):
    """An instance of the implementation class of the checkpoint at ``path``."""
    # A checkpoint only defines things when imported, so it is imported here rather than in a process of its own.
    try:
        return runpy.run_path(str(path), run_name="checkpoint")[IMPLEMENTATION]()
    except Exception as error:
        raise CheckpointError(f"{relative(path)} does not import here: {type(error).__name__}: {error}") from None


def expected_answers(path: Path, contract) -> Probe:
    """What the implementation of a checkpoint answers, called here as ``probe`` calls the checked file's."""
    from quark_threaded_runtime import get_runtime

    server = getattr(contract, SERVER_ADAPTER)(get_runtime(), checkpoint_implementation(path))
    try:
        answers = {
            name: [repr(server.invoke(name, argument(declared, text))) for text in TEXTS]
            for name, declared in server.service.__methods__.items()
        }
    except Exception as error:
        raise CheckpointError(f"{relative(path)} does not answer here: {type(error).__name__}: {error}") from None
    return Probe(Run(0, [], ""), answers)


# The reader's file, to name its lines


@dataclass(frozen=True)
class Failure:
    """An exception a traceback ends with, and the line of the checked file it went through last."""

    kind: str
    message: str
    line: int | None


RUNTIME_ERROR = "error: "
"""How the runtime's one-line report of an error that ends a program starts."""

FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)')


def tracebacks(text: str, path: Path) -> list[Failure]:
    """The exceptions of the tracebacks in ``text``, each with the last line of ``path`` it passed through."""
    failures, inside, line = [], False, None
    for row in text.splitlines():
        if not inside and row.startswith(RUNTIME_ERROR):
            # The runtime reports a contract error it ends a program on in one line, without a traceback.
            failures.append(Failure("ContractError", row[len(RUNTIME_ERROR) :], None))
        elif row.startswith("Traceback (most recent call last):"):
            inside, line = True, None
        elif inside and (frame := FRAME.match(row)):
            if Path(frame["file"]).resolve() == path.resolve():
                line = int(frame["line"])
        elif inside and row and not row.startswith(" "):
            kind, _, message = row.partition(": ")
            message = re.sub(r"\. Did you mean: .*\?$", "", message)
            failures.append(Failure(kind.rpartition(".")[2], message, line))
            inside = False
    return failures


class Source:
    """The checked file's text and syntax tree, to point at the lines behind a difference."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.error: SyntaxError | None = None
        try:
            self.tree = ast.parse(self.text, str(path))
        except SyntaxError as error:
            self.tree, self.error = ast.Module(body=[], type_ignores=[]), error

    def nodes(self, kind: type) -> list:
        """Every node of ``kind``, in the order of the file."""
        found = [node for node in ast.walk(self.tree) if isinstance(node, kind)]
        return sorted(found, key=lambda node: (node.lineno, node.col_offset))

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node``."""
        return ast.get_source_segment(self.text, node) or ""

    def attribute(self, line: int | None, name: str) -> str:
        """The expression ``something.name`` on ``line`` (``.name`` if it is not found there)."""
        for node in self.nodes(ast.Attribute):
            if node.attr == name and node.lineno == line:
                return self.segment(node)
        return f".{name}"

    def methods(self, class_name: str) -> list[ast.FunctionDef]:
        """The methods of the top-level class ``class_name``."""
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and node.name == class_name:
                return [item for item in node.body if isinstance(item, ast.FunctionDef)]
        return []

    def class_line(self, name: str) -> int | None:
        """The line of ``class name``."""
        return next((n.lineno for n in self.tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)

    def method(self, class_name: str, name: str) -> ast.FunctionDef | None:
        """The method ``name`` of ``class_name``."""
        return next((item for item in self.methods(class_name) if item.name == name), None)

    def print_lines(self) -> list[int]:
        """The lines of the file's ``print(...)`` calls, in order."""
        calls = self.nodes(ast.Call)
        return [node.lineno for node in calls if isinstance(node.func, ast.Name) and node.func.id == "print"]

    def class_given(self) -> tuple[int, str, str] | None:
        """Where the file hands a class, not an instance, to a server adapter: (line, code, class name)."""
        classes = {node.name for node in self.tree.body if isinstance(node, ast.ClassDef)}
        names = {}
        for node in self.nodes(ast.Assign):
            if isinstance(node.value, ast.Name) and node.value.id in classes:
                names.update({target.id: node for target in node.targets if isinstance(target, ast.Name)})
        for node in self.nodes(ast.Call):
            if not (self.segment(node.func).endswith(SERVER_ADAPTER) and len(node.args) == 2):
                continue
            given = node.args[1]
            if isinstance(given, ast.Name) and given.id in classes:
                return node.lineno, self.segment(node), given.id
            if isinstance(given, ast.Name) and given.id in names:
                assigned = names[given.id]
                return assigned.lineno, self.segment(assigned), assigned.value.id
        return None


# Differences, in the reader's words


class Differences:
    """The differences found, one line each, in order, each once."""

    def __init__(self, source: Source, contract) -> None:
        self.source = source
        self.contract = contract
        self.lines: list[str] = []

    def add(self, message: str, line: int | None = None) -> None:
        """Note a difference, at ``line`` of the checked file if known."""
        text = f"line {line}: {message}" if line else message
        if text not in self.lines:
            self.lines.append(text)

    def explain(self, text: str) -> int:
        """Note the exceptions of the tracebacks in ``text``; return how many there were."""
        failures = tracebacks(text, self.source.path)
        for failure in failures:
            self.add(*explain(failure, self.source, self.contract))
        return len(failures)


def explain(failure: Failure, source: Source, contract) -> tuple[str, int | None]:
    """What ``failure`` means, in the tutorial's words, and the line of the file it is about."""
    explainers = (_missing_field, _missing_name, _missing_method, _returned, _class_given, _no_library, _interrupted)
    for explainer in explainers:
        found = explainer(failure, source, contract)
        if found is not None:
            return found
    return f"{failure.kind}: {failure.message}".rstrip(": "), failure.line


def _value_classes(contract) -> dict[str, type]:
    from quark_threaded_runtime import Value

    return {
        name: value
        for name, value in vars(contract).items()
        if isinstance(value, type) and issubclass(value, Value) and value is not Value
    }


def _missing_field(failure: Failure, source: Source, contract):
    """``request.txt``: read (AttributeError) or set (the runtime's FieldTypeError) on a value class."""
    read = re.match(r"'(\w+)' object has no attribute '(\w+)'", failure.message)
    written = re.match(r"([\w.]+) has no field '(\w+)'", failure.message)
    # Reading names the field in the runtime's words (``hello.Request has no field 'txt'``), as writing does.
    if failure.kind not in ("AttributeError", "FieldTypeError") or not (read or written):
        return None
    owner, name = (read or written).groups()
    value = next((v for v in _value_classes(contract).values() if owner in (v.__name__, v.__wire_name__)), None)
    if value is None:
        return None
    fields = [f"`{known}`" for known in value.__fields__]
    known = f"its field is {fields[0]}" if len(fields) == 1 else f"its fields are {', '.join(fields)}"
    code = source.attribute(failure.line, name)
    return f"`{code}`: a `{value.__wire_name__}` has no field `{name}`; {known}", failure.line


def _missing_name(failure: Failure, source: Source, contract):
    """``hello.Responce``: a name the contract library does not declare."""
    found = re.match(rf"module '{LIBRARY}' has no attribute '(\w+)'", failure.message)
    if failure.kind != "AttributeError" or not found:
        return None
    declared = [
        name for name, value in vars(contract).items() if isinstance(value, type) and value.__module__ == LIBRARY
    ]
    names = ", ".join(f"`{name}`" for name in declared)
    code = source.attribute(failure.line, found[1])
    return f"`{code}`: the contract library `{LIBRARY}` has no `{found[1]}`; it declares {names}", failure.line


def _missing_method(failure: Failure, source: Source, contract):
    """The implementation lacks a method the interface declares (the runtime's ContractError)."""
    found = re.match(r"(\w+) does not implement ([\w, ]+), declared by", failure.message)
    if failure.kind != "ContractError" or not found:
        return None
    implementation, missing = found[1], found[2].split(", ")[0]
    declared = getattr(contract, SERVICE).__methods__[missing]
    argument = declared.argument.__name__
    signature = f"{declared.result.__name__} {missing}({argument} {argument.lower()})"
    others = [method for method in source.methods(implementation) if not method.name.startswith("__")]
    has = ", ".join(f"`{method.name}`" for method in others) or "no methods"
    line = others[0].lineno if others else source.class_line(implementation) or failure.line
    return f"`{implementation}` has no method `{missing}` (it has {has}): the interface declares `{signature}`", line


def _returned(failure: Failure, source: Source, contract):
    """The implementation's method returned something other than the declared result (the runtime's ResultTypeError)."""
    found = re.match(r"(\w+)\.(\w+) returned (.+), expected a ([\w.]+)$", failure.message)
    if failure.kind not in ("ContractError", "ResultTypeError") or not found:
        return None
    implementation, name, what, expected = found.groups()
    method = source.method(implementation, name)
    built = _result_name(method, expected)
    must = f"it must `return {built}`" if built else f"it must return a `{expected}`"
    if what == "None":
        return f"`{name}` returns nothing (`None`); {must}", method.lineno if method else failure.line
    # The runtime describes the value as "a str ('...')" or "a hello.Request": keep the type.
    kind = re.match(r"an? ([\w.]+)", what)
    shown = kind[1] if kind else what
    shown = f"`{shown}`" if "." in shown else shown
    returns = [node for node in ast.walk(method) if isinstance(node, ast.Return)] if method else []
    line = max(node.lineno for node in returns) if returns else (method.lineno if method else failure.line)
    return f"`{name}` returns a {shown}, not a `{expected}`; {must}", line


def _result_name(method: ast.FunctionDef | None, wire_name: str) -> str | None:
    """The variable ``method`` binds to a new ``hello.Response`` (for a wire name ``hello.Response``)."""
    class_name = wire_name.rpartition(".")[2]
    for node in ast.walk(method) if method else ():
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == class_name and isinstance(node.targets[0], ast.Name):
                return node.targets[0].id
    return None


def _class_given(failure: Failure, source: Source, contract):
    """The server adapter was given the class: the runtime refuses it (or, from an older one, a call lacks self)."""
    refused = failure.kind == "ContractError" and "takes an instance of your implementation, not the class" in (
        failure.message
    )
    lacks_self = failure.kind == "TypeError" and "missing 1 required positional argument" in failure.message
    if not (refused or lacks_self):
        return None
    given = source.class_given()
    if given is None:
        return None
    line, code, name = given
    return f"`{code}` passes the class; pass an instance: `{name}()`", line


def _no_library(failure: Failure, source: Source, contract):
    """``import hello`` finds no contract library next to the file."""
    if failure.kind != "ModuleNotFoundError" or failure.message != f"No module named '{LIBRARY}'":
        return None
    return (
        f"`import {LIBRARY}` finds no {LIBRARY}.py: put your file in {EXAMPLE.name}, next to {LIBRARY}.py",
        failure.line,
    )


def _interrupted(failure: Failure, source: Source, contract):
    if failure.kind != "KeyboardInterrupt":
        return None
    return "Ctrl-C ends it with a traceback; the page's file stops quietly", failure.line


# Comparing what the programs did


def compare_probe(got: Probe, expected: Probe, differences: Differences) -> None:
    """The implementation must exist and answer as the reference's does."""
    if got.missing:
        classes = [node for node in differences.source.tree.body if isinstance(node, ast.ClassDef)]
        has = f" (it defines {', '.join(f'`{node.name}`' for node in classes)})" if classes else ""
        line = classes[0].lineno if classes else None
        differences.add(f"your file defines no class `{got.missing}`{has}; the page's file at this part does", line)
        return
    if got.answers is None:
        if differences.explain(got.run.stderr):
            return
        if got.run.returncode is None:
            hint = 'does it call `main()` outside `if __name__ == "__main__":`?'
            differences.add(f"importing it does not finish within {RUN_TIMEOUT:.0f} s; {hint}")
        else:
            said = got.run.stderr.strip().splitlines()[-1:] or ["nothing on stderr"]
            differences.add(f"importing it fails with status {got.run.returncode} ({said[0]})")
        return
    for name, answers in expected.answers.items():
        for text, answer, wanted in zip(TEXTS, got.answers.get(name, []), answers, strict=False):
            if answer != wanted:
                call = f"`{IMPLEMENTATION}().{name}(...)` with the text {text!r}"
                differences.add(f"{call} answers {answer}; the page's answers {wanted}")


def compare_output(got: list[str], expected: list[str], differences: Differences, prefix: str = "") -> None:
    """Printed lines: each line that differs, with the ``print`` behind it where the file's prints line up."""
    prints = differences.source.print_lines()
    at = (lambda index: prints[index]) if len(prints) == len(got) else (lambda index: None)
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for offset in range(max(i2 - i1, j2 - j1)):
            shown = expected[i1 + offset] if i1 + offset < i2 else None
            printed = got[j1 + offset] if j1 + offset < j2 else None
            if printed is None:
                differences.add(f"{prefix}does not print `{shown}`, which the page shows")
            elif shown is None:
                differences.add(f"{prefix}prints `{printed}`, which the page does not show", at(j1 + offset))
            else:
                differences.add(f"{prefix}prints `{printed}`; the page shows `{shown}`", at(j1 + offset))


def compare_ending(got: Run, expected: Run, differences: Differences, prefix: str = "") -> None:
    """How a program that should end ended: in time, with the same status, and what it printed."""
    explained = differences.explain(got.stderr)
    if got.served and not expected.served:
        differences.add(f"{prefix}it starts serving; the page's file at this part ends at once without serving")
    elif got.returncode is None:
        differences.add(f"{prefix}it does not end within {RUN_TIMEOUT:.0f} s; the page's file ends at once")
    elif got.returncode != expected.returncode and not explained:
        said = got.stderr.strip().splitlines()[-1:] or ["nothing on stderr"]
        differences.add(
            f"{prefix}it exits with status {got.returncode} ({said[0]}); the page's file with {expected.returncode}"
        )
    if not explained:
        compare_output(got.stdout, expected.stdout, differences, prefix)


def compare_serving(got: Run, expected: Run, differences: Differences) -> None:
    """A program that should serve: it serves, answers as the reference does, prints the same, stops cleanly."""
    explained = differences.explain(got.stderr)
    if not got.served:
        if explained:
            return
        if got.returncode is not None:
            how = f"ends (status {got.returncode}) without serving {SERVICE_URL}"
        elif got.stdout:
            how = f"prints `{got.stdout[0]}` but does not serve {SERVICE_URL}"
        else:
            how = f"neither serves {SERVICE_URL} nor ends within {RUN_TIMEOUT:.0f} s"
        differences.add(f"it {how}; the page's file serves there until Ctrl-C")
        return
    for text, answer, wanted in zip(TEXTS, got.answers, expected.answers, strict=True):
        # A call that failed with a traceback in the server's log is already explained by it.
        if answer != wanted and not (explained and answer.startswith("error:")):
            differences.add(
                f"the client's call with the text {text!r} gets {answer}; the page's server answers {wanted}"
            )
    compare_output(got.stdout, expected.stdout, differences)
    if got.returncode is None:
        differences.add(f"Ctrl-C does not stop it within {STOP_TIMEOUT:.0f} s; the page's file stops at once")
    elif got.returncode != expected.returncode and not explained:
        differences.add(
            f"after Ctrl-C it exits with status {got.returncode}; the page's file with {expected.returncode}"
        )


# The two kinds of tutorial


def check_server(checked: Path, reference: Reference, contract, differences: Differences) -> None:
    """Probe and run the checked file and the reference side by side, and compare."""
    if reference.path is not None:
        expected_program = program_of(reference.path)
    else:
        args = ("-c", SERVE, LIBRARY, SERVER_ADAPTER, IMPLEMENTATION, str(reference.previous), SERVICE_URL)
        expected_program = Program(args, EXAMPLE)
    implementation = reference.implementation
    with ThreadPoolExecutor(3) as pool:
        probed = pool.submit(probe, program_of(checked)) if implementation else None
        runs = [pool.submit(serve, program_of(checked), contract), pool.submit(serve, expected_program, contract)]
        if probed:
            compare_probe(probed.result(), expected_answers(implementation, contract), differences)
        got, expected = (future.result() for future in runs)
    _working(expected, reference)
    if expected.served:
        compare_serving(got, expected, differences)
    else:
        compare_ending(got, expected, differences)


def check_client(checked: Path, reference: Reference, contract, differences: Differences) -> None:
    """Run the checked file and the reference against one server, with each command line, and compare."""
    from quark_threaded_runtime import get_runtime

    runtime = get_runtime()
    server_step = [path for path in step_files() if defines(path, IMPLEMENTATION)][-1]
    implementation = checkpoint_implementation(server_step)
    server = getattr(contract, SERVER_ADAPTER)(runtime, implementation)
    port = urlsplit(runtime.serveHTTP("http://127.0.0.1:0/hello", server, block=False)).port
    try:
        with ThreadPoolExecutor(4) as pool:
            got = [pool.submit(run, program_of(checked).with_args(*args), port) for args in CLIENT_ARGUMENTS]
            base = program_of(reference.path or reference.previous)
            expected = [pool.submit(run, base.with_args(*args), port) for args in CLIENT_ARGUMENTS]
            pairs = [(g.result(), _working(e.result(), reference)) for g, e in zip(got, expected, strict=True)]
    finally:
        runtime.stop()
    for args, (ran, wanted) in zip(CLIENT_ARGUMENTS, pairs, strict=True):
        if reference.path is None:
            # The last part adds the server's answer, after the label the page shows.
            text = args[0] if args else DEFAULT_TEXT
            answer = implementation.hello(contract.Request(text=text)).result
            wanted = Run(0, [*wanted.stdout, f"{RESPONSE_LABEL}{answer}"], "")
        before = len(differences.lines)
        prefix = f"with the argument `{args[0]}`: " if args else ""
        compare_ending(ran, wanted, differences, prefix)
        if len(differences.lines) > before:
            break


def _working(ran: Run, reference: Reference) -> Run:
    """``ran``, a run of the reference; raises :class:`CheckpointError` if it failed."""
    if ran.returncode is None or (ran.returncode != 0 and not ran.served):
        said = ran.stderr.strip().splitlines()[-1:] or [f"status {ran.returncode}"]
        raise CheckpointError(f"{reference.describe()} does not run here: {said[0]}")
    failed = [answer for answer in ran.answers if answer.startswith("error:")]
    if failed:
        raise CheckpointError(f"{reference.describe()} does not answer here: {failed[0].removeprefix('error: ')}")
    return ran


# The report


def comparable_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of ``path`` that a diff compares, numbered: no blank lines, comments, docstrings or trailing spaces."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    skipped: set[int] = set()
    with contextlib.suppress(SyntaxError, ValueError):
        for node in ast.walk(ast.parse(text)):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                value = body[0].value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    skipped.update(range(body[0].lineno, body[0].end_lineno + 1))
    with contextlib.suppress(tokenize.TokenError, SyntaxError):
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                row, column = token.start
                lines[row - 1] = lines[row - 1][:column]
    return [(n, line.rstrip()) for n, line in enumerate(lines, 1) if n not in skipped and line.strip()]


def diff(reference: Path, checked: Path, checked_name: str) -> list[str]:
    """A unified diff of the comparable lines, numbered as in the files; empty when they are the same."""
    old, new = comparable_lines(reference), comparable_lines(checked)
    matcher = difflib.SequenceMatcher(None, [t for _, t in old], [t for _, t in new], autojunk=False)
    shown = [f"--- {relative(reference)} (the page's)", f"+++ {checked_name} (yours)"]
    for group in matcher.get_grouped_opcodes(1):
        (_, i1, _, j1, _), (_, _, i2, _, j2) = group[0], group[-1]
        shown.append(f"@@ -{_number(old, i1)},{i2 - i1} +{_number(new, j1)},{j2 - j1} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                shown += [f" {t}" for _, t in old[a1:a2]]
            else:
                shown += [f"-{t}" for _, t in old[a1:a2]] + [f"+{t}" for _, t in new[b1:b2]]
    return shown if len(shown) > 2 else []


def _number(lines: list[tuple[int, str]], index: int) -> int:
    if index < len(lines):
        return lines[index][0]
    return lines[-1][0] + 1 if lines else 1


# The command


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line: a tutorial, a part, and optionally the file to check."""
    names = tutorials()
    parser = argparse.ArgumentParser(
        prog="check.py",
        description="Check your file against a part of the tutorial: run it beside the part's checkpoint "
        "and compare what the two do.",
        epilog="Exit status: 0 when your file behaves as the page shows, 1 when it differs, 2 for a wrong command.",
    )
    parser.add_argument("tutorial", choices=names, help="which tutorial: " + ", ".join(names))
    parser.add_argument("part", type=int, help="the part you have just finished (1, 2, ...)")
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="the file to check (default: pyserver.py or pyclient.py in this example's folder)",
    )
    args = parser.parse_args(argv)
    # Named as the reader gave it; the default as the reader knows it.
    args.name = str(args.file or finished_file(args.tutorial).name)
    args.file = args.file or finished_file(args.tutorial)
    try:
        if not args.file.is_file():
            raise UsageError(f"{args.name}: no such file")
        args.reference = reference_for(args.tutorial, args.part, args.file)
    except UsageError as error:
        parser.error(str(error))
    return args


def load_contract():
    """The contract library, ``hello``; exits with one line when the runtime it needs is not installed."""
    # Imported here, after the command line, so that --help works without the runtime.
    try:
        import hello
    except ModuleNotFoundError as error:
        if error.name != "quark_threaded_runtime":
            raise
        sys.exit(
            f"error: the runtime (quark_threaded_runtime) is not installed in this Python ({sys.executable}); "
            "activate the virtual environment first, `source .venv/bin/activate`, and run check.py again"
        )
    return hello


def restore_interrupt() -> None:
    """Give Ctrl-C back to the servers started here, if this program was started with it ignored."""
    # An ignored signal stays ignored across exec (a shell's `&` ignores it); a handled one is reset.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    """Check the file the command line names; print the report; return the exit status."""
    args = parse_args(argv)
    contract = load_contract()
    restore_interrupt()
    checked, reference = args.file.resolve(), args.reference
    source = Source(checked)
    differences = Differences(source, contract)
    if source.error is not None:
        differences.add(f"Python cannot read it: {source.error.msg}", source.error.lineno)
    else:
        check = check_server if is_server(reference.tutorial) else check_client
        try:
            check(checked, reference, contract, differences)
        except CheckpointError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    name = args.name
    part = f"Part {reference.part} of the {reference.tutorial}"
    if not differences.lines:
        print(f"{name} behaves as {part} shows (compared with {reference.describe()}).")
        return 0
    print("\n".join(differences.lines))
    if reference.path is not None:
        print("\n".join(diff(reference.path, checked, name)))
    else:
        print(f"(compared with {reference.describe()}: no file to show a diff against)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
