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
"""

from __future__ import annotations

import functools
import math
from typing import Any, ClassVar

from .errors import ContractError, FieldTypeError

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


class FieldType:
    """The type of a field: knows its IDL name, its default and what it accepts."""

    name: str = "?"

    def default(self) -> Any:
        """The value a field of this type has until it is set."""
        return None

    def check(self, value: Any) -> Any:
        """Return ``value`` as stored in a field of this type, or raise :class:`TypeError`."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class _Scalar(FieldType):
    def __init__(self, name: str, python_type: type, default: Any, bits: int | None = None) -> None:
        self.name = name
        self._type = python_type
        self._default = default
        self._bound = 2 ** (bits - 1) if bits else None

    def default(self) -> Any:
        return self._default

    def check(self, value: Any) -> Any:
        if type(value) is self._type and self._bound is None and self._type is not float:
            return value
        # bool is an int subclass in Python but a distinct type on the wire.
        if isinstance(value, bool) and self._type is not bool:
            raise TypeError(f"expected {self.name}, got a bool")
        if self._type is float and isinstance(value, int):
            try:
                value = float(value)
            except OverflowError:
                raise TypeError(f"{_number(value)} is out of range for {self.name}") from None
        if not isinstance(value, self._type):
            raise TypeError(f"expected {self.name}, got {_describe(value)}")
        if self._bound is not None and not -self._bound <= value < self._bound:
            raise TypeError(f"{_number(value)} is out of range for {self.name}")
        # JSON has no NaN or infinity, so such a value could not cross the wire.
        if self._type is float and not math.isfinite(value):
            raise TypeError(f"{value} is not a finite {self.name}")
        return value


def _number(value: int) -> str:
    # str() of a huge int is slow, and refused past 4300 digits.
    return str(value) if value.bit_length() <= 256 else f"an integer of {value.bit_length()} bits"


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


class ListType(FieldType):
    """A list of items of one type (``List<T>`` in the IDL); defaults to ``[]``."""

    def __init__(self, item: FieldType) -> None:
        self.item = item
        self.name = f"List<{item.name}>"

    def default(self) -> Any:
        return []

    def check(self, value: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError(f"expected {self.name}, got {_describe(value)}")
        return [_check_item(self.item, item, f"item {index}") for index, item in enumerate(value)]


class MapType(FieldType):
    """A map from text keys to values of one type (``Map<String,T>``); defaults to ``{}``."""

    def __init__(self, item: FieldType) -> None:
        self.item = item
        self.name = f"Map<String,{item.name}>"

    def default(self) -> Any:
        return {}

    def check(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected {self.name}, got {_describe(value)}")
        checked = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{self.name} keys must be String, got {_describe(key)}")
            checked[key] = _check_item(self.item, item, f"key {key!r}")
        return checked


class ValueType(FieldType):
    """A field holding an instance of a value class, or ``None`` (its default)."""

    def __init__(self, value_class: type[Value]) -> None:
        self.value_class = value_class
        self.name = value_class.__wire_name__

    def check(self, value: Any) -> Any:
        if value is not None and not isinstance(value, self.value_class):
            raise TypeError(f"expected {self.name}, got {_describe(value)}")
        return value


def List(item: FieldType | type[Value]) -> ListType:  # noqa: N802 - named as in the IDL
    """The type ``List<item>``: ``List(String)``, ``List(Request)``."""
    return ListType(as_field_type(item))


def Map(item: FieldType | type[Value]) -> MapType:  # noqa: N802 - named as in the IDL
    """The type ``Map<String,item>``: ``Map(Int)``, ``Map(Request)``."""
    return MapType(as_field_type(item))


def as_field_type(declared: Any) -> FieldType:
    """Turn what a declaration names (a type or a value class) into a :class:`FieldType`."""
    if isinstance(declared, FieldType):
        return declared
    if isinstance(declared, type) and issubclass(declared, Value) and declared is not Value:
        return ValueType(declared)
    raise ContractError(
        f"{declared!r} is not a field type: use String, Int, Long, Float, Bool, List(...), Map(...) or a value class"
    )


def _check_item(item_type: FieldType, value: Any, where: str) -> Any:
    try:
        return item_type.check(value)
    except TypeError as error:
        raise TypeError(f"{where}: {error}") from None


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, Value):
        return f"a {type(value).__wire_name__}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"an int ({_number(value):.40})"
    return f"a {type(value).__name__} ({value!r:.40})"


class Field:
    """A typed field of a value class, declared with :func:`field`."""

    def __init__(self, field_type: FieldType | type[Value], *, doc: str | None = None) -> None:
        self.type = as_field_type(field_type)
        self.doc = doc
        self.__doc__ = doc
        self.name = "?"
        self.owner = "?"

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = getattr(owner, "__wire_name__", owner.__name__)

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return instance.__dict__[self.name]

    def __set__(self, instance: Value, value: Any) -> None:
        # Value.__setattr__ checks and stores every field; it does not come through here.
        Value.__setattr__(instance, self.name, value)

    def __repr__(self) -> str:
        return f"<field {self.owner}.{self.name}: {self.type.name}>"


def field(field_type: FieldType | type[Value], *, doc: str | None = None) -> Any:
    """Declare a field of a value class: ``text = field(String, doc="...")``."""
    return Field(field_type, doc=doc)


class Value:
    """Base class of value classes: plain data with typed fields.

    Declare one with its wire name, the name the JSON encoding carries in
    ``$class``. Fields start at their type's default and can be set by
    keyword or by assignment; a value of the wrong type raises
    :class:`~quark_threaded_runtime.errors.FieldTypeError`:

    >>> from quark_threaded_runtime.contract import String, Value, field
    >>> class Request(Value, name="hello.Request"):
    ...     text = field(String)
    >>> Request()
    Request(text='')
    >>> request = Request(text="hi")
    >>> request.text
    'hi'
    >>> request.text = 3
    Traceback (most recent call last):
      ...
    quark_threaded_runtime.errors.FieldTypeError: hello.Request.text: expected String, got an int (3)
    """

    __wire_name__: ClassVar[str] = "Value"
    __fields__: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, *, name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__wire_name__ = name or f"{cls.__module__}.{cls.__qualname__}"
        fields = dict(cls.__fields__)
        for attribute, value in vars(cls).items():
            if isinstance(value, Field):
                value.owner = cls.__wire_name__
                fields[attribute] = value
        cls.__fields__ = fields

    def __init__(self, **values: Any) -> None:
        state = self.__dict__
        for name, declared in self.__fields__.items():
            state[name] = declared.type.default()
        for name, value in values.items():
            self.__setattr__(name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        declared = self.__fields__.get(name)
        if declared is None:
            known = ", ".join(self.__fields__) or "none"
            raise FieldTypeError(f"{self.__wire_name__} has no field {name!r} (fields: {known})")
        try:
            self.__dict__[name] = declared.type.check(value)
        except TypeError as error:
            raise FieldTypeError(f"{self.__wire_name__}.{name}: {error}") from None

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__fields__)

    __hash__ = None  # type: ignore[assignment]  # mutable, so not hashable

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__fields__)
        return f"{type(self).__qualname__}({values})"


