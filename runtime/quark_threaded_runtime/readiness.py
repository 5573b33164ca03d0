"""Which sockets the server's leader waits to read from: a connection is waited on from when it is armed.

Where there is epoll, a connection is registered once, edge-triggered
(``EPOLLET``): an event comes each time new bytes arrive, and arming it
again after an answer costs no system call. Events also come while a
request is answered; the leader takes those of a connection not armed as
a note to read it once it is (see ``Poller.poll``). Elsewhere a selector
is used, by registering and unregistering: events come only while armed.
"""

from __future__ import annotations

import contextlib
import select
import selectors
import socket
from typing import Any

__all__ = ["Readiness"]

# What epoll says of a socket whose client hung up or failed (a hang-up comes as readable too).
_ENDED = getattr(select, "EPOLLRDHUP", 0) | getattr(select, "EPOLLHUP", 0) | getattr(select, "EPOLLERR", 0)


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
        self.edge_triggered = self._epoll is not None
        """Whether events come for connections not armed, for bytes that arrived (epoll's edge triggering)."""
        self.ended: list[Any] = []
        """The items of the last :meth:`poll` whose client had hung up (or failed) too, edge-triggered:
        after their bytes are read, the end is still to read, and no other event will tell of it."""

    def watch(self, sock: socket.socket, item: Any) -> None:
        """Wait on ``sock`` for as long as this lasts; :meth:`poll` returns ``item`` for it."""
        fd = sock.fileno()
        self._items[fd] = item
        if self._epoll is not None:
            self._epoll.register(fd, select.EPOLLIN)
        else:
            self._selector.register(fd, selectors.EVENT_READ)

    def arm(self, sock: socket.socket, item: Any) -> None:
        """Wait on ``sock`` for bytes that arrive from now on; :meth:`poll` returns ``item`` for it.

        With epoll, a socket known already is waited on still: nothing to do.
        """
        fd = sock.fileno()
        if fd < 0:
            raise ValueError("the socket is closed")
        if fd in self._items:
            return
        self._items[fd] = item
        if self._epoll is not None:
            self._epoll.register(fd, select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLET)
        else:
            self._selector.register(fd, selectors.EVENT_READ)

    def forget(self, sock: socket.socket) -> None:
        """Stop knowing ``sock``, before it is closed (closing takes it out of epoll)."""
        fd = sock.fileno()
        if self._items.pop(fd, None) is not None and self._selector is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(fd)

    def poll(self, timeout: float) -> list[Any]:
        """The items of the sockets with bytes arrived since their last event, waiting at most ``timeout`` s."""
        items = self._items
        if self._epoll is not None:
            ready = []
            ended = self.ended = []
            for fd, mask in self._epoll.poll(timeout):
                item = items.get(fd)
                if item is not None:
                    ready.append(item)
                    if mask & _ENDED:
                        ended.append(item)
            return ready
        ready = []
        for key, _ in self._selector.select(timeout):
            item = items.get(key.fd)
            if item is not None:
                ready.append(item)
        return ready

    def disarm(self, sock: socket.socket) -> None:
        """After an event on an armed socket: the selector fallback stops waiting on it (epoll waits on)."""
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
