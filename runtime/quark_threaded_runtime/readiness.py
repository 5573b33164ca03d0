"""Which sockets the server's leader waits to read from: each connection armed for one event at a time.

Where there is epoll, a connection is registered once and re-armed with
``EPOLLONESHOT`` after each event (one system call, none to take it out
while a request is answered); elsewhere the same is done with a selector,
by registering and unregistering.
"""

from __future__ import annotations

import contextlib
import select
import selectors
import socket
from typing import Any

__all__ = ["Readiness"]


class Readiness:
    """The sockets waited on: some always (:meth:`watch`), connections for one event at a time (:meth:`arm`)."""

    def __init__(self) -> None:
        # Every socket known, by descriptor: what poll() returns for it.
        self._items: dict[int, Any] = {}
        self._epoll = select.epoll() if hasattr(select, "epoll") else None
        self._selector = None if self._epoll is not None else selectors.DefaultSelector()
        kqueue = getattr(selectors, "KqueueSelector", None)
        self.needs_poke = self._epoll is None and not (kqueue and isinstance(self._selector, kqueue))
        """Whether a thread waiting in :meth:`poll` misses what another thread arms (select and poll do)."""

    def watch(self, sock: socket.socket, item: Any) -> None:
        """Wait on ``sock`` for as long as this lasts; :meth:`poll` returns ``item`` for it."""
        fd = sock.fileno()
        self._items[fd] = item
        if self._epoll is not None:
            self._epoll.register(fd, select.EPOLLIN)
        else:
            self._selector.register(fd, selectors.EVENT_READ)

    def arm(self, sock: socket.socket, item: Any) -> None:
        """Wait on ``sock`` for its next event only; :meth:`poll` returns ``item`` for it."""
        fd = sock.fileno()
        if fd < 0:
            raise ValueError("the socket is closed")
        known = fd in self._items
        self._items[fd] = item
        if self._epoll is not None:
            if known:
                self._epoll.modify(fd, select.EPOLLIN | select.EPOLLONESHOT)
            else:
                self._epoll.register(fd, select.EPOLLIN | select.EPOLLONESHOT)
        elif not known:
            self._selector.register(fd, selectors.EVENT_READ)

    def forget(self, sock: socket.socket) -> None:
        """Stop knowing ``sock``, before it is closed (closing takes it out of epoll)."""
        fd = sock.fileno()
        if self._items.pop(fd, None) is not None and self._selector is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(fd)

    def poll(self, timeout: float) -> list[Any]:
        """The items of the sockets ready to read, waiting at most ``timeout`` seconds; armed ones are disarmed."""
        items = self._items
        if self._epoll is not None:
            return [items[fd] for fd, _ in self._epoll.poll(timeout) if fd in items]
        ready = []
        for key, _ in self._selector.select(timeout):
            item = items.get(key.fd)
            if item is not None:
                ready.append(item)
        return ready

    def disarm(self, sock: socket.socket) -> None:
        """After an event on an armed socket: the selector fallback stops waiting on it (epoll already has)."""
        if self._selector is not None:
            fd = sock.fileno()
            if self._items.pop(fd, None) is not None:
                with contextlib.suppress(KeyError, ValueError):
                    self._selector.unregister(fd)

    def close(self) -> None:
        """Close the epoll or selector."""
        if self._epoll is not None:
            self._epoll.close()
        else:
            self._selector.close()
