"""The pre-pull client: sends one request as WeChat would and judges whether it gets cached.

Every outcome, even a refused connection, comes back as an :class:`Outcome` whose verdict says
in words why the body was or was not cached (P11-P13). Nothing on the network escapes as an
exception; only cancellation by the caller propagates.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
import time
from typing import TYPE_CHECKING, Any

from workbench.core.model import REASON_TEMPLATES, LimitBasis, Outcome, Reason, SentRequest, Timings, Verdict
from workbench.core.protocol import DEFAULT_USER_AGENT, PrefetchRequest, ProtocolSettings, plain_http_host

if TYPE_CHECKING:
    import httpx

__all__ = ["REASON_TEMPLATES", "Outcome", "PrefetchClient", "Reason", "SentRequest", "Timings", "Verdict"]

USER_AGENT = DEFAULT_USER_AGENT
#: A body is read up to this size and no further: no verdict needs more (over 256 KB is never
#: cached, P12) and the viewers show 2 MiB at most. Reading stops there, so a 10 MB body or a gzip
#: bomb costs 2 MiB; the outcome says it was cut, with the real size when Content-Length gives it.
STORE_BODY_CAP = 2 * 1024 * 1024


def _kib(n: int) -> str:
    return f"{n:,} bytes ({n / 1024:.1f} KB)"


def judge(
    status: int | None,
    headers: httpx.Headers | None,
    body: bytes,
    body_size: int,
    settings: ProtocolSettings,
    wire_size: int | None = None,
    *,
    cut: bool = False,
    size_known: bool = True,
) -> list[Reason]:
    """The reasons a received response is not cached (P11-P13); empty means cached.

    ``body_size`` is the decoded body, ``wire_size`` the bytes received (they differ when the
    server compressed it); ``settings.limit_applies_to`` says which one the limit counts. ``cut``:
    only the start of the body was read (``size_known``: ``body_size`` is still its real size).
    """
    reasons: list[Reason] = []
    if status is None:
        return reasons
    if settings.require_2xx:
        if 300 <= status < 400:
            location = headers.get("location", "") if headers is not None else ""
            reasons.append(Reason.of("redirect", status=status, where=f" to {location}" if location else ""))
        elif not 200 <= status < 300:
            reasons.append(Reason.of("status", status=status))
    reasons.extend(_size_reasons(body_size, wire_size, settings, size_known))
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not (cut and exc.reason == "unexpected end of data"):  # a character split by the cut is fine
            reasons.append(Reason.of("not_utf8", offset=exc.start))
    return reasons


def _size_reasons(body_size: int, wire_size: int | None, settings: ProtocolSettings,
                  size_known: bool = True) -> list[Reason]:
    """P12: the body over the limit, counted as the setting says (decoded or on the wire)."""
    limit = settings.body_limit_bytes
    if settings.limit_applies_to is LimitBasis.WIRE and wire_size is not None and wire_size != body_size:
        if wire_size > limit:
            return [Reason.of("too_large_wire", size=_kib(wire_size), limit=_kib(limit))]
        return []
    if body_size > limit:
        key = "too_large" if size_known else "too_large_cut"
        return [Reason.of(key, size=_kib(body_size), limit=_kib(limit))]
    return []


def _declared_size(response: httpx.Response) -> int | None:
    """The body's size from Content-Length, when that is the size of the bytes read (no encoding)."""
    if response.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
        return None
    try:
        size = int(response.headers.get("content-length", ""))
    except ValueError:
        return None
    return size if size >= 0 else None


def _cause_chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def classify_network_error(exc: BaseException, request: PrefetchRequest, timeout_s: float) -> Reason:
    """One sentence for a request that got no complete response."""
    import httpx

    host = httpx.URL(request.url).host
    port = httpx.URL(request.url).port
    where = f"{host}:{port}" if port else host
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return Reason.of("timeout", timeout=f"{timeout_s:g}")
    if isinstance(exc, httpx.DecodingError):
        return Reason.of("decoding", detail=str(exc) or type(exc).__name__)
    chain = _cause_chain(exc)
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return Reason.of("tls_certificate", where=where, detail=cause.verify_message)
        if isinstance(cause, ssl.SSLError):
            return Reason.of("tls_handshake", where=where, detail=cause.reason or cause)
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return Reason.of("refused", where=where)
        if isinstance(cause, socket.gaierror):
            return Reason.of("dns", host=host)
    text = str(exc) or type(exc).__name__
    if "certificate" in text.lower() or "ssl" in text.lower():
        return Reason.of("tls_handshake", where=where, detail=text)
    if isinstance(exc, httpx.RemoteProtocolError):
        return Reason.of("incomplete", detail=text)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return Reason.of("reset", where=where, detail=text)
    if isinstance(exc, httpx.ConnectError):
        return Reason.of("connect", where=where, detail=text)
    return Reason.of("network", detail=text)


class _Trace:
    """Collects httpcore trace events (monotonic seconds) to derive connect and first-byte times."""

    def __init__(self) -> None:
        self.events: dict[str, float] = {}

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        self.events.setdefault(name, time.perf_counter())


