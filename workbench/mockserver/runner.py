"""Serve any ASGI app with uvicorn in an asyncio loop: the caller's (the CLI's ``serve``), or a plain
loop in a thread of its own (:class:`LoopThread`; the GUI's mock server, so that its requests never
wait for the UI's event loop, nor the UI for them).

We bind the socket ourselves (port 0 gives a free port, TCP_NODELAY keeps loopback round trips
near 1 ms), keep uvicorn away from signal handlers and ``sys.exit``, and stop it with
``should_exit``. No subprocess.

uvicorn's HTTP/1.1 protocol gets two changes (:class:`_Protocol`): a client must send each whole
request within a deadline (uvicorn only times out idle keep-alive connections, so a client that
sends a byte per second would hold a connection forever), and a request that turns out malformed
after the app started answering (a bad chunk in a chunked body) is answered 400 or closed without
the app's reply failing with a traceback in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import socket
import ssl
import threading
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from workbench.core.errors import ServerStartError
from workbench.core.protocol import is_loopback_host
from workbench.core.threads import in_own_thread

if TYPE_CHECKING:
    import uvicorn

T = TypeVar("T")

#: How long a client has to send one whole request (head and body), from its first byte or from
#: the moment it connected. Idle keep-alive connections close after uvicorn's own 5 s.
REQUEST_READ_TIMEOUT_S = 10.0


@functools.cache
def _protocol_base() -> type[Any]:
    """uvicorn's h11 protocol with a per-request read deadline and a quiet 400 for bad bodies.
    Built on first use: uvicorn and h11 are imported when a server first starts."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class _Protocol(H11Protocol):
        """uvicorn's h11 protocol with a per-request read deadline and a quiet 400 for bad bodies."""

        read_timeout_s = REQUEST_READ_TIMEOUT_S

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self._read_deadline: asyncio.TimerHandle | None = None
            super().connection_made(transport)  # type: ignore[arg-type]
            self._sync_read_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_read_deadline()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._sync_read_deadline()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._sync_read_deadline()

        def send_400_response(self, msg: str) -> None:
            cycle = self.cycle
            if cycle is not None and not cycle.response_complete:
                # the app is answering this request: its answer now goes nowhere, quietly
                cycle.disconnected = True
                cycle.message_event.set()
            if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                super().send_400_response(msg)
            else:  # the app's response already started: a 400 cannot follow it, only a close can
                self.transport.close()

        def _waiting_for_client(self) -> bool:
            """True while a request is due from the client: none yet on a fresh connection, a partial
            head, or a body still coming. Not while the app answers, nor between keep-alive requests."""
            state = self.conn.their_state
            if state is h11.SEND_BODY:
                return True
            if state is h11.IDLE:
                return self.cycle is None or bool(self.conn.trailing_data[0])
            return False

        def _sync_read_deadline(self) -> None:
            if self.transport is None or self.transport.is_closing() or not self._waiting_for_client():
                self._cancel_read_deadline()
            elif self._read_deadline is None:
                self._read_deadline = self.loop.call_later(self.read_timeout_s, self._read_deadline_passed)

        def _cancel_read_deadline(self) -> None:
            if getattr(self, "_read_deadline", None) is not None:
                self._read_deadline.cancel()  # type: ignore[union-attr]
            self._read_deadline = None

        def _read_deadline_passed(self) -> None:
            self._read_deadline = None
            if self.transport.is_closing():
                return
            cycle = self.cycle
            if cycle is not None and not cycle.response_complete:
                cycle.disconnected = True
                cycle.message_event.set()
            self.transport.close()

    return _Protocol


def _protocol_class(read_timeout_s: float) -> type[Any]:
    return type("_Protocol", (_protocol_base(),), {"read_timeout_s": read_timeout_s})



