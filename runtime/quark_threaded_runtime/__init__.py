"""quark_threaded_runtime: a small threaded runtime for Hello RPC style services.

The names a program needs are importable from here, as the Hello
example's ``pyclient.py`` imports them::

    from quark_threaded_runtime import RPCError, get_runtime

Contract libraries declare their classes with :mod:`quark_threaded_runtime.contract`.
"""

from importlib import metadata as _metadata

from .contract import Client, Server, Service, Value
from .dispatch import Dispatcher
from .errors import (
    AddressInUseError,
    BadResponseError,
    ContractError,
    DecodeError,
    FieldTypeError,
    InvalidURLError,
    QuarkError,
    RemoteError,
    ResultTypeError,
    RPCError,
    RPCTimeoutError,
    ServeError,
    ServiceUnavailableError,
)
from .runtime import Runtime, get_runtime
from .server import WSGIServer

try:
    # The installed distribution's version (pyproject.toml), so the two cannot disagree.
    __version__ = _metadata.version("quark-threaded-runtime")
except _metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "AddressInUseError",
    "BadResponseError",
    "Client",
    "ContractError",
    "DecodeError",
    "Dispatcher",
    "FieldTypeError",
    "ResultTypeError",
    "InvalidURLError",
    "QuarkError",
    "RPCError",
    "RPCTimeoutError",
    "RemoteError",
    "Runtime",
    "ServeError",
    "Server",
    "Service",
    "ServiceUnavailableError",
    "Value",
    "WSGIServer",
    "get_runtime",
]
