"""The examples the pages teach, found as data: every folder ``examples/*/`` with a contract.

An example is a folder that holds a contract (``<name>.q``) and its contract
library (``<name>.py``). What the harness needs to know about it is read,
never written down here:

* its service, methods, value classes and fields, from the contract library
  (imported by path, under a name of its own);
* its tutorials, from the step files' names (:mod:`docs_harness.tutorials`);
* the address its programs serve and call (``http://host:port/path``), from
  the finished server's source;
* the class its server steps define, from the finished server's source: the
  class whose instance it hands to the server adapter.

Another example is another folder; no harness code changes.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import REPO_ROOT
from .tutorials import Tutorial, find_tutorials

URL = re.compile(r"^http://(?P<address>[^/:]+:\d+)(?P<path>/[^\s]*)$")


class ExampleError(LookupError):
    """An example folder the harness cannot read; the message names the folder and what is missing."""


@dataclass(frozen=True)
class Call:
    """A service method as the contract declares it: name, argument and result with their fields."""

    method: str
    argument: str
    """The argument's wire name, e.g. ``hello.Request``."""
    argument_fields: tuple[tuple[str, str], ...]
    """The argument's fields and their type names."""
    result: str
    result_fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Example:
    """One example folder, as the harness reads it."""

    folder: Path
    library: str
    """The contract library's module name (``hello``)."""
    service: str
    """The service's wire name (``hello.Hello``)."""
    calls: tuple[Call, ...]
    """Every method the service declares."""
    tutorials: tuple[Tutorial, ...]
    address: str
    """The ``host:port`` the programs serve and call, as the pages write it."""
    path: str
    """The service's URL path."""
    implementation: str
    """The class a server step defines to answer calls (``HelloImpl``)."""
    server_tutorial: str
    """The name of the tutorial whose finished file serves (``server``)."""

    @property
    def name(self) -> str:
        """The folder's name (``helloRPC``)."""
        return self.folder.name

    @property
    def call(self) -> Call:
        """The method a check calls: the first the service declares."""
        return self.calls[0]

    @property
    def server(self) -> Tutorial:
        """The tutorial whose finished file serves."""
        return self.tutorial(self.server_tutorial)

    def call_body(self, text: str) -> bytes:
        """The JSON envelope of a call of :attr:`call` whose string fields all carry ``text``."""
        argument = {"$class": self.call.argument}
        argument.update({name: text for name, kind in self.call.argument_fields if kind == "String"})
        return json.dumps({"$method": self.call.method, "rpc": argument}).encode()

    def answer_text(self, answer: dict) -> str:
        """The string fields of a decoded answer, joined, or ``""`` if it is not the declared result."""
        if not isinstance(answer, dict) or answer.get("$class") != self.call.result:
            return ""
        return " ".join(str(answer.get(name, "")) for name, kind in self.call.result_fields if kind == "String")

    def tutorial(self, name: str) -> Tutorial | None:
        """The tutorial called ``name``."""
        return next((t for t in self.tutorials if t.name == name), None)


def _serves(path: Path) -> bool:
    return ".serveHTTP(" in path.read_text(encoding="utf-8")


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _implementation(path: Path, methods: set[str]) -> str:
    """The class of ``path`` that defines the service's methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            defined = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
            if methods <= defined:
                return node.name
    raise ExampleError(f"{path}: no class defines the service's methods {sorted(methods)}")


def read_library(path: Path):
    """Import the contract library at ``path`` under a module name of its own; return the module."""
    name = f"_docs_harness_library_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def adapters(module) -> tuple[type, type]:
    """The client and server adapter classes a contract library declares."""
    from quark_threaded_runtime.contract import Client, Server

    own = [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__]
    return (
        next(v for v in own if issubclass(v, Client) and v is not Client),
        next(v for v in own if issubclass(v, Server) and v is not Server),
    )


def value_class(module, wire_name: str) -> type:
    """The value class of a contract library with the given wire name."""
    return next(v for v in vars(module).values() if getattr(v, "__wire_name__", None) == wire_name)


def _service(module, where: Path):
    from quark_threaded_runtime.contract import Client, Server, Service

    services = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Service)
        and value is not Service
        and not issubclass(value, (Client, Server))
        and value.__module__ == module.__name__
    ]
    if len(services) != 1:
        raise ExampleError(f"{where}: expected one service interface, found {[s.__name__ for s in services]}")
    return services[0]


def _fields(value_class) -> tuple[tuple[str, str], ...]:
    return tuple((name, repr(declared.type)) for name, declared in value_class.__fields__.items())


def read_example(folder: Path) -> Example:
    """Read the example in ``folder``; :class:`ExampleError` names what is missing."""
    contracts = sorted(folder.glob("*.q"))
    if len(contracts) != 1:
        raise ExampleError(f"{folder}: an example holds one contract (*.q), found {[c.name for c in contracts]}")
    library_path = contracts[0].with_suffix(".py")
    if not library_path.is_file():
        raise ExampleError(f"{folder}: the contract library {library_path.name} is missing (run build.sh)")
    service = _service(read_library(library_path), library_path)
    calls = tuple(
        Call(name, m.argument.__wire_name__, _fields(m.argument), m.result.__wire_name__, _fields(m.result))
        for name, m in service.__methods__.items()
    )
    tutorials = tuple(find_tutorials(folder))
    servers = [t for t in tutorials if _serves(t.finished)]
    if len(servers) != 1:
        raise ExampleError(f"{folder}: expected one tutorial whose finished file serves, found {len(servers)}")
    finished = servers[0].finished
    urls = [match for text in _strings(finished) if (match := URL.match(text))]
    if not urls:
        raise ExampleError(f"{finished}: no http://host:port/path address in the finished server")
    return Example(
        folder=folder.resolve(),
        library=contracts[0].stem,
        service=service.__wire_name__,
        calls=calls,
        tutorials=tutorials,
        address=urls[0]["address"],
        path=urls[0]["path"],
        implementation=_implementation(finished, set(service.__methods__)),
        server_tutorial=servers[0].name,
    )


@functools.cache
def find_examples(root: Path = REPO_ROOT / "examples") -> tuple[Example, ...]:
    """Every example under ``root`` (a folder with a contract), in name order."""
    return tuple(read_example(folder) for folder in sorted(root.iterdir()) if any(folder.glob("*.q")))


def example_of(path: Path | str, examples: tuple[Example, ...] | None = None) -> Example | None:
    """The example whose folder holds ``path``."""
    path = Path(path).resolve()
    for example in find_examples() if examples is None else examples:
        if path.is_relative_to(example.folder):
            return example
    return None


def main_example(build, examples: tuple[Example, ...]) -> Example:
    """The example the site is about: the one whose files the most blocks of the build include.

    A page that includes no example file (the wire protocol's reference, say)
    speaks of this one.
    """
    counts = {example.folder: 0 for example in examples}
    for block in build.blocks:
        found = example_of(block.path, examples) if block.path else None
        if found is not None:
            counts[found.folder] += 1
    return max(examples, key=lambda example: (counts[example.folder], -examples.index(example)))
