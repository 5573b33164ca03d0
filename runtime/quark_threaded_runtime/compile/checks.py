"""The checks a parsed contract must pass before code is generated for it.

Names are resolved (every type and interface a declaration names must be
declared, and be the right sort of thing), names the generated Python
cannot use are refused, and value classes that contain themselves are
reported, since a class cannot name itself before it exists.
"""

from __future__ import annotations

import difflib
import keyword

from ..contract import BUILTIN_TYPES, Client, Server
from .errors import Diagnostic, Position
from .model import Adapter, Contract, Declaration, Interface, MethodDecl, TypeRef, ValueClass

__all__ = ["BUILTIN_TYPES", "RESERVED_NAMES", "check", "value_order"]

# BUILTIN_TYPES: the IDL's scalar types and the names the runtime's contract API gives them (one table, there).
RESERVED_NAMES = frozenset(
    {*BUILTIN_TYPES, *BUILTIN_TYPES.values(), "List", "Map", "Value", "Service", "Client", "Server", "field", "method"}
)
"""Names a declaration cannot take: the IDL's own types and what the generated library imports."""

# A method of this name would be shadowed by (or shadow) an attribute of the adapters.
_ADAPTER_ATTRIBUTES = frozenset(
    {name for name in (*dir(Client), *dir(Server)) if not name.startswith("_")}
    | {"runtime", "url", "implementation", "service"}
)

_TYPE_LIST = "a built-in type or a value class"


def check(contract: Contract) -> list[Diagnostic]:
    """Every problem that stops ``contract`` from compiling; an empty list if there is none."""
    diagnostics: list[Diagnostic] = []
    declared: dict[str, Declaration] = {}
    for declaration in contract.declarations:
        _check_class_name(declaration, diagnostics)
        earlier = declared.setdefault(declaration.name, declaration)
        if earlier is not declaration:
            diagnostics.append(
                Diagnostic(
                    declaration.position,
                    f"duplicate name '{declaration.name}': already declared at line {earlier.position.line}",
                )
            )
    for declaration in contract.declarations:
        if isinstance(declaration, ValueClass):
            _check_value(declaration, declared, diagnostics)
        elif isinstance(declaration, Interface):
            _check_interface(declaration, declared, diagnostics)
        else:
            _check_adapter(declaration, declared, diagnostics)
    diagnostics.extend(_cycles(declared))
    return diagnostics


def value_order(contract: Contract) -> list[ValueClass]:
    """The value classes, each after the classes its fields name, otherwise in source order."""
    values = {d.name: d for d in contract.declarations if isinstance(d, ValueClass)}
    ordered: list[ValueClass] = []
    seen: set[str] = set()

    def visit(value: ValueClass) -> None:
        if value.name in seen:
            return
        seen.add(value.name)
        for name in _named_classes(value):
            if name in values:
                visit(values[name])
        ordered.append(value)

    for value in values.values():
        visit(value)
    return ordered


def _check_class_name(declaration: Declaration, diagnostics: list[Diagnostic]) -> None:
    name = declaration.name
    if keyword.iskeyword(name):
        diagnostics.append(Diagnostic(declaration.position, f"'{name}' is a Python keyword: expected another name"))
    elif name in RESERVED_NAMES:
        diagnostics.append(
            Diagnostic(
                declaration.position,
                f"'{name}' is reserved (a built-in type or a name the library imports): expected another name",
            )
        )
    elif name.startswith("_"):
        diagnostics.append(Diagnostic(declaration.position, f"'{name}' starts with '_': expected a public name"))


def _check_member_name(
    what: str, name: str, position: Position, declared: dict[str, Declaration], diagnostics: list[Diagnostic]
) -> bool:
    if keyword.iskeyword(name):
        diagnostics.append(Diagnostic(position, f"{what} '{name}' is a Python keyword: expected another name"))
    elif name.startswith("_"):
        diagnostics.append(Diagnostic(position, f"{what} '{name}' starts with '_': expected a public name"))
    elif name in RESERVED_NAMES:
        # In the generated class body it would hide the imported name from the members after it.
        diagnostics.append(
            Diagnostic(
                position,
                f"{what} '{name}' is reserved (a built-in type or a name the library imports): expected another name",
            )
        )
    elif name in declared:
        # Likewise it would hide the class.
        diagnostics.append(
            Diagnostic(
                position, f"{what} '{name}' is the name of {_sort_of(declared[name])} '{name}': expected another name"
            )
        )
    else:
        return True
    return False


def _check_value(value: ValueClass, declared: dict[str, Declaration], diagnostics: list[Diagnostic]) -> None:
    seen: dict[str, int] = {}
    for declared_field in value.fields:
        _check_member_name("field name", declared_field.name, declared_field.position, declared, diagnostics)
        if declared_field.name in seen:
            diagnostics.append(
                Diagnostic(
                    declared_field.position,
                    f"duplicate field '{declared_field.name}' in {value.name}: "
                    f"already declared at line {seen[declared_field.name]}",
                )
            )
        seen.setdefault(declared_field.name, declared_field.position.line)
        _check_field_type(declared_field.type, declared, diagnostics)


