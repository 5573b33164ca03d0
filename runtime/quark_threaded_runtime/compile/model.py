"""The parsed contract: plain data the parser builds and the checks and code generator read.

Every declaration keeps the position of its name, so that a check can say
exactly where the problem is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Position

__all__ = ["Adapter", "Contract", "Declaration", "FieldDecl", "Interface", "MethodDecl", "TypeRef", "ValueClass"]


@dataclass
class TypeRef:
    """A type as written: ``String``, ``List<Request>``, ``Map<String,int>`` or a class name."""

    name: str
    position: Position
    arguments: list[TypeRef] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.arguments:
            return self.name
        return f"{self.name}<{','.join(str(argument) for argument in self.arguments)}>"


@dataclass
class FieldDecl:
    """A field of a value class: ``String text;``."""

    name: str
    position: Position
    type: TypeRef
    doc: str | None = None


@dataclass
class ValueClass:
    """A value class: ``class Request { String text; }``; ``wire_name`` is what ``$class`` carries."""

    name: str
    position: Position
    wire_name: str
    fields: list[FieldDecl] = field(default_factory=list)
    doc: str | None = None


@dataclass
class MethodDecl:
    """A service method: ``Response hello(Request request);``."""

    name: str
    position: Position
    result: TypeRef
    argument: TypeRef
    argument_name: str
    doc: str | None = None
    argument_doc: str | None = None


@dataclass
class Interface:
    """A service interface: ``interface Hello extends Service { ... }``."""

    name: str
    position: Position
    wire_name: str
    methods: list[MethodDecl] = field(default_factory=list)
    doc: str | None = None


@dataclass
class Adapter:
    """A client (``extends Client, Hello``) or server (``extends Server<Hello>``) adapter."""

    name: str
    position: Position
    role: str  # "client" or "server"
    service: str
    service_position: Position
    doc: str | None = None


Declaration = ValueClass | Interface | Adapter


@dataclass
class Contract:
    """A whole contract file: its package, version, docs and declarations in source order."""

    file: str
    package: str
    version: str
    doc: str | None = None
    namespace_docs: list[tuple[str, str]] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