@functools.cache
def _in_loop_server() -> type[uvicorn.Server]:
    """uvicorn's Server, kept away from signals; uvicorn is imported when a server first starts
    (not at the app's start-up, which does not need it)."""
    import uvicorn

    class InLoopServer(uvicorn.Server):
        def __init__(self, config: uvicorn.Config) -> None:
            super().__init__(config)
            self.ready = asyncio.Event()
            #: set with should_exit: stop now, not at uvicorn's next 0.1 s tick
            self.exit_now = asyncio.Event()

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield  # the host application owns signals

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            self.ready.set()

        async def main_loop(self) -> None:
            # uvicorn's loop, but its 0.1 s sleep ends as soon as stopping is asked for
            counter = 0
            should_exit = await self.on_tick(counter)
            while not should_exit:
                counter = (counter + 1) % 864000
                # waited for in this task (asyncio.timeout), not in one wait_for makes per tick: a
                # stop could cancel that task before its first step, leaving its coroutine never
                # awaited (a RuntimeWarning at random in the test suite)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.1):
                        await self.exit_now.wait()
                should_exit = await self.on_tick(counter)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            if not self.force_exit:
                await super().shutdown(sockets)
                return
            # ServerRunner.stop: every connection was aborted and its task cancelled already, so
            # there is nothing to wait for (uvicorn's own shutdown sleeps 0.1 s to let them finish)
            for server in self.servers:
                server.close()
            for sock in sockets or []:
                sock.close()
            for connection in list(self.server_state.connections):
                connection.shutdown()

    return InLoopServer


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port), or a one-sentence error."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        # checked here: getaddrinfo wraps 70000 round to 4464 and blames the host for -1
        raise ServerStartError(f"The port must be a whole number from 0 to 65535 (0: any free port), not {port}.")
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
                 ssl_context: ssl.SSLContext | None = None, *,
                 read_timeout_s: float = REQUEST_READ_TIMEOUT_S) -> None:
        self.app = app
        self.host = host
        self.requested_port = port
        self.ssl_context = ssl_context
        self.read_timeout_s = read_timeout_s
        self._server: Any = None  # an _in_loop_server() once started
        self._task: asyncio.Task[None] | None = None
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
        # (no await from here until the serving task is made: a second start meanwhile finds it
        # running instead of binding a second socket)
        sock = bind_socket(self.host, self.requested_port)
        self._socket = sock
        self.port = sock.getsockname()[1]
        import uvicorn

        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="off", server_header=False,
            timeout_graceful_shutdown=1, timeout_keep_alive=5, loop="none", ws="none", interface="asgi3",
            proxy_headers=False, http=_protocol_class(self.read_timeout_s),
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

    def requests_in_flight(self) -> list[asyncio.Task[None]]:
        """The tasks answering requests now (uvicorn's own record of them, kept per server)."""
        if self._server is None:
            return []
        return [task for task in self._server.server_state.tasks if not task.done()]

    def abort_connections(self) -> None:
        """Close every open connection now; requests being answered see their client gone."""
        if self._server is None:
            return
        for connection in list(self._server.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()

    async def stop(self) -> None:
        """Stop accepting, close open connections, and wait until everything is released."""
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        self._server.force_exit = True  # do not wait for keep-alive clients to leave
        self._server.exit_now.set()
        # Requests still being answered (a stalled or delayed mock response) end now, so that
        # nothing is left pending on the loop.
        self.abort_connections()
        state = self._server.server_state
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


class LoopThread:
    """A plain asyncio loop running in a daemon thread of its own, for a server that must not
    share the caller's loop. Coroutines are handed to it with :meth:`run` from another loop;
    :meth:`aclose` stops the loop and waits for the thread to end."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            # anything still scheduled (a start cancelled half-way) ends before the loop closes
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on this thread's loop and await its result from the caller's loop
        (cancelling the caller cancels it there)."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    async def aclose(self, timeout: float = 5.0) -> None:
        """Stop the loop and wait (up to ``timeout``) for the thread to end: in a thread of its
        own, never on the caller's (the UI's) thread, which a slow end would freeze."""
        if not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                self.loop.call_soon_threadsafe(self.loop.stop)
        if threading.current_thread() is not self._thread and self._thread.is_alive():
            await in_own_thread(self._thread.join, timeout, name="prepull-mock-join")
