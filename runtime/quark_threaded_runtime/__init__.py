"""quark_threaded_runtime: a small threaded runtime for Hello RPC style services.

The names a program needs are importable from here, as the Hello
example's ``pyclient.py`` imports them::

    from quark_threaded_runtime import RPCError, get_runtime

Contract libraries declare their classes with :mod:`quark_threaded_runtime.contract`.
"""

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


def __getattr__(name: str) -> str:
    # __version__ is the installed distribution's (pyproject.toml), so the two cannot disagree. It is
    # read when first asked for: importlib.metadata is a third of what importing the package costs.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("quark-threaded-runtime")
    except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
        version = "0+unknown"
    globals()["__version__"] = version
    return version


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
