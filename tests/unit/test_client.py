"""The client against a real uvicorn server on 127.0.0.1: verdicts and reasons (P11-P13)."""

from __future__ import annotations

import socket

import pytest

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.protocol import Identity, Launch, PrefetchRequest, ProtocolSettings


def request(url: str, **kw) -> PrefetchRequest:
    kw.setdefault("identity", Identity(token="tok"))
    return PrefetchRequest(url=url, appid=APPID, **kw)


async def prefetch(url: str, settings: ProtocolSettings | None = None, **kw):
    async with PrefetchClient(settings) as client:
        return await client.prefetch(request(url, **kw))


async def test_p1_p8_the_server_receives_exactly_the_request_shown(server):
    req = request(server + "/echo", launch=Launch(path="pages/a", query="a=1&b=中", scene=1047))
    async with PrefetchClient() as client:
        outcome = await client.prefetch(req)
    assert outcome.verdict.cached
    assert outcome.sent.url == outcome.request.full_url()
    assert outcome.body.decode() == outcome.request.query_string()
    assert "query=a%3D1%26b%3D%E4%B8%AD" in outcome.body.decode()
    assert outcome.timings.total_ms >= outcome.timings.first_byte_ms >= outcome.timings.connect_ms > 0


async def test_p11_2xx_is_cached(server):
    outcome = await prefetch(server + "/status/204")
    assert outcome.status == 204 and outcome.verdict.cached and outcome.verdict.reasons == ()


@pytest.mark.parametrize("code", [404, 500, 503])
async def test_p11_non_2xx_is_not_cached(server, code):
    outcome = await prefetch(server + f"/status/{code}")
    assert not outcome.verdict.cached
    assert [r.code for r in outcome.verdict.reasons] == ["status"]
    assert f"answered {code}" in outcome.verdict.messages[0]


async def test_p11_redirects_are_not_followed(server):
    outcome = await prefetch(server + "/redirect")
    assert outcome.status == 302
    assert [r.code for r in outcome.verdict.reasons] == ["redirect"]
    assert "/echo" in outcome.verdict.messages[0]


async def test_p12_262144_bytes_is_cached(server):
    outcome = await prefetch(server + "/size/262144")
    assert outcome.verdict.cached and outcome.body_size == 262_144
    assert outcome.fetched_data == "x" * 262_144


async def test_p12_262145_bytes_is_not_cached(server):
    outcome = await prefetch(server + "/size/262145")
    assert not outcome.verdict.cached
    assert [r.code for r in outcome.verdict.reasons] == ["too_large"]
    assert "262,145 bytes" in outcome.verdict.messages[0]
    assert outcome.fetched_data is None


async def test_p12_limit_is_a_setting(server):
    outcome = await prefetch(server + "/size/2000", ProtocolSettings(max_body_bytes=1000))
    assert [r.code for r in outcome.verdict.reasons] == ["too_large"]


async def test_p13_non_utf8_is_not_cached(server):
    outcome = await prefetch(server + "/latin1")
    assert outcome.status == 200
    assert [r.code for r in outcome.verdict.reasons] == ["not_utf8"]


async def test_p11_slow_server_hits_the_timeout(server):
    outcome = await prefetch(server + "/slow?s=30", ProtocolSettings(timeout_s=0.3))
    assert not outcome.verdict.cached
    assert [r.code for r in outcome.verdict.reasons] == ["timeout"]
    assert "0.3 s timeout" in outcome.verdict.messages[0]
    assert 250 <= outcome.timings.total_ms < 5000


async def test_refused_port_becomes_a_reason_not_an_exception():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    outcome = await prefetch(f"http://127.0.0.1:{port}/prefetch")
    assert outcome.status is None and not outcome.verdict.cached
    assert [r.code for r in outcome.verdict.reasons] == ["refused"]
    assert "refused" in outcome.verdict.messages[0]


async def test_tls_failure_becomes_a_reason(server):
    # The test server speaks plain HTTP: a TLS handshake with it fails.
    https = server.replace("http://", "https://")
    outcome = await prefetch(https + "/echo")
    assert [r.code for r in outcome.verdict.reasons] == ["tls"]
    assert "TLS" in outcome.verdict.messages[0]


async def test_a_cookie_one_pre_pull_was_given_is_not_sent_with_the_next():
    """WeChat's servers send each pre-pull on their own, for users who share nothing: a Set-Cookie
    in one answer (one user's session, say) must not ride along with the next user's pre-pull.
    httpx keeps a cookie jar per client; the client shared by the composer and a traffic run did,
    so every later cold start carried the first user's cookie."""
    import httpx

    seen: list[str | None] = []

    def answer(req: httpx.Request) -> httpx.Response:
        seen.append(req.headers.get("cookie"))
        return httpx.Response(200, text="{}", headers={"set-cookie": "session=alice-secret; Path=/"})

    async with PrefetchClient(transport=httpx.MockTransport(answer)) as client:
        first = await client.prefetch(request("http://127.0.0.1:9/prefetch", identity=Identity(token="alice")))
        second = await client.prefetch(request("http://127.0.0.1:9/prefetch", identity=Identity(token="bob")))
    assert seen == [None, None]
    assert dict(first.headers).get("set-cookie", "").startswith("session=")  # still shown in the response
    assert not any(k.lower() == "cookie" for k, _ in second.sent.headers)
