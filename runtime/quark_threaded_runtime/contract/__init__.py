"""The public contract API: how a contract library declares its classes.

A contract library (such as the Hello example's ``hello.py``) declares, one
to one with its ``.q`` source:

* value classes, subclasses of :class:`Value` whose typed fields are
  declared with :func:`field`;
* a service interface, a subclass of :class:`Service` whose methods are
  declared with :func:`method`;
* a client adapter, ``class HelloClient(Client, Hello)``, whose methods send
  remote calls;
* a server adapter, ``class HelloServer(Server[Hello])``, which hands the
  calls that arrive to the user's implementation.

Only what is declared here ever crosses the wire: the codec decodes only the
value classes a method declares, and the server calls only declared methods.

The package is split by concern: ``types`` (field types), ``values``
(value classes and the types built from them) and ``services`` (service
interfaces, and the client and server adapters that carry their calls);
every public name is importable from here.
"""

from __future__ import annotations

from .services import Client, Method, Server, Service, method
from .types import FieldType, ListType, MapType, ValueType, _Scalar  # noqa: F401 - re-exported
from .values import Field, List, Map, Value, as_field_type, field  # noqa: F401 - re-exported

__all__ = [
    "Bool",
    "Client",
    "Field",
    "FieldType",
    "Float",
    "Int",
    "List",
    "Long",
    "Map",
    "Method",
    "Server",
    "Service",
    "String",
    "Value",
    "field",
    "method",
]

String = _Scalar("String", str, "")
"""A text field (``String`` in the IDL); defaults to ``""``."""
Int = _Scalar("int", int, 0, bits=32)
"""A 32-bit integer field (``int`` in the IDL); defaults to ``0``."""
Long = _Scalar("long", int, 0, bits=64)
"""A 64-bit integer field (``long`` in the IDL); defaults to ``0``."""
Float = _Scalar("float", float, 0.0)
"""A floating-point field (``float`` in the IDL); defaults to ``0.0``."""
Bool = _Scalar("bool", bool, False)
"""A boolean field (``bool`` in the IDL); defaults to ``False``."""

BUILTIN_TYPES = {scalar.name: python_name for python_name, scalar in {
    "String": String, "Int": Int, "Long": Long, "Float": Float, "Bool": Bool
}.items()}  # fmt: skip
"""The built-in field types, by IDL name (``int``) to the name this module gives them (``Int``).

The contract compiler checks ``.q`` sources against this same table.
"""

# The public classes and functions are documented, and their doctests found, as this module's.
for _name in ("Client", "Server", "Method", "Service", "method", "FieldType", "List", "Map", "Field", "Value", "field"):
    globals()[_name].__module__ = __name__
for _name in ("ListType", "MapType", "ValueType", "as_field_type"):
    globals()[_name].__module__ = __name__
del _name
