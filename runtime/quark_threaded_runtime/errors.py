"""The runtime's exceptions: one hierarchy, rooted at :class:`QuarkError`.

Every message names the thing that failed (a URL, a class, a field) and the
cause, so that a one-line report is enough to act on.
"""

from __future__ import annotations


class QuarkError(Exception):
    """Base class of every error the runtime raises on purpose."""


class ContractError(QuarkError):
    """A contract is declared or used wrongly.

    Raised for a malformed declaration (a field of an unknown type, a server
    adapter without a service) and for an implementation that lacks a method
    its service declares.
    """


class FieldTypeError(ContractError, TypeError):
    """A value of the wrong type was given for a field of a value class."""


class InvalidURLError(QuarkError, ValueError):
    """A service URL the runtime cannot use (not ``http://``, no host, ...)."""


class ServeError(QuarkError):
    """A server could not start serving, e.g. because its port is taken."""


class AddressInUseError(ServeError):
    """Another process already listens on the host and port of a service URL."""


class RPCError(QuarkError):
    """A remote call failed. Every client-side failure is one of its subclasses.

    ``url`` is the service URL the call was sent to.
    """

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class ServiceUnavailableError(RPCError):
    """Nothing answered at the service URL (connection refused or reset)."""


class RPCTimeoutError(RPCError):
    """The service did not answer within the client's timeout."""


class RemoteError(RPCError):
    """The service answered with an error status.

    ``status`` is the HTTP status code and ``detail`` the server's own message
    (from its JSON error body) when it sent one.
    """

    def __init__(self, message: str, *, url: str, status: int, detail: str | None) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.detail = detail


class BadResponseError(RPCError):
    """The service answered 200, but not with a value the contract declares."""


class DecodeError(QuarkError, ValueError):
    """A JSON document does not encode a value the contract declares.

    ``path`` says where in the document the problem is, e.g. ``rpc.text``.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message
