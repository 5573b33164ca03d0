"""quark_threaded_runtime: a small threaded runtime for Hello RPC style services.

The names a program needs are importable from here::

    from quark_threaded_runtime import get_runtime

Contract libraries declare their classes with :mod:`quark_threaded_runtime.contract`.
"""

from .contract import Client, Server, Service, Value
from .dispatch import Dispatcher
from .errors import (
    AddressInUse,
    BadResponse,
    ContractError,
    DecodeError,
    FieldTypeError,
    InvalidURL,
    QuarkError,
    RemoteError,
    RPCError,
    RPCTimeout,
    ServeError,
    ServiceUnavailable,
)
from .runtime import Runtime, get_runtime
from .server import WSGIServer

__version__ = "1.0.0"

__all__ = [
    "AddressInUse",
    "BadResponse",
    "Client",
    "ContractError",
    "DecodeError",
    "Dispatcher",
    "FieldTypeError",
    "InvalidURL",
    "QuarkError",
    "RPCError",
    "RPCTimeout",
    "RemoteError",
    "Runtime",
    "ServeError",
    "Server",
    "Service",
    "ServiceUnavailable",
    "Value",
    "WSGIServer",
    "get_runtime",
]
