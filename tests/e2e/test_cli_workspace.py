"""The workspace file from the command line (issue 9): created, shown, and obeyed by every command."""

from __future__ import annotations

import json

from tests.support.cli import run_cli
from tests.support.servers import APPID
from workbench.core.store import Store
from workbench.core.workspace import SUFFIX, Workspace


async def test_workspace_new_and_show_json_masks_secrets(tmp_path):
    path = tmp_path / f"shop{SUFFIX}"
    code, _, err = await run_cli("workspace", "new", str(path), "--appid", APPID,
                                 "--main-url", "https://api.example.com/prefetch")
    assert code == 0, err
    ws = Workspace.load(path)
    ws.set_mock_tokens({"alice": "token-alice-0123456789"})
    code, out, err = await run_cli("workspace", "show", str(tmp_path), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["appid"] == APPID and shown["addresses"]["main"] == "https://api.example.com/prefetch"
    assert shown["protocol"]["body_limit_bytes"] == 262_144
    assert "token-alice-0123456789" not in out and shown["mock"]["users"][0]["token"].endswith("6789")
    code, _, err = await run_cli("workspace", "new", str(path), "--appid", APPID)
    assert code == 2 and "exists already" in err and err.count("\n") == 1


async def test_a_damaged_workspace_exits_2_and_is_not_overwritten(tmp_path, server):
    path = tmp_path / f"app{SUFFIX}"
    path.write_text('appid = "wx0123456789abcdef"\n[protocol]\ntimeout_s = "soon"\n')
    code, out, err = await run_cli("fetch", server + "/echo", "--workspace", str(path))
    assert code == 2 and out == ""
    assert "protocol.timeout_s (line 3)" in err and "Traceback" not in err and err.count("\n") == 1
    assert path.read_text() == 'appid = "wx0123456789abcdef"\n[protocol]\ntimeout_s = "soon"\n'


async def test_p12_body_limit_set_in_the_file_is_what_fetch_obeys(tmp_path, server):
    ws = Workspace.create(tmp_path / f"app{SUFFIX}", APPID)
    ws.doc.protocol.body_limit_bytes = 1000
    ws.doc.addresses.main = server + "/size/1001"
    ws.save()
    code, out, err = await run_cli("fetch", "--workspace", str(ws.path), "--token", "t", "--json")
    assert code == 1, err
    assert json.loads(out)["verdict"]["reasons"][0].startswith("The body is 1,001 bytes")
    code, out, err = await run_cli("fetch", server + "/size/1000", "--workspace", str(ws.path), "--token", "t")
    assert code == 0, err


async def test_p26_traffic_percent_cannot_go_down_across_processes(tmp_path):
    folder = str(tmp_path / "ws")
    code, _, err = await run_cli("traffic", "--appid", APPID, "--users", "20", "--percent", "30",
                                 "--workspace", folder)
    assert code == 0, err
    for lower in ("10", "0"):
        code, out, err = await run_cli("traffic", "--users", "20", "--percent", lower, "--workspace", folder)
        assert code == 2 and out == ""
        assert f"cannot go back from 30% to {lower}% (P26)" in err and err.count("\n") == 1
    ws = Workspace.load(tmp_path / "ws" / f"workspace{SUFFIX}")
    assert ws.doc.rollout.percent == 30 and [s.percent for s in ws.doc.rollout.steps] == [30]
    # the explicit action starts over
    code, _, err = await run_cli("traffic", "--users", "20", "--new-rollout", "http://127.0.0.1:9/gray",
                                 "--percent", "5", "--url", "http://127.0.0.1:9/main", "--workspace", folder)
    assert code == 0, err
    again = Workspace.load(ws.path)
    assert again.doc.rollout.percent == 5 and again.doc.rollout.id != ws.doc.rollout.id


async def test_p27_at_100_percent_the_built_in_mock_run_sends_everyone_to_the_gray_address(tmp_path):
    folder = tmp_path / "ws"
    code, _, err = await run_cli("traffic", "--appid", APPID, "--users", "40", "--percent", "100",
                                   "--workspace", str(folder), "--json")
    assert code == 0, err
    store = Store.in_workspace(folder)
    try:
        urls = [store.history(i).url for i in store.history_ids()]
    finally:
        store.close()
    assert len(urls) == 40 and all(u.endswith("/prefetch/gray") for u in urls), set(urls)