def _check_field_type(type_ref: TypeRef, declared: dict[str, Declaration], diagnostics: list[Diagnostic]) -> None:
    if type_ref.arguments:
        for argument in type_ref.arguments:
            _check_field_type(argument, declared, diagnostics)
        return
    if type_ref.name in BUILTIN_TYPES:
        return
    target = declared.get(type_ref.name)
    if target is None:
        found = f"undefined name '{type_ref.name}'{_suggest(type_ref.name, declared)}"
    elif not isinstance(target, ValueClass):
        found = f"{_sort_of(target)} '{type_ref.name}'"
    else:
        return
    diagnostics.append(Diagnostic(type_ref.position, f"expected a field type ({_TYPE_LIST}), found {found}"))


def _check_interface(interface: Interface, declared: dict[str, Declaration], diagnostics: list[Diagnostic]) -> None:
    seen: dict[str, int] = {}
    for declared_method in interface.methods:
        name_ok = _check_member_name(
            "method name", declared_method.name, declared_method.position, declared, diagnostics
        )
        if name_ok and declared_method.name in _ADAPTER_ATTRIBUTES:
            diagnostics.append(
                Diagnostic(
                    declared_method.position,
                    f"method name '{declared_method.name}' is taken by the client and server adapters: "
                    "expected another name",
                )
            )
        if declared_method.name in seen:
            diagnostics.append(
                Diagnostic(
                    declared_method.position,
                    f"duplicate method '{declared_method.name}' in {interface.name}: "
                    f"already declared at line {seen[declared_method.name]}",
                )
            )
        seen.setdefault(declared_method.name, declared_method.position.line)
        _check_method_types(declared_method, declared, diagnostics)


def _check_method_types(method: MethodDecl, declared: dict[str, Declaration], diagnostics: list[Diagnostic]) -> None:
    for role, type_ref in (("result", method.result), ("argument", method.argument)):
        target = declared.get(type_ref.name) if not type_ref.arguments else None
        if isinstance(target, ValueClass):
            continue
        if target is None and not type_ref.arguments and type_ref.name not in BUILTIN_TYPES:
            found = f"undefined name '{type_ref.name}'{_suggest(type_ref.name, declared)}"
        elif target is None:
            found = f"'{type_ref}'"
        else:
            found = f"{_sort_of(target)} '{type_ref.name}'"
        diagnostics.append(
            Diagnostic(type_ref.position, f"expected a value class as the method's {role}, found {found}")
        )


def _check_adapter(adapter: Adapter, declared: dict[str, Declaration], diagnostics: list[Diagnostic]) -> None:
    target = declared.get(adapter.service)
    if isinstance(target, Interface):
        return
    if target is None:
        found = f"undefined name '{adapter.service}'{_suggest(adapter.service, declared)}"
    else:
        found = f"{_sort_of(target)} '{adapter.service}'"
    diagnostics.append(Diagnostic(adapter.service_position, f"expected an interface, found {found}"))


def _named_classes(value: ValueClass) -> list[str]:
    names: list[str] = []

    def walk(type_ref: TypeRef) -> None:
        if type_ref.arguments:
            for argument in type_ref.arguments:
                walk(argument)
        elif type_ref.name not in BUILTIN_TYPES:
            names.append(type_ref.name)

    for declared_field in value.fields:
        walk(declared_field.type)
    return names


def _cycles(declared: dict[str, Declaration]) -> list[Diagnostic]:
    """One diagnostic per cycle of value classes, at the first class of the cycle in source order."""
    values = {name: d for name, d in declared.items() if isinstance(d, ValueClass)}
    diagnostics: list[Diagnostic] = []
    reported: set[frozenset[str]] = set()
    for start in values.values():
        path = _path_back_to(start.name, values)
        if path is None:
            continue
        members = frozenset(path)
        if members in reported:
            continue
        reported.add(members)
        loop = " -> ".join([*path, start.name])
        diagnostics.append(
            Diagnostic(
                start.position,
                f"expected value classes without cycles, found {loop} (a value class cannot contain itself)",
            )
        )
    return diagnostics


def _path_back_to(start: str, values: dict[str, ValueClass]) -> list[str] | None:
    """The shortest chain of classes from ``start`` through fields back to ``start``, if any."""
    queue: list[list[str]] = [[start]]
    seen = {start}
    while queue:
        path = queue.pop(0)
        for name in _named_classes(values[path[-1]]):
            if name == start:
                return path
            if name in values and name not in seen:
                seen.add(name)
                queue.append([*path, name])
    return None


def _sort_of(declaration: Declaration) -> str:
    if isinstance(declaration, ValueClass):
        return "value class"
    if isinstance(declaration, Interface):
        return "interface"
    return f"{declaration.role} adapter"


def _suggest(name: str, declared: dict[str, Declaration]) -> str:
    close = difflib.get_close_matches(name, [*BUILTIN_TYPES, *declared], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
