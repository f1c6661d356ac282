"""An httpx transport that opens one fresh connection per request and closes it after: what a
crowd of separate devices does, at a third of the cost of httpcore's pool.

Traffic runs send thousands of cold starts, each on its own connection. httpcore's pool (with
keep-alive off) spends most of its time in locks, cancel scopes and anyio stream wrappers, and
with keep-alive on a queued request can hang until its timeout when the pool closes the idle
connection it was just given (encode/httpcore#1110). This transport speaks HTTP/1.1 with h11
(httpx's own parser) over plain asyncio streams instead. The request is built by the httpx
client as before, so the bytes on the wire are the same; the response goes back through httpx
(content decoding, redirects when asked); the trace extension gets the events httpcore would
give, so the connect and first-byte timings mean the same thing.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable
from http.cookiejar import Cookie, CookieJar
from typing import Any

import h11
import httpx

#: Bytes asked of the socket at a time.
READ_SIZE = 64 * 1024


class NoCookieJar(CookieJar):
    """A cookie jar that keeps nothing: each pre-pull goes out on its own, as WeChat's servers send
    it for users who share nothing. (httpx keeps every Set-Cookie per client and sends it with the
    next request; it has no switch for that, and this jar is its maintainers' answer, encode/httpx#1359.)"""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None

    def set_cookie(self, cookie: Cookie) -> None:
        return None


class OneShotTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over a new TCP (or TLS) connection per request, closed when the body is read."""

    def __init__(self, verify: ssl.SSLContext | bool = True) -> None:
        self._verify = verify
        self._ssl_context: ssl.SSLContext | None = None

    def ssl_context(self) -> ssl.SSLContext:
        """httpx's own context for ``verify`` (same trust store, same ALPN), made once."""
        if self._ssl_context is None:
            context = self._verify if isinstance(self._verify, ssl.SSLContext) else httpx.create_ssl_context(
                verify=self._verify, trust_env=False)
            context.set_alpn_protocols(["http/1.1"])
            self._ssl_context = context
        return self._ssl_context

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{url.scheme}://'.")
        trace: Callable[[str, dict[str, Any]], Any] | None = request.extensions.get("trace")
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        tls = url.scheme == "https"
        port = url.port or (443 if tls else 80)

        async def event(name: str) -> None:
            if trace is not None:
                await trace(name, {})

        await event("connection.connect_tcp.started")
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                reader, writer = await asyncio.open_connection(
                    url.host, port, ssl=self.ssl_context() if tls else None,
                    server_hostname=url.host if tls else None)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc) or "timed out connecting", request=request) from exc
        except OSError as exc:  # refused, unreachable, DNS, TLS (ssl.SSLError is an OSError)
            raise httpx.ConnectError(str(exc), request=request) from exc
        await event("connection.connect_tcp.complete")
        if tls:
            await event("connection.start_tls.complete")
        connection = h11.Connection(h11.CLIENT)
        exchange = _Exchange(connection, reader, writer, request, timeouts.get("read"))
        try:
            await event("http11.send_request_headers.started")
            writer.write(connection.send(h11.Request(method=request.method, target=url.raw_path,
                                                     headers=list(request.headers.raw))))
            body = b"".join([chunk async for chunk in request.stream])  # type: ignore[union-attr]
            if body:
                writer.write(connection.send(h11.Data(data=body)))
            writer.write(connection.send(h11.EndOfMessage()))
            await writer.drain()
            response = await exchange.response_head()
        except BaseException:
            exchange.close()
            raise
        await event("http11.receive_response_headers.complete")
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=exchange,
            extensions={"http_version": b"HTTP/" + response.http_version, "reason_phrase": response.reason},
        )


class _Exchange(httpx.AsyncByteStream):
    """One request's connection: reads the response head, then streams the body, then closes."""

    def __init__(self, connection: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 request: httpx.Request, read_timeout: float | None) -> None:
        self._connection = connection
        self._reader = reader
        self._writer = writer
        self._request = request
        self._read_timeout = read_timeout

    async def _next_event(self) -> Any:
        while True:
            try:
                event = self._connection.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=self._request) from exc
            if event is not h11.NEED_DATA:
                return event
            try:
                async with asyncio.timeout(self._read_timeout):
                    data = await self._reader.read(READ_SIZE)
            except TimeoutError as exc:
                raise httpx.ReadTimeout(str(exc) or "timed out reading", request=self._request) from exc
            except OSError as exc:
                raise httpx.ReadError(str(exc), request=self._request) from exc
            if not data and self._connection.their_state is h11.SEND_RESPONSE:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                                request=self._request)
            self._connection.receive_data(data)

    async def response_head(self) -> h11.Response:
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Response):
                return event
            if not isinstance(event, h11.InformationalResponse):  # 1xx: wait for the real answer
                raise httpx.RemoteProtocolError(f"Unexpected {type(event).__name__} before the response.",
                                                request=self._request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                return

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()

    async def aclose(self) -> None:
        self.close()
