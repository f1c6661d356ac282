"""`prepull-workbench token get|set`: getBackgroundFetchToken (P20), the 1024 limit (P9), and the
next fetch sending the token that was set (P5)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from tests.e2e.test_cli_fetch import run_cli
from tests.support.servers import APPID


async def token(workspace, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "token", *args, "--user", "alice", "--appid", APPID,
        "--workspace", str(workspace), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(stdin), 60)
    return proc.returncode, out.decode(), err.decode()


async def test_p20_get_fails_until_a_token_is_set_then_returns_it_masked(workspace):
    code, out, _ = await token(workspace, "get", "--json")
    assert code == 1 and json.loads(out) == {
        "errMsg": "getBackgroundFetchToken:fail token not set, maybe you should setBackgroundFetchToken first"}
    assert (await token(workspace, "set", "tok-abcdef123"))[0] == 0
    code, out, _ = await token(workspace, "get", "--json")
    assert code == 0 and json.loads(out)["token"].endswith("f123") and "tok-abcdef123" not in out
    code, out, _ = await token(workspace, "get", "--json", "--show-secrets")
    assert json.loads(out) == {"token": "tok-abcdef123", "errMsg": "getBackgroundFetchToken:ok"}
    code, out, _ = await token(workspace, "get", "--platform", "ios")
    assert code == 0 and "for alice on ios calls success" in out


async def test_p9_a_token_over_1024_characters_is_refused_and_nothing_is_stored(workspace):
    code, _, err = await token(workspace, "set", "x" * 1025)
    assert code == 2 and "at most 1024" in err and err.count("\n") == 1
    assert (await token(workspace, "get"))[0] == 1
    assert (await token(workspace, "set", "-", stdin=b"y" * 1024 + b"\n"))[0] == 0  # exactly 1024, from stdin
    code, out, _ = await token(workspace, "get", "--json", "--show-secrets")
    assert json.loads(out)["token"] == "y" * 1024


async def test_p5_the_next_fetch_sends_the_token_that_was_set(server, workspace):
    assert (await token(workspace, "set", "tok-from-cli"))[0] == 0
    code, out, err = await run_cli("fetch", server + "/echo", "--appid", APPID, "--user", "alice",
                                   "--workspace", str(workspace), "--json", "--show-secrets")
    assert code == 0, err
    params = json.loads(out)["request"]["params"]
    assert params["token"] == "tok-from-cli" and "code" not in params


async def test_token_takes_the_workspaces_appid_by_default(workspace):
    """Without --appid the workspace's appid is meant; a bad --appid is still refused (exit 2)."""
    from workbench.core.workspace import open_workspace

    ws = open_workspace(workspace, appid="wxabcdef0123456789")
    for args, code in ((["set", "tok-default-1", "--user", "alice"], 0), (["get", "--user", "alice", "--json"], 0),
                       (["get", "--user", "alice", "--appid", "wx12"], 2)):
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workbench", "token", *args, "--workspace", str(ws.path),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == code, err
    from workbench.core.store import Store

    store = Store(ws.store_path())
    try:
        assert store.token("wxabcdef0123456789", "alice") == "tok-default-1"
    finally:
        store.close()
