"""Traffic runs send each cold start on a fresh connection through OneShotTransport (issue 13:
a third of httpcore's CPU time). Every verdict, timing and byte sent must be what the composer's
pooled client gives for the same response (P1-P13)."""

from __future__ import annotations

import gzip
import socket

import pytest
from starlette.applications import Starlette
from starlette.responses import Response, StreamingResponse
from starlette.routing import Mount, Route

from tests.support.qt_async import until
from tests.support.servers import APPID, make_app
from workbench.core.client import PrefetchClient
from workbench.core.protocol import Identity, Launch, PrefetchRequest, ProtocolSettings
from workbench.core.transport import OneShotTransport
from workbench.mockserver.runner import ServerRunner


async def gzipped(request):
    return Response(gzip.compress(b'{"ok": true}'), headers={"content-encoding": "gzip"},
                    media_type="application/json")


async def chunked(request):
    async def parts():
        for part in (b'{"a": ', b"1", b"}"):
            yield part

    return StreamingResponse(parts(), media_type="application/json")


async def cut_short(scope, receive, send):
    """Promises 100 bytes, sends 10, closes: an incomplete response."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
    await send({"type": "http.response.body", "body": b"x" * 10, "more_body": True})
    raise ConnectionAbortedError


def app() -> Starlette:
    base = make_app()
    base.router.routes.extend([Route("/gzip", gzipped), Route("/chunked", chunked), Mount("/cut", app=cut_short)])
    return base


@pytest.fixture
async def runner():
    server = ServerRunner(app(), "127.0.0.1", 0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def url(runner):
    return runner.url


async def both(target: str, settings: ProtocolSettings | None = None, **kw):
    """The outcome of the same request through the pooled client and through OneShotTransport."""
    request = PrefetchRequest(url=target, appid=APPID, identity=Identity(token="tok"), timestamp_ms=1700000000000,
                              launch=Launch(path="pages/a", query="a=1&b=中", scene=1047), **kw)
    async with PrefetchClient(settings) as pooled, PrefetchClient(settings, keepalive=False) as one_shot:
        assert isinstance(one_shot.http._transport, OneShotTransport)
        return await pooled.prefetch(request), await one_shot.prefetch(request)


def same(a, b) -> None:
    assert a.sent == b.sent  # the very same request line and headers
    assert (a.status, a.reason_phrase, a.http_version) == (b.status, b.reason_phrase, b.http_version)
    assert a.body == b.body and a.body_size == b.body_size
    assert [(k, v) for k, v in a.headers if k != "date"] == [(k, v) for k, v in b.headers if k != "date"]
    assert [r.code for r in a.verdict.reasons] == [r.code for r in b.verdict.reasons]
    assert a.verdict.cached == b.verdict.cached


@pytest.mark.parametrize("path", ["/echo", "/status/204", "/status/503", "/redirect", "/size/262145", "/latin1",
                                  "/gzip", "/chunked", "/cut/"])
async def test_p11_p13_verdicts_are_the_same_as_the_pooled_clients(url, path):
    pooled, one_shot = await both(url + path)
    same(pooled, one_shot)
    if path == "/echo":
        assert one_shot.body.decode() == one_shot.request.query_string()  # P1-P8: exactly what was shown
    if path == "/gzip":
        assert one_shot.body == b'{"ok": true}'  # decoded as httpx decodes it
    if path == "/cut/":
        assert [r.code for r in one_shot.verdict.reasons] == ["incomplete"]


async def test_timings_come_from_the_same_trace_events(url):
    _, outcome = await both(url + "/echo")
    t = outcome.timings
    assert t.total_ms >= t.first_byte_ms >= t.connect_ms > 0


async def test_p11_timeout_refused_and_tls_failures_are_reasons(url):
    pooled, one_shot = await both(url + "/slow?s=30", ProtocolSettings(timeout_s=0.3))
    same(pooled, one_shot)
    assert [r.code for r in one_shot.verdict.reasons] == ["timeout"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pooled, one_shot = await both(f"http://127.0.0.1:{port}/prefetch")
    same(pooled, one_shot)
    assert [r.code for r in one_shot.verdict.reasons] == ["refused"]
    pooled, one_shot = await both(url.replace("http://", "https://") + "/echo")  # TLS to a plain-HTTP server
    same(pooled, one_shot)


async def test_https_with_a_trusted_local_certificate():
    from workbench.mockserver.tls import make_local_tls

    tls = make_local_tls()
    runner = ServerRunner(app(), "127.0.0.1", 0, ssl_context=tls.server_context)
    base = await runner.start()
    try:
        async with PrefetchClient(keepalive=False, verify=tls.client_context) as client:
            outcome = await client.prefetch(PrefetchRequest(url=base + "/echo", appid=APPID,
                                                            identity=Identity(token="tok")))
    finally:
        await runner.stop()
    assert outcome.status == 200 and outcome.verdict.cached
    assert outcome.timings.connect_ms is not None


async def test_the_connection_is_closed_after_each_request(runner, url):
    """One connection per cold start, as separate devices: none stays open afterwards."""
    connections = runner._server.server_state.connections  # uvicorn's set of live connections
    async with PrefetchClient(keepalive=False) as client:
        for _ in range(3):
            outcome = await client.prefetch(PrefetchRequest(url=url + "/echo", appid=APPID,
                                                            identity=Identity(token="t")))
            assert outcome.verdict.cached
            await until(lambda: not connections, timeout=5)  # the server sees the close on its next turns


async def test_httpcore_finds_sniffio_instead_of_scanning_sys_path_on_every_request(url):
    """httpcore runs `import sniffio` several times per request; missing, each is a sys.path scan
    (~30 µs): issue 13 measured a fifth of a traffic run's time there. It is a dependency now."""
    import importlib.util
    import sys

    assert importlib.util.find_spec("sniffio") is not None
    async with PrefetchClient() as client:  # the pooled client: httpcore's own locks
        await client.prefetch(PrefetchRequest(url=url + "/echo", appid=APPID, identity=Identity(token="t")))
    assert "sniffio" in sys.modules
