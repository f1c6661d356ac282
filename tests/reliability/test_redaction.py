"""Secrets never leave in plain text (issue 11 item 2): a server that echoes the token, the code,
the address's password and its own token everywhere it can, driven through the real client,
stored in a real Store, exported (core/har.py and `history export`), printed (`fetch`), logged
(the mock server's `serve` line and request log). Every encoding of every secret: zero hits.
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
from urllib.parse import quote

import httpx
import pytest_asyncio

from tests.support.leaky import (
    APPID,
    BASE_TOKEN,
    PASSWORD,
    PLAIN_TOKEN,
    TOKEN,
    USER,
    make_leaky_app,
    session_key_for,
)
from tests.support.secrets import leaks
from workbench.core.client import PrefetchClient
from workbench.core.har import REDACTED, dumps, export_har
from workbench.core.protocol import Identity, Launch, PrefetchRequest, generate_code
from workbench.core.store import Store
from workbench.mockserver.runner import ServerRunner
from workbench.mockserver.server import dump_log

CODE = generate_code()
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
#: Everything that must never appear: the secrets, the session keys handed out for them, the
#: Authorization header derived from the address's userinfo.
SECRETS = (TOKEN, PLAIN_TOKEN, BASE_TOKEN, PASSWORD, CODE, BASIC,
           *(session_key_for(s) for s in (TOKEN, PLAIN_TOKEN, CODE)))


@pytest_asyncio.fixture
async def leaky():
    runner = ServerRunner(make_leaky_app(), "127.0.0.1", 0)
    url = await runner.start()
    yield url
    await runner.stop()


def with_userinfo(base: str, path: str) -> str:
    """The base address with user:password@ and a token in its own query."""
    host = base.removeprefix("http://")
    return f"http://{USER}:{quote(PASSWORD, safe='')}@{host}{path}?token={BASE_TOKEN}&v=1"


async def record_leaks(store: Store, leaky: str) -> None:
    """Three pre-pulls whose responses echo their secrets: a redirect (not cached) for a token
    with every special character, a cached 200 for a plain token, a redirect for a login code."""
    requests = [
        PrefetchRequest(url=with_userinfo(leaky, "/leak/302"), appid=APPID, identity=Identity(token=TOKEN),
                        launch=Launch(path="pages/a", query=f"ref=/share?token={quote(TOKEN, safe='')}", scene=1047)),
        PrefetchRequest(url=leaky + "/leak/200", appid=APPID, identity=Identity(token=PLAIN_TOKEN),
                        launch=Launch(path="pages/b", query="id=1", scene=1001)),
        PrefetchRequest(url=with_userinfo(leaky, "/leak/302"), appid=APPID, identity=Identity(code=CODE)),
    ]
    async with PrefetchClient() as client:
        for request in requests:
            store.add_outcome(await client.prefetch(request), source="test", user="alice")


def base64_contents(har: dict) -> str:
    return "".join(base64.b64decode(e["response"]["content"]["text"]).decode("utf-8", "replace")
                   for e in har["log"]["entries"] if e["response"]["content"].get("encoding") == "base64")


async def run_cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "workbench", *args,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode(), err.decode()


async def test_the_server_really_echoes_every_secret_everywhere(leaky, store):
    """The premise: with --include-secrets, the export holds each secret where the server put it."""
    await record_leaks(store, leaky)
    har = export_har([store.history(i) for i in store.history_ids()], include_secrets=True)
    redirect = har["log"]["entries"][0]
    headers = {h["name"].lower(): h["value"] for h in redirect["response"]["headers"]}
    assert TOKEN in headers["x-echo-token"] and quote(TOKEN, safe="") in headers["set-cookie"]
    assert quote(TOKEN, safe="") in redirect["response"]["redirectURL"]
    assert quote(TOKEN, safe="") in redirect["comment"]  # the redirect reason quotes the Location
    url = redirect["request"]["url"]
    assert f"{USER}:{quote(PASSWORD, safe='')}@" in url and BASE_TOKEN in url
    assert BASIC in headers["x-echo-auth"] and PASSWORD in redirect["response"]["content"]["text"]
    assert session_key_for(TOKEN) in redirect["response"]["content"]["text"]
    assert len(leaks(dumps(har), *SECRETS)) > len(SECRETS)


async def test_p4_har_export_holds_no_secret_in_any_encoding(leaky, store):
    await record_leaks(store, leaky)
    har = export_har([store.history(i) for i in store.history_ids()])
    text = dumps(har)
    assert leaks(text, *SECRETS) == []
    assert leaks(json.dumps(har), *SECRETS) == []  # ASCII-escaped JSON too
    assert leaks(base64_contents(har), *SECRETS) == []
    redirect = har["log"]["entries"][0]
    assert REDACTED in redirect["response"]["redirectURL"] and REDACTED in redirect["comment"]
    assert redirect["request"]["url"].startswith(f"http://{REDACTED}:{REDACTED}@127.0.0.1:")
    assert {"name": "token", "value": REDACTED} in redirect["request"]["queryString"]
    assert redirect["_prepull"]["redacted"] is True


async def test_p4_history_export_command_holds_no_secret(leaky, workspace, tmp_path):
    store = Store.in_workspace(workspace)
    try:
        await record_leaks(store, leaky)
    finally:
        store.close()
    har = tmp_path / "out.har"
    code, out, err = await run_cli("history", "export", "--har", str(har), "--workspace", str(workspace))
    assert code == 0, err
    text = har.read_text(encoding="utf-8")
    assert leaks(text + out + err, *SECRETS) == []
    assert leaks(base64_contents(json.loads(text)), *SECRETS) == []
    assert len(json.loads(text)["log"]["entries"]) == 3


async def test_p4_fetch_output_holds_no_secret_unless_asked(leaky, workspace):
    common = ("--appid", APPID, "--workspace", str(workspace))
    outputs = []
    for extra in ((), ("--json",)):
        code, out, err = await run_cli("fetch", with_userinfo(leaky, "/leak/302"), "--token", TOKEN,
                                       "--query", f"ref=/s?token={quote(TOKEN, safe='')}", *common, *extra)
        assert code == 1, err  # a redirect is not cached (P11)
        outputs.append(out + err)
        code, out, err = await run_cli("fetch", leaky + "/leak/200", "--token", PLAIN_TOKEN, *common, *extra)
        assert code == 0, err
        outputs.append(out + err)
    assert leaks("".join(outputs), *SECRETS) == []
    assert "token=••••••8e7d" in outputs[0]  # masked: the last four characters tell tokens apart
    code, out, _ = await run_cli("fetch", leaky + "/leak/200", "--token", PLAIN_TOKEN, *common, "--show-secrets")
    assert code == 0 and PLAIN_TOKEN in out


async def test_mock_server_log_line_and_request_log_hold_no_secret(mock):
    """The `serve` line (dump_log) and the request log's detail pane, for a pre-pull whose launch
    quotes the token and for a code2session call (js_code, AppSecret, the session_key answered)."""
    from workbench.ui.request_log import describe

    records = []
    mock.listeners.append(records.append)
    code = mock.issue_code("alice")
    app_secret = "appsecret-0f9e8d7c6b5a"
    request = PrefetchRequest(url=mock.url("main"), appid=APPID, identity=Identity(token="token-alice"),
                              launch=Launch(path="pages/a?token=token-alice",
                                            query="ref=/share?token=token-alice&from=qr", scene=1047))
    async with PrefetchClient() as client:
        outcome = await client.prefetch(request)
        assert outcome.status == 200
        answer = await client.http.get(f"{mock.base_url}{mock.config.code2session_path}",
                                       params={"appid": APPID, "secret": app_secret, "js_code": code,
                                               "grant_type": "authorization_code"})
    session_key = answer.json()["session_key"]
    assert len(records) == 2
    secrets = ("token-alice", code, app_secret, session_key)
    lines = "\n".join(dump_log(r) for r in records)
    assert leaks(lines, *secrets) == []
    assert "••••••lice" in lines and 'rule=' in lines
    details = "\n".join(describe(r, show_secrets=False) for r in records)
    assert leaks(details, *secrets) == []
    shown = "\n".join(describe(r, show_secrets=True) for r in records)
    assert all(s in shown for s in secrets)


async def test_a_masked_view_of_a_userinfo_address_keeps_the_host(leaky):
    """The composer preview of an address with user:password@ and its own token."""
    from workbench.core import redact

    request = PrefetchRequest(url=with_userinfo(leaky, "/leak/200"), appid=APPID, identity=Identity(token=TOKEN))
    shown = redact.for_request(request).url(request.full_url())
    assert leaks(shown, TOKEN, BASE_TOKEN, PASSWORD) == []
    assert shown.startswith("http://••••••••:••••••rd!x@127.0.0.1:") and "/leak/200?token=" in shown
    async with httpx.AsyncClient() as client:  # the real URL still works
        assert (await client.get(request.full_url())).status_code == 200


async def test_coldstart_output_holds_no_secret(leaky, workspace):
    common = ("--appid", APPID, "--workspace", str(workspace), "--package-ms", "1")
    # the first launch caches the body; the next ones read it while their own pre-pull runs (P17)
    code, out, err = await run_cli("coldstart", leaky + "/leak/200", "--token", PLAIN_TOKEN, *common)
    outputs = [out + err]
    for extra in ((), ("--json",)):
        code, out, err = await run_cli("coldstart", leaky + "/leak/200", "--token", PLAIN_TOKEN, *common, *extra)
        assert code == 0, err
        outputs.append(out + err)
    assert leaks("".join(outputs), *SECRETS) == []
    assert "••••••6789" in outputs[1]  # the echoed token, masked in what onLaunch read


async def test_a_refused_address_is_quoted_without_its_secrets(workspace):
    """The one-sentence error quotes the address; its password and token stay hidden. (A '#'
    fragment is refused before anything is sent, by every version.)"""
    url = f"http://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:9/p?token={BASE_TOKEN}#frag"
    code, out, err = await run_cli("fetch", url, "--appid", APPID, "--workspace", str(workspace))
    assert code == 2 and "fragment" in err
    assert leaks(out + err, PASSWORD, BASE_TOKEN) == []