class PrefetchClient:
    """One shared :class:`httpx.AsyncClient` that sends pre-pulls the way WeChat does."""

    def __init__(
        self,
        settings: ProtocolSettings | None = None,
        *,
        verify: ssl.SSLContext | bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        keepalive: bool = True,
    ) -> None:
        self.settings = settings or ProtocolSettings()
        #: What certificates it trusts (kept so a client with new settings can trust the same).
        self.verify = verify
        self._transport = transport
        self._keepalive = keepalive
        self._client: httpx.AsyncClient | None = None
        self._closed = False

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client, made on first use: importing httpx and building its TLS context cost
        ~70 ms that the app's start-up need not pay."""
        if self._client is None:
            if self._closed:
                raise RuntimeError("This PrefetchClient has been closed.")
            import httpx

            from workbench.core.transport import NoCookieJar, OneShotTransport

            transport = self._transport
            if transport is None and not self._keepalive:
                # One connection per cold start, as separate devices would, at a third of the
                # CPU time of httpcore's pool, without its pooled-connection race (below).
                transport = OneShotTransport(self.verify)
            self._client = httpx.AsyncClient(
                cookies=NoCookieJar(),  # no cookie carried from one pre-pull (one user) to the next
                follow_redirects=self.settings.follow_redirects,
                timeout=httpx.Timeout(self.settings.timeout_s),
                verify=self.verify,
                trust_env=False,
                transport=transport,
                # keepalive=False (traffic runs: many concurrent cold starts) opens a connection per request:
                # with a busy keep-alive pool a queued request can hang until its timeout when the pool
                # closes the idle connection it was just given (encode/httpcore#1110, open).
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=256 if self._keepalive else 0),
                headers=self.settings.request_headers(),
            )
        return self._client

    async def aclose(self) -> None:
        self._closed = True
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> PrefetchClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def prefetch(self, request: PrefetchRequest) -> Outcome:
        """Send ``request`` once and judge the response. Never raises for network trouble."""
        import httpx

        client = self.http
        request, url_text = request.sendable()
        url = httpx.URL(url_text)  # canonical: the bytes sent are the bytes shown
        http_request = client.build_request("GET", url)
        trace = _Trace()
        http_request.extensions["trace"] = trace
        sent = SentRequest(
            method="GET",
            url=str(http_request.url),
            params=tuple(request.params()),
            headers=tuple((k, v) for k, v in http_request.headers.items()),
        )
        settings = self.settings
        started_wall = int(time.time() * 1000)
        t0 = time.perf_counter()
        response: httpx.Response | None = None
        chunks: list[bytes] = []
        size = 0
        truncated = False
        error: BaseException | None = None
        try:
            async with asyncio.timeout(settings.timeout_s):
                try:
                    response = await client.send(http_request, stream=True)
                except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                    if "connection.connect_tcp.started" in trace.events:
                        raise
                    # A pooled keep-alive connection the server had just closed: the request never
                    # reached it. Send it once more on a fresh connection (not a server failure).
                    trace.events.clear()
                    http_request = client.build_request("GET", url)
                    http_request.extensions["trace"] = trace
                    response = await client.send(http_request, stream=True)
                cap = max(STORE_BODY_CAP, settings.max_body_bytes + 1)  # a cached body is always whole
                try:
                    async for chunk in response.aiter_bytes():
                        if truncated:
                            continue  # what was already buffered, until the closed connection ends the stream
                        room = cap - size
                        size += len(chunk)
                        if len(chunk) > room:
                            # enough: stop reading by closing the connection. Not by leaving the loop: that
                            # would leave httpx's nested generators to the garbage collector, which closes
                            # them outside the event loop (with an error under qasync)
                            chunks.append(chunk[:room])
                            truncated = True
                            await response.aclose()
                        else:
                            chunks.append(chunk)
                except (httpx.HTTPError, OSError):
                    if not truncated:
                        raise
                finally:
                    await response.aclose()
        except (httpx.HTTPError, TimeoutError, OSError, ssl.SSLError) as exc:
            error = exc
        t_end = time.perf_counter()
        finished_wall = int(time.time() * 1000)
        body = b"".join(chunks)
        size_known = True
        if truncated and response is not None:
            declared = _declared_size(response)
            size_known = declared is not None and declared >= size
            size = declared if size_known else size  # type: ignore[assignment]

        def since(name: str) -> float | None:
            t = trace.events.get(name)
            return None if t is None else round((t - t0) * 1000, 3)

        connect = since("connection.start_tls.complete") or since("connection.connect_tcp.complete")
        if connect is None and response is not None:
            connect = 0.0  # the pooled connection was reused
        first_byte = since("http11.receive_response_headers.complete") or since(
            "http2.receive_response_headers.complete")
        timings = Timings(connect_ms=connect, first_byte_ms=first_byte, total_ms=round((t_end - t0) * 1000, 3))

        wire_size = response.num_bytes_downloaded if response is not None else 0
        if error is not None:
            reasons = [classify_network_error(error, request, settings.timeout_s)]
            if response is not None:
                reasons.extend(_size_reasons(size, wire_size, settings))
        else:
            assert response is not None
            reasons = judge(response.status_code, response.headers, body, size, settings, wire_size, cut=truncated,
                            size_known=size_known)
        host = plain_http_host(request.url)
        if host is not None:
            # P10: sent on purpose for local work, but WeChat would never send it
            reasons.insert(0, Reason.of("plain_http", host=host))
        return Outcome(
            request=request,
            sent=sent,
            started_ms=started_wall,
            finished_ms=finished_wall,
            status=response.status_code if response is not None else None,
            reason_phrase=response.reason_phrase if response is not None else "",
            http_version=response.http_version if response is not None else "",
            headers=tuple(response.headers.multi_items()) if response is not None else (),
            body=body,
            body_size=size,
            wire_size=wire_size,
            body_truncated=truncated,
            timings=timings,
            verdict=Verdict(cached=not reasons, reasons=tuple(reasons)),
        )
