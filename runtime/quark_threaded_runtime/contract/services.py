"""Service interfaces (the methods a service declares, with :func:`method`) and the adapters that carry their calls."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from ..errors import ContractError, FieldTypeError, ResultTypeError
from .types import describe
from .values import Value

__all__ = ["Client", "Method", "Server", "Service", "method"]


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
                f"{self.service.__wire_name__}.{declared.name} takes a {expected}, got {describe(argument)}"
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
        adapter = type(self).__qualname__
        if isinstance(implementation, type):
            name = implementation.__qualname__
            raise ContractError(
                f"{adapter} takes an instance of your implementation, not the class {name}: "
                f"pass {name}(), with the parentheses"
            )
        missing = [name for name in self.service.__methods__ if not callable(getattr(implementation, name, None))]
        if missing:
            own = sorted(
                name
                for name in dir(implementation)
                if not name.startswith("_") and callable(getattr(implementation, name, None))
            )
            has = f" (it has {', '.join(own)})" if own else " (it has no methods)"
            raise ContractError(
                f"{type(implementation).__qualname__} does not implement {', '.join(missing)}, "
                f"declared by {self.service.__wire_name__}{has}"
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
            raise ResultTypeError(
                f"{type(self.implementation).__qualname__}.{name} returned {describe(result)}, "
                f"expected a {declared.result.__wire_name__}"
            )
        return result


@functools.cache
def _server_base(service: type[Service]) -> type[Server]:
    return type(f"Server[{service.__qualname__}]", (Server,), {"service": service, "__module__": __name__})
