"""P10: plain http to a host other than loopback is sent with a visible warning, not refused,
and the verdict says WeChat would not accept the address. No request leaves the machine: the
"remote" host is served by httpx.MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.servers import APPID
from workbench.cli import main
from workbench.core.client import PrefetchClient
from workbench.core.model import REASON_TEMPLATES
from workbench.core.protocol import Identity, PrefetchRequest

REMOTE = "http://dev.example.test/prefetch"


def transport(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text='{"ok": true}')

    return httpx.MockTransport(handle)


async def test_p10_plain_http_elsewhere_is_sent_and_the_verdict_says_wechat_would_not():
    seen: list[httpx.Request] = []
    async with PrefetchClient(transport=transport(seen)) as client:
        outcome = await client.prefetch(PrefetchRequest(url=REMOTE, appid=APPID, identity=Identity(token="t")))
    assert len(seen) == 1 and seen[0].url.host == "dev.example.test"
    assert outcome.status == 200 and not outcome.verdict.cached
    assert [r.code for r in outcome.verdict.reasons] == ["plain_http"]
    assert outcome.verdict.messages[0].startswith("WeChat would not accept this address")
    assert "plain_http" in REASON_TEMPLATES


async def test_p10_https_and_loopback_http_get_no_such_reason():
    seen: list[httpx.Request] = []
    async with PrefetchClient(transport=transport(seen)) as client:
        for url in ("https://dev.example.test/p", "http://127.0.0.1:9/p", "http://localhost/p"):
            outcome = await client.prefetch(PrefetchRequest(url=url, appid=APPID, identity=Identity(token="t")))
            assert outcome.verdict.cached, url
    assert len(seen) == 3


@pytest.mark.parametrize("flag", [[], ["--allow-plain-http"]])
def test_p10_fetch_warns_on_stderr_and_sends(flag, workspace, monkeypatch, capsys):
    """`fetch` sends plain http elsewhere with a warning; --allow-plain-http is a no-op that still warns."""
    seen: list[httpx.Request] = []
    import workbench.cli.fetch as fetch_cli

    class Offline(PrefetchClient):
        def __init__(self, *args, **kw) -> None:
            super().__init__(*args, transport=transport(seen), **kw)

    monkeypatch.setattr(fetch_cli, "PrefetchClient", Offline)
    code = main(["fetch", REMOTE, "--appid", APPID, "--token", "t", "--workspace", str(workspace), "--json",
                 *flag])
    captured = capsys.readouterr()
    assert len(seen) == 1
    assert code == 1  # sent, but WeChat would not have: not cached
    assert "warning:" in captured.err and "WeChat would not accept this address" in captured.err
    report = json.loads(captured.out)
    assert report["verdict"]["reasons"][0].startswith("WeChat would not accept this address")
