"""Serve any ASGI app with uvicorn inside the running asyncio loop (the GUI's qasync loop).

We bind the socket ourselves (port 0 gives a free port, TCP_NODELAY keeps loopback round trips
near 1 ms), keep uvicorn away from signal handlers and ``sys.exit``, and stop it with
``should_exit``. No thread, no subprocess.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import socket
import ssl
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from workbench.core.errors import ServerStartError
from workbench.core.protocol import is_loopback_host

if TYPE_CHECKING:
    import uvicorn


@functools.cache
def _in_loop_server() -> type[uvicorn.Server]:
    """uvicorn's Server, kept away from signals; uvicorn is imported when a server first starts
    (not at the app's start-up, which does not need it)."""
    import uvicorn

    class InLoopServer(uvicorn.Server):
        def __init__(self, config: uvicorn.Config) -> None:
            super().__init__(config)
            self.ready = asyncio.Event()

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield  # the host application owns signals

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            self.ready.set()

    return InLoopServer


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port), or a one-sentence error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ServerStartError(f"Cannot listen on {host!r}: it is not an address of this machine.") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(2048)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServerStartError(
                f"Port {port} on {host} is already in use by another program: choose another port, "
                "or 0 for any free one."
            ) from None
        if exc.errno == errno.EACCES:
            raise ServerStartError(
                f"Port {port} on {host} needs administrator rights: choose a port above 1023."
            ) from None
        raise ServerStartError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    return sock


class ServerRunner:
    """Start and stop one uvicorn server for ``app`` on the current loop."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.app = app
        self.host = host
        self.requested_port = port
        self.ssl_context = ssl_context
        self._server: Any = None  # an _in_loop_server() once started
        self._task: asyncio.Task | None = None
        self._socket: socket.socket | None = None
        self.port: int | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    async def start(self) -> str:
        """Bind, start serving, and return the base URL once the server accepts connections."""
        if self.running:
            return self.url
        sock = bind_socket(self.host, self.requested_port)
        self._socket = sock
        self.port = sock.getsockname()[1]
        import uvicorn

        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="off", server_header=False,
            timeout_graceful_shutdown=1, timeout_keep_alive=5, loop="none", ws="none", interface="asgi3",
            proxy_headers=False,
        )
        # uvicorn reads TLS settings from files; hand it our in-memory context instead.
        config.load()
        config.ssl = self.ssl_context
        self._server = _in_loop_server()(config)
        self._task = asyncio.ensure_future(self._server.serve(sockets=[sock]))
        ready = asyncio.ensure_future(self._server.ready.wait())
        try:
            done, _ = await asyncio.wait({ready, self._task}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            ready.cancel()
            await self.stop()  # cancelled while starting: leave nothing running
            raise
        if ready not in done:
            ready.cancel()
            exc = self._task.exception() if not self._task.cancelled() else None
            self._cleanup()
            raise ServerStartError(f"The server on {self.host}:{self.port} failed to start: {exc}.")
        return self.url

    async def stop(self) -> None:
        """Stop accepting, close open connections, and wait until everything is released."""
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        self._server.force_exit = True  # do not wait for keep-alive clients to leave
        # Requests still being answered (a stalled or delayed mock response) end now, so that
        # nothing is left pending on the loop.
        state = self._server.server_state
        for connection in list(state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()
        handlers = list(state.tasks)
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
        self._cleanup()

    def _cleanup(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None
        self._task = None

    async def __aenter__(self) -> ServerRunner:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
