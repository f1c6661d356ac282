"""Cold starts against the real mock server: what onLaunch reads, when the listener fires (P4,
P5, P16-P19), with timelines from real timings."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.simulator import cold_start
from workbench.mockserver.server import MockServer


async def launch(mock, store, **kw):
    async with PrefetchClient() as client:
        return await cold_start(client, store, mock.url("main"), APPID, "alice", code_factory=mock.issue_code, **kw)


def phase(result, name):
    return next(p for p in result.phases if p.name.startswith(name))


async def test_p16_fast_server_current_data_is_read_in_onlaunch(mock, store):
    mock.rules.default.delay_ms = 300
    result = await launch(mock, store, package_ms=800, token="token-alice")
    assert result.read == "current" and result.read_success
    assert list(result.result) == ["fetchedData", "timeStamp", "path", "query", "scene", "errMsg"]
    assert not result.listener_fired  # P19: it had already arrived when the listener was registered
    request = phase(result, "pre-pull request")
    assert 300 <= request.end_ms < 800 <= phase(result, "package download").end_ms
    assert phase(result, "waiting for the first byte").end_ms >= 300
    assert 290 <= result.saved_ms <= request.end_ms + 1  # the whole request was hidden by the download


async def test_p17_p19_slow_server_previous_entry_then_the_listener_fires(mock, store):
    mock.rules.default.delay_ms = 300
    first = await launch(mock, store, package_ms=100, token="token-alice")
    assert first.read == "none" and not first.read_success  # P18 on Android: nothing cached yet
    assert first.result["errMsg"].startswith("getBackgroundFetchData:fail")
    assert first.listener_fired  # it arrived after onLaunch registered the listener
    mock.rules.default.delay_ms = 2000
    mock.rules.default.body = '{"v": 2}'
    result = await launch(mock, store, package_ms=800, token="token-alice")
    assert result.read == "previous" and result.result["fetchedData"] != '{"v": 2}'
    assert result.listener_fired and result.listener_payload["fetchedData"] == '{"v": 2}'
    assert set(result.listener_payload) == {"fetchType", "fetchedData", "timeStamp", "path", "query", "scene"}
    fires = phase(result, "onBackgroundFetchData fires")
    assert fires.start_ms >= 2000 > phase(result, "onLaunch").start_ms
    assert 700 <= result.saved_ms <= 900  # the package download time was saved


async def test_p12_oversize_body_is_not_read_and_says_why(mock, store):
    mock.rules.default.body = "{{json_bytes:262145}}"
    result = await launch(mock, store, package_ms=300, token="token-alice", platform="ios")
    assert result.read == "none" and result.result["fetchedData"] == ""  # P18 on iOS: success, empty
    assert [r.code for r in result.outcome.verdict.reasons] == ["too_large"]
    assert result.saved_ms == 0 and not result.listener_fired


async def test_p4_p5_p6_code_first_then_the_token_set_in_onlaunch_travels_next_time(mock, store):
    first = await launch(mock, store, package_ms=50, set_token_in_onlaunch="token-alice")
    assert first.identity_kind == "code"  # no token yet: WeChat sends a login code (P4)
    assert "alice" in mock.codes.session_keys  # the code was exchanged: session_key rotated (P6)
    key = mock.codes.session_keys["alice"]
    second = await launch(mock, store, package_ms=50)
    assert second.identity_kind == "token"  # P5: only the launch after setBackgroundFetchToken carries it
    assert dict(second.outcome.sent.params)["token"] == "token-alice"
    assert mock.codes.session_keys["alice"] == key  # a token launch does not rotate the session


async def test_coldstart_cli_json(workspace):
    mock = MockServer()
    await mock.start()
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workbench", "coldstart", mock.url("main"), "--appid", APPID, "--token",
            "token-bob", "--package-ms", "300", "--workspace", str(workspace), "--json",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        await mock.stop()
    assert proc.returncode == 0, err
    report = json.loads(out)
    assert set(report) == {"read", "listener_fired", "result", "phases", "saved_ms"}
    assert report["read"] == "current" and report["result"]["errMsg"] == "getBackgroundFetchData:ok"
    assert {"name", "start_ms", "end_ms"} == set(report["phases"][0])
