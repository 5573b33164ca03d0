"""The client side: sends calls over HTTP with ``requests`` and decodes the answers.

Each client adapter owns one :class:`HTTPTransport`, and so one pooled
``requests.Session``: consecutive calls reuse a kept-alive connection.
Every failure is raised as a subclass of :class:`~quark_threaded_runtime.errors.RPCError`
whose message names the URL and the cause.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from typing import TYPE_CHECKING

from . import codec
from .contract import Value
from .errors import BadResponseError, DecodeError, RemoteError, RPCTimeoutError, ServiceUnavailableError

if TYPE_CHECKING:
    import requests

__all__ = ["DEFAULT_TIMEOUT", "HTTPTransport"]

DEFAULT_TIMEOUT = 3.0
"""Seconds a client waits for an answer unless told otherwise."""

_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


class HTTPTransport:
    """Sends encoded calls to one service URL and returns decoded results.

    ``url`` is where the calls go (after any address remapping); ``shown_url``
    is the URL the caller gave, used in error messages.
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, shown_url: str | None = None) -> None:
        self.url = url
        self.shown_url = shown_url or url
        self.timeout = timeout
        # requests is imported by the first client made, not with the package: a server never needs it,
        # and it is over a third of what importing the package costs.
        import requests

        self._session = requests.Session()
        # Proxies from the environment would route 127.0.0.1 calls elsewhere.
        self._session.trust_env = False

    def call(self, method_name: str, argument: Value, result_class: type[Value]) -> Value:
        """Send one call and return its decoded result, or raise an :class:`~quark_threaded_runtime.errors.RPCError`."""
        import requests  # loaded already: this transport's constructor imported it

        body = codec.encode_call(method_name, argument)
        where = self.shown_url
        try:
            # A redirect is answered as an error: re-sending a call elsewhere is not the client's choice.
            answer = self._session.post(
                self.url, data=body, headers=_HEADERS, timeout=self.timeout, allow_redirects=False
            )
        except requests.Timeout:
            raise RPCTimeoutError(f"{where} did not answer within {self.timeout:g} s", url=where) from None
        except requests.RequestException as error:
            # Refused, reset, or cut off in the middle of the answer.
            raise ServiceUnavailableError(f"cannot reach {where}: {_cause(error)}", url=where) from None
        if answer.status_code != 200:
            detail = _error_message(answer)
            reason = detail or answer.reason or "no reason given"
            raise RemoteError(
                f"{where} answered {answer.status_code}: {reason}", url=where, status=answer.status_code, detail=detail
            )
        try:
            return codec.decode_result(answer.content, result_class)
        except DecodeError as error:
            raise BadResponseError(
                f"{where} answered with no valid {result_class.__wire_name__}: {error}", url=where
            ) from None

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()


def _error_message(answer: requests.Response) -> str | None:
    try:
        message = json.loads(answer.content)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return None
    return message if isinstance(message, str) else None


def _cause(error: requests.RequestException) -> str:
    """Say in a few words why a call got no answer, from the types of the exceptions behind ``error``.

    requests wraps urllib3's errors, which wrap the socket's: the chain is
    walked through their ``reason``, arguments, causes and contexts.
    """
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    # Any other error of the operating system is told by its number, e.g. "no route to host".
    fallback: str | None = None
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        for kind, said in _CAUSES:
            if isinstance(current, kind):
                return said
        if isinstance(current, OSError) and current.errno and fallback is None:
            fallback = os.strerror(current.errno).lower()
        reason = getattr(current, "reason", None)
        inner = [reason, current.__cause__, current.__context__, *current.args]
        pending.extend(item for item in inner if isinstance(item, BaseException))
    return fallback or str(error)


# The exceptions behind a failed call, most specific first, and how to say each in a few words.
_CAUSES: tuple[tuple[type[BaseException], str], ...] = (
    (ConnectionRefusedError, "connection refused"),
    # Before ConnectionResetError, of which it is a subclass.
    (http.client.RemoteDisconnected, "the server closed the connection without answering"),
    (ConnectionResetError, "connection reset"),
    (socket.gaierror, "unknown host"),
    (BrokenPipeError, "the server closed the connection"),
)