class Method:
    """A method of a service interface, declared with :func:`method`.

    It takes exactly one value (``argument``) and returns exactly one
    (``result``). On a client adapter the attribute is a callable that sends
    the remote call.
    """

    def __init__(self, argument: type[Value], result: type[Value], *, doc: str | None = None) -> None:
        for role, declared in (("argument", argument), ("result", result)):
            if not (isinstance(declared, type) and issubclass(declared, Value) and declared is not Value):
                raise ContractError(f"a method's {role} must be a value class, not {declared!r}")
        self.argument = argument
        self.result = result
        self.doc = doc
        self.__doc__ = doc
        self.name = "?"

    def __set_name__(self, owner: type, name: str) -> None:
        # Checked by Service.__init_subclass__: Python 3.11 would wrap an error raised here.
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        if isinstance(instance, Client):
            return functools.partial(instance._call, self)
        raise ContractError(
            f"{type(instance).__qualname__}.{self.name} is declared by the interface but not implemented"
        )

    def __repr__(self) -> str:
        return f"<method {self.result.__wire_name__} {self.name}({self.argument.__wire_name__})>"


def method(argument: type[Value], result: type[Value], *, doc: str | None = None) -> Any:
    """Declare a service method: ``hello = method(Request, Response, doc="...")``."""
    return Method(argument, result, doc=doc)


