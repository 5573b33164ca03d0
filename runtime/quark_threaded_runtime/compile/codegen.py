"""The code generator: writes a checked contract as a Python library on the runtime's contract API.

The output is deterministic (it depends only on the contract text and the
source name it is given) and already in ``ruff format`` style. Its layout::

    module docstring (package, version, @doc texts, the source it came from)
    from quark_threaded_runtime.contract import ...   (only the names used)
    __version__ = "..."
    value classes, each after the classes its fields name
    service interfaces, in source order
    client and server adapters, in source order
"""

from __future__ import annotations

from .checks import BUILTIN_TYPES, value_order
from .model import Adapter, Contract, Interface, TypeRef, ValueClass
from .pytext import LINE_LENGTH, call, docstring, string_literal

__all__ = ["CONTRACT_MODULE", "generate"]

CONTRACT_MODULE = "quark_threaded_runtime.contract"
"""The module the generated library imports its declarations from."""

_INDENT = "    "


def generate(contract: Contract, source_name: str) -> str:
    """The Python library for ``contract``, which was read from ``source_name`` (shown in its docstring)."""
    imports: set[str] = set()
    blocks: list[list[str]] = []
    for value in value_order(contract):
        blocks.append(_value_class(value, imports))
    interfaces = [d for d in contract.declarations if isinstance(d, Interface)]
    for interface in interfaces:
        blocks.append(_interface(interface, imports))
    for adapter in (d for d in contract.declarations if isinstance(d, Adapter)):
        blocks.append(_adapter(adapter, imports))

    lines = _module_docstring(contract, source_name)
    lines.append("")
    if imports:
        lines.extend(_import(sorted(imports, key=_isort_key)))
        lines.append("")
    lines.append(f"__version__ = {string_literal(contract.version)}")
    for block in blocks:
        lines.extend(["", "", *block])
    return "\n".join(lines) + "\n"


def _module_docstring(contract: Contract, source_name: str) -> list[str]:
    paragraphs = [f"The {contract.package} contract library, version {contract.version}."]
    if contract.doc:
        paragraphs.append(contract.doc)
    paragraphs.extend(f"Namespace ``{name}``: {doc}" for name, doc in contract.namespace_docs)
    paragraphs.append(f"Generated from {source_name} by quark_threaded_runtime.compile; do not edit.")
    return docstring("\n\n".join(paragraphs) + "\n", "")


def _value_class(value: ValueClass, imports: set[str]) -> list[str]:
    imports.add("Value")
    body: list[str] = []
    for declared in value.fields:
        imports.add("field")
        arguments = [_type_expression(declared.type, imports)]
        if declared.doc:
            arguments.append(f"doc={string_literal(declared.doc)}")
        body.extend(call(f"{declared.name} = field", arguments, "", _INDENT))
    return _declared_class(value.name, "Value", value.wire_name, value.doc, body)


def _interface(interface: Interface, imports: set[str]) -> list[str]:
    imports.add("Service")
    body: list[str] = []
    for declared in interface.methods:
        imports.add("method")
        arguments = [declared.argument.name, declared.result.name]
        doc = declared.doc or ""
        if declared.argument_doc:
            doc = f"{doc}\n\n{declared.argument_name}: {declared.argument_doc}".strip()
        if doc:
            arguments.append(f"doc={string_literal(doc)}")
        body.extend(call(f"{declared.name} = method", arguments, "", _INDENT))
    return _declared_class(interface.name, "Service", interface.wire_name, interface.doc, body)


def _declared_class(name: str, base: str, wire_name: str, doc: str | None, body: list[str]) -> list[str]:
    # Value classes and interfaces alike: `class Name(Base, name="wire.Name"):`, docstring, members.
    return call(f"class {name}", [base, f"name={string_literal(wire_name)}"], ":", "") + _class_body(doc, body)


def _adapter(adapter: Adapter, imports: set[str]) -> list[str]:
    if adapter.role == "client":
        imports.add("Client")
        bases = ["Client", adapter.service]
    else:
        imports.add("Server")
        bases = [f"Server[{adapter.service}]"]
    return call(f"class {adapter.name}", bases, ":", "") + _class_body(adapter.doc, [])


def _class_body(doc: str | None, statements: list[str]) -> list[str]:
    lines = docstring(doc, _INDENT) if doc else []
    if lines and statements:
        lines.append("")
    lines.extend(statements)
    return lines or [f"{_INDENT}pass"]


def _type_expression(type_ref: TypeRef, imports: set[str]) -> str:
    if type_ref.name == "List":
        imports.add("List")
        return f"List({_type_expression(type_ref.arguments[0], imports)})"
    if type_ref.name == "Map":
        imports.add("Map")
        return f"Map({_type_expression(type_ref.arguments[1], imports)})"
    if type_ref.name in BUILTIN_TYPES:
        python_name = BUILTIN_TYPES[type_ref.name]
        imports.add(python_name)
        return python_name
    return type_ref.name


def _isort_key(name: str) -> tuple[int, str]:
    # isort's order-by-type: CONSTANTS, then Classes, then functions.
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def _import(names: list[str]) -> list[str]:
    line = f"from {CONTRACT_MODULE} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"from {CONTRACT_MODULE} import (", *(f"{_INDENT}{name}," for name in names), ")"]
