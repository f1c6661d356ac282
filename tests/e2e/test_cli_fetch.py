"""`prepull-workbench fetch` as a real process against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from tests.support.servers import APPID
from workbench.core.store import Store


async def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in a subprocess without blocking the loop that serves the test server."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", *args,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode(), err.decode()


async def test_p12_p16_fetch_prints_the_success_object_for_262144_bytes(server, workspace):
    code, out, err = await run_cli("fetch", server + "/size/262144", "--appid", APPID, "--token", "tok-123456789",
                                   "--path", "pages/index", "--query", "a=1&b=中", "--scene", "1047",
                                   "--workspace", str(workspace), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["verdict"] == {"cached": True, "reasons": []}
    assert list(report["result"]) == ["fetchedData", "timeStamp", "path", "query", "scene", "errMsg"]
    assert report["result"]["fetchedData"] == "x" * 262_144
    assert report["result"]["query"] == "a=1&b=中" and report["result"]["scene"] == 1047
    assert report["request"]["params"]["query"] == "a=1&b=中"
    assert "query=a%3D1%26b%3D%E4%B8%AD" in report["request"]["url"]
    # the token is a secret: masked unless asked
    assert "tok-123456789" not in out and report["request"]["params"]["token"].endswith("6789")
    # stored in the workspace
    store = Store.in_workspace(workspace)
    try:
        assert store.history_count() == 1 and store.cache_entry(APPID, "default", "pre").size == 262_144
    finally:
        store.close()


async def test_p12_fetch_exits_1_with_the_size_reason_for_262145_bytes(server, workspace):
    code, out, _ = await run_cli("fetch", server + "/size/262145", "--appid", APPID, "--token", "t",
                                 "--workspace", str(workspace), "--json", "--platform", "android")
    assert code == 1
    report = json.loads(out)
    assert report["verdict"]["cached"] is False
    assert len(report["verdict"]["reasons"]) == 1 and "262,145 bytes" in report["verdict"]["reasons"][0]
    assert report["result"]["errMsg"].startswith("getBackgroundFetchData:fail")  # P18, nothing cached before


async def test_p15_not_cached_fetch_still_prints_the_previous_entry(server, workspace):
    common = ("--appid", APPID, "--token", "t", "--workspace", str(workspace), "--json")
    assert (await run_cli("fetch", server + "/size/3", *common))[0] == 0
    code, out, _ = await run_cli("fetch", server + "/status/500", *common)
    assert code == 1 and json.loads(out)["result"]["fetchedData"] == "xxx"


async def test_p4_without_token_a_fresh_code_is_sent(server, workspace):
    code, out, _ = await run_cli("fetch", server + "/echo", "--appid", APPID, "--workspace", str(workspace),
                                 "--json", "--show-secrets")
    assert code == 0
    params = json.loads(out)["request"]["params"]
    assert "token" not in params and len(params["code"]) == 32
    assert f"code={params['code']}" in json.loads(out)["result"]["fetchedData"]


async def test_human_output_shows_request_verdict_and_read(server, workspace):
    code, out, _ = await run_cli("fetch", server + "/status/404", "--appid", APPID, "--token", "t",
                                 "--workspace", str(workspace), "--platform", "ios")
    assert code == 1
    assert out.startswith("GET " + server + "/status/404?appid=")
    assert "Not cached:" in out and "answered 404" in out
    assert "on ios calls success" in out


@pytest.mark.parametrize("args, message", [
    (["--appid", "wx123"], "'wx' followed by 16 hexadecimal"),
    (["--appid", APPID, "--token", "x" * 1025], "at most 1024"),
    (["--appid", APPID, "--scene", "abc"], "not an integer"),
    (["--appid", APPID, "--token", "a", "--code", "b"], "not allowed with argument"),
])
async def test_bad_input_exits_2_with_one_line_and_no_traceback(server, workspace, args, message):
    code, out, err = await run_cli("fetch", server + "/echo", *args, "--workspace", str(workspace))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


async def test_bad_url_exits_2(workspace):
    # plain http to another host is no longer bad input (P10, tests/unit/test_plain_http.py): never sent here
    for url, message in (("ftp://x/y", "https://"), ("http://127.0.0.1:99999/p", "not a valid URL"),
                         ("http://127.0.0.1/a\tb", "control character")):
        code, _, err = await run_cli("fetch", url, "--appid", APPID, "--workspace", str(workspace))
        assert code == 2 and message in err and err.count("\n") == 1


async def test_history_export_writes_valid_har_with_secrets_redacted_unless_asked(server, workspace, tmp_path):
    from tests.unit.test_har_curl import har_validator

    await run_cli("fetch", server + "/echo", "--appid", APPID, "--token", "secret-tok-99", "--workspace",
                  str(workspace))
    har = tmp_path / "out.har"
    code, _, err = await run_cli("history", "export", "--har", str(har), "--workspace", str(workspace))
    assert code == 0 and "Exported 1 entries" in err and "redacted" in err
    har_validator().validate(json.loads(har.read_text()))
    assert "secret-tok-99" not in har.read_text()
    code, _, _ = await run_cli("history", "export", "--har", str(har), "--workspace", str(workspace),
                               "--include-secrets")
    assert code == 0 and "secret-tok-99" in har.read_text()
    code, _, err = await run_cli("history", "export", "--har", str(tmp_path / "no" / "dir" / "x.har"),
                                 "--workspace", str(workspace))
    assert code == 2 and err.startswith("prepull-workbench: Cannot write") and err.count("\n") == 1