class Service:
    """Base class of service interfaces.

    Declare one with its wire name and its methods. ``__methods__`` maps
    each declared method's name to its :class:`Method`: exactly the names a
    server will ever call.

    >>> from quark_threaded_runtime.contract import Service, String, Value, field, method
    >>> class Request(Value, name="hello.Request"):
    ...     text = field(String)
    >>> class Response(Value, name="hello.Response"):
    ...     result = field(String)
    >>> class Hello(Service, name="hello.Hello"):
    ...     hello = method(Request, Response)
    >>> Hello.__methods__
    {'hello': <method hello.Response hello(hello.Request)>}
    """

    __wire_name__: ClassVar[str] = "Service"
    __methods__: ClassVar[dict[str, Method]] = {}

    def __init_subclass__(cls, *, name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if issubclass(cls, (Client, Server)):
            return
        cls.__wire_name__ = name or f"{cls.__module__}.{cls.__qualname__}"
        methods = dict(cls.__methods__)
        for key, value in vars(cls).items():
            if isinstance(value, Method):
                if key.startswith("_"):
                    raise ContractError(f"{cls.__qualname__}.{key}: method names cannot start with '_'")
                methods[key] = value
        cls.__methods__ = methods


def _service_of(cls: type) -> type[Service]:
    for base in cls.__mro__:
        if issubclass(base, Service) and base is not Service and not issubclass(base, (Client, Server)):
            return base
    raise ContractError(
        f"{cls.__qualname__} must name its service interface, e.g. class {cls.__qualname__}(Client, Hello)"
    )


class Client:
    """Base class of client adapters: ``class HelloClient(Client, Hello)``.

    An instance sends each declared method as a remote call to one service
    URL, over a connection pool of its own; each call waits at most
    ``timeout`` seconds (3 unless given) for its answer. The Hello example's
    ``pyclient.py`` makes one::

        runtime = get_runtime()
        client = hello.HelloClient(runtime, "http://127.0.0.1:8910/hello")

    and calls the service's ``hello`` method with a ``hello.Request``. A
    failed call raises a subclass of
    :class:`~quark_threaded_runtime.errors.RPCError`::

        try:
            response = client.hello(request)
        except RPCError as error:
            sys.exit(f"error: {error}")
    """

    service: ClassVar[type[Service]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.service = _service_of(cls)

    def __init__(self, runtime: Any, url: str, *, timeout: float = 3.0) -> None:
        self.runtime = runtime
        self.url = url
        self._transport = runtime.open_transport(url, timeout=timeout)

    @property
    def timeout(self) -> float:
        """Seconds a call waits for its answer.

        After that it raises :class:`~quark_threaded_runtime.errors.RPCTimeoutError`.
        """
        return self._transport.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._transport.timeout = seconds

    def _call(self, declared: Method, argument: Value) -> Value:
        if not isinstance(argument, declared.argument):
            expected = declared.argument.__wire_name__
            raise FieldTypeError(
                f"{self.service.__wire_name__}.{declared.name} takes a {expected}, got {_describe(argument)}"
            )
        return self._transport.call(declared.name, argument, declared.result)

    def close(self) -> None:
        """Close the client's pooled connections."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Server:
    """Base class of server adapters: ``class HelloServer(Server[Hello])``.

    An instance joins a service interface to the user's implementation, any
    object with a method of the same name for each declared method. The
    Hello example's ``pyserver.py`` serves its ``HelloImpl`` this way::

        runtime = get_runtime()
        implementation = HelloImpl()
        server = hello.HelloServer(runtime, implementation)
        runtime.serveHTTP("http://127.0.0.1:8910/hello", server)

    The implementation is checked when the adapter is made, so a missing
    method fails at start-up rather than on the first call.
    """

    service: ClassVar[type[Service]]

    def __class_getitem__(cls, service: type[Service]) -> type[Server]:
        if not (isinstance(service, type) and issubclass(service, Service)):
            raise ContractError(f"Server[...] takes a service interface, not {service!r}")
        return _server_base(service)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not hasattr(cls, "service"):
            raise ContractError(
                f"{cls.__qualname__} must name its service interface, e.g. class {cls.__qualname__}(Server[Hello])"
            )

    def __init__(self, runtime: Any, implementation: Any) -> None:
        missing = [name for name in self.service.__methods__ if not callable(getattr(implementation, name, None))]
        if missing:
            raise ContractError(
                f"{type(implementation).__qualname__} does not implement {', '.join(missing)}, "
                f"declared by {self.service.__wire_name__}"
            )
        self.runtime = runtime
        self.implementation = implementation

    def invoke(self, name: str, argument: Value) -> Value:
        """Call the implementation's method ``name``, declared by the service, with ``argument``.

        Raises :class:`~quark_threaded_runtime.errors.ContractError` for an
        undeclared name or a result that is not the declared result class.
        """
        declared = self.service.__methods__.get(name)
        if declared is None:
            raise ContractError(f"{self.service.__wire_name__} declares no method {name!r}")
        result = getattr(self.implementation, name)(argument)
        if not isinstance(result, declared.result):
            raise ContractError(
                f"{type(self.implementation).__qualname__}.{name} returned {_describe(result)}, "
                f"expected a {declared.result.__wire_name__}"
            )
        return result


@functools.cache
def _server_base(service: type[Service]) -> type[Server]:
    return type(f"Server[{service.__qualname__}]", (Server,), {"service": service, "__module__": __name__})
