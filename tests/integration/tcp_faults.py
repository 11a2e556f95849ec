"""A fault-injecting TCP proxy for tests: listens on 127.0.0.1 and forwards to a server, or fails as it is told.

Each accepted connection takes the next fault of the plan (``then``), or the standing one (``always``):

- ``Forward()``: a healthy link, both ways.
- ``Refuse()``: accept and close at once (with ``reset``, a TCP reset): the server looks down.
- ``DropAfter(n)``: forward the first ``n`` bytes the client sends, then cut the client off (with ``reset``, a TCP
  reset). The server side stays open until the proxy closes, so the server acts on all ``n`` bytes. With
  ``after_answer`` the client is cut only once the server has answered them (the answer is swallowed): ``n`` at a
  request boundary then drops the connection after the server did the work, before the client knows.
- ``Stall(after=n)``: forward the first ``n`` client bytes (and the answers until then), then nothing either way,
  keeping both sides open: the client must time out.

Every connection is logged (``connections``): its fault and how many bytes went each way. Standard library only:
one thread accepts, one thread per connection pumps both sockets with ``select``.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"
CHUNK = 65536


@dataclass(frozen=True, slots=True)
class Forward:
    """A healthy link."""


@dataclass(frozen=True, slots=True)
class Refuse:
    """Accept the connection and close it before a byte is exchanged."""

    reset: bool = False


@dataclass(frozen=True, slots=True)
class DropAfter:
    """Forward this many client-to-server bytes, then cut the client off (the server side is held open)."""

    upstream_bytes: int
    reset: bool = False
    after_answer: bool = False  # wait for the server's next bytes (and swallow them) before cutting the client


@dataclass(frozen=True, slots=True)
class Stall:
    """Forward this many client-to-server bytes, then nothing more in either direction, without closing."""

    after: int = 0


Fault = Forward | Refuse | DropAfter | Stall


@dataclass
class Connection:
    """One connection through the proxy: what it was told to do and what went through."""

    fault: Fault
    upstream: int = 0  # client → server bytes forwarded
    downstream: int = 0  # server → client bytes forwarded
    cut: bool = False  # the fault was applied (the client was cut off, or the link stalled)
    done: threading.Event = field(default_factory=threading.Event)


class FaultProxy:
    """``with FaultProxy(port) as proxy:`` a proxy to ``HOST:port`` on ``proxy.port``; closed with everything it
    opened at the end of the block."""

    def __init__(self, target_port: int, target_host: str = HOST) -> None:
        self.target = (target_host, target_port)
        self.connections: list[Connection] = []
        self._standing: Fault = Forward()
        self._plan: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._closed = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(16)
        self.port: int = self._listener.getsockname()[1]
        self._accepter = threading.Thread(target=self._accept_loop, name="fault-proxy-accept", daemon=True)
        self._accepter.start()

    # --- telling it what to do ----------------------------------------------------------------------------------

    def always(self, fault: Fault) -> None:
        """Every connection from now on (after any planned ones) gets ``fault``."""
        with self._lock:
            self._standing = fault

    def then(self, *faults: Fault) -> None:
        """The next connections get these faults, one each, in order; then the standing one again."""
        with self._lock:
            self._plan.extend(faults)

    def _next_fault(self) -> Fault:
        with self._lock:
            return self._plan.popleft() if self._plan else self._standing

    # --- the work -----------------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        self._listener.settimeout(0.05)  # a blocked accept() does not wake when another thread closes the socket
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed
            client.settimeout(None)
            connection = Connection(self._next_fault())
            with self._lock:
                if self._closed.is_set():
                    client.close()
                    return
                self.connections.append(connection)
                self._sockets.append(client)
                worker = threading.Thread(
                    target=self._serve, args=(client, connection), name="fault-proxy-pump", daemon=True
                )
                self._threads.append(worker)
            worker.start()

    def _serve(self, client: socket.socket, connection: Connection) -> None:
        try:
            fault = connection.fault
            if isinstance(fault, Refuse):
                connection.cut = True
                _cut(client, reset=fault.reset)
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _cut(client, reset=True)  # the real server is down too: the client sees it refused
                return
            server.settimeout(None)
            with self._lock:
                self._sockets.append(server)
            self._pump(client, server, connection)
        finally:
            connection.done.set()

    def _pump(self, client: socket.socket, server: socket.socket, connection: Connection) -> None:
        fault = connection.fault
        limit = (
            fault.upstream_bytes if isinstance(fault, DropAfter) else fault.after if isinstance(fault, Stall) else None
        )
        client_open = True
        if limit == 0:
            client_open = self._apply(client, connection)
        while not self._closed.is_set():
            watched = [server, client] if client_open else [server]
            try:
                readable, _, _ = select.select(watched, [], [], 0.05)
            except (OSError, ValueError):
                return  # a socket was closed by ``close``
            for sock in readable:
                if sock is client and not client_open:
                    continue  # cut off a moment ago
                try:
                    data = sock.recv(CHUNK)
                except OSError:
                    data = b""
                if sock is server:
                    if not data:
                        _cut(client)
                        return
                    if client_open and connection.cut and isinstance(fault, DropAfter):
                        _cut(client, reset=fault.reset)  # the server answered what it got: the answer is lost
                        client_open = False
                    if client_open and not connection.cut:
                        with contextlib.suppress(OSError):
                            client.sendall(data)
                            connection.downstream += len(data)
                    continue
                if not data:  # the client hung up
                    with contextlib.suppress(OSError):
                        server.shutdown(socket.SHUT_WR)
                    client_open = False
                    continue
                if connection.cut:
                    continue  # stalled: what the client sends goes nowhere
                if limit is not None:
                    data = data[: limit - connection.upstream]
                with contextlib.suppress(OSError):
                    server.sendall(data)
                    connection.upstream += len(data)
                if limit is not None and connection.upstream >= limit:
                    client_open = self._apply(client, connection)

    def _apply(self, client: socket.socket, connection: Connection) -> bool:
        """The limit is reached: cut the client off (DropAfter) or stop forwarding (Stall). Whether the client stays
        open."""
        connection.cut = True
        fault = connection.fault
        if isinstance(fault, DropAfter) and not fault.after_answer:
            _cut(client, reset=fault.reset)
            return False
        return True  # stalled, or waiting for the server's answer to swallow

    # --- lifetime -----------------------------------------------------------------------------------------------

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._accepter.join(timeout=5)
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for worker in threads:
            worker.join(timeout=5)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _cut(sock: socket.socket, *, reset: bool = False) -> None:
    """Close ``sock`` (with ``reset``: abortively, so the peer gets a TCP RST rather than an orderly end)."""
    with contextlib.suppress(OSError):
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
