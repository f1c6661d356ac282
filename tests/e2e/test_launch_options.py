"""`coldstart` and `traffic` take the composer's launch options (P7, P4) and traffic a launch mix."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from tests.e2e.test_cli_fetch import run_cli
from tests.support.servers import APPID
from workbench.core.launch_mix import LaunchMix
from workbench.core.protocol import Launch
from workbench.core.rollout import Population
from workbench.core.store import Store


async def test_p7_coldstart_sends_version_query_and_the_identity_asked_for(server, workspace):
    code, _, err = await run_cli("coldstart", server + "/echo", "--appid", APPID, "--package-ms", "0",
                                   "--path", "pages/数据", "--query", "a=1+2&b=%E4%B8%AD", "--scene", "1047",
                                   "--version", "1.2.3", "--identity", "none", "--workspace", str(workspace),
                                   "--json")
    assert code in (0, 1), err
    store = Store.in_workspace(workspace)
    try:
        (record,) = [store.history(i) for i in store.history_ids()]
    finally:
        store.close()
    sent = dict(record.params)
    assert sent["customMiniprogramVersion"] == "1.2.3" and sent["query"] == "a=1+2&b=%E4%B8%AD"
    assert sent["path"] == "pages/数据" and sent["scene"] == "1047"
    assert "code" not in sent and "token" not in sent  # --identity none (violates P4, on purpose)


async def test_p4_coldstart_identity_token_without_a_token_is_bad_input(server, workspace):
    code, _, err = await run_cli("coldstart", server + "/echo", "--appid", APPID, "--identity", "token",
                                   "--workspace", str(workspace))
    assert code == 2 and "No token is stored" in err and err.count("\n") == 1


async def test_traffic_scene_mix_is_applied_deterministically_per_user(workspace):
    code, out, err = await run_cli(
        "traffic", "--appid", APPID, "--users", "200", "--percent", "0", "--seed", "mix",
        "--scene-mix", "1001:70,1047:30", "--path", "pages/x", "--query", "k=v w", "--version", "2.0.0",
        "--identity", "code", "--workspace", str(workspace), "--json")
    assert code == 0, err
    result = json.loads(out)
    mix = LaunchMix.parse_scene_mix("1001:70,1047:30", Launch(path="pages/x", query="k=v w", version="2.0.0"))
    population = Population(size=200, seed="mix")
    expected = {u.openid: mix.pick(u.index).scene for u in population.users()}
    assert [row["sent"] for row in result["launch_mix"]] == [
        sum(s == 1001 for s in expected.values()), sum(s == 1047 for s in expected.values())]
    store = Store.in_workspace(workspace)
    try:
        records = [store.history(i) for i in store.history_ids()]
    finally:
        store.close()
    assert len(records) == 200
    for record in records:
        sent = dict(record.params)
        assert int(sent["scene"]) == expected[record.user]
        assert (sent["path"], sent["query"], sent["customMiniprogramVersion"]) == ("pages/x", "k=v w", "2.0.0")
        assert "code" in sent and "token" not in sent  # --identity code
    assert all(dict(parse_qsl(r.full_url.split("?", 1)[1]))["query"] == "k=v w" for r in records[:5])


async def test_traffic_launch_mix_file(workspace, tmp_path):
    table = tmp_path / "mix.csv"
    table.write_text("weight,path,query,scene,version\n1,pages/a,x=1,1011,\n1,pages/b,,1089,3.0\n", "utf-8")
    code, out, err = await run_cli("traffic", "--appid", APPID, "--users", "50", "--percent", "0",
                                   "--launch-mix", str(table), "--workspace", str(workspace), "--json")
    assert code == 0, err
    rows = json.loads(out)["launch_mix"]
    assert [r["path"] for r in rows] == ["pages/a", "pages/b"] and sum(r["sent"] for r in rows) == 50
    code, _, err = await run_cli("traffic", "--appid", APPID, "--users", "5", "--percent", "0",
                                 "--launch-mix", str(tmp_path / "missing.csv"), "--workspace", str(workspace))
    assert code == 2 and "Cannot read the launch mix" in err


def _records(workspace) -> list:
    store = Store.in_workspace(workspace)
    try:
        return [store.history(i) for i in store.history_ids()]
    finally:
        store.close()


async def test_traffic_uses_the_workspace_launch_mix_unless_launch_options_are_given(workspace):
    """P7: the launches kept in the workspace (the Traffic tab's Launches dialog) are what
    `traffic` sends when no --launch-mix, --scene-mix or launch option is given; any of those wins."""
    from workbench.core.workspace import open_workspace

    ws = open_workspace(workspace, appid=APPID)
    ws.doc.traffic.launches = [{"weight": 3, "path": "pages/home", "scene": 1001},
                               {"weight": 1, "path": "pages/活动", "query": "id=7", "scene": 1047, "version": "2.0"}]
    ws.save()
    mix = ws.launch_mix()
    code, out, err = await run_cli("traffic", "--users", "200", "--percent", "0", "--seed", "ws",
                                   "--identity", "code", "--workspace", str(workspace), "--json")
    assert code == 0, err
    assert "not used" not in err
    population = Population(size=200, seed="ws")
    expected = {u.openid: mix.pick(u.index) for u in population.users()}
    rows = json.loads(out)["launch_mix"]
    assert [(r["path"], r["scene"], r["weight"]) for r in rows] == [("pages/home", 1001, 3), ("pages/活动", 1047, 1)]
    counts = [sum(v.path == path for v in expected.values()) for path in ("pages/home", "pages/活动")]
    assert [r["sent"] for r in rows] == counts and 120 < counts[0] < 180  # about 3:1
    records = _records(workspace)
    assert len(records) == 200
    for record in records:
        sent, want = dict(record.params), expected[record.user]
        assert (sent["path"], int(sent["scene"]), sent.get("query", "")) == (want.path, want.scene, want.query)

    # an explicit launch option wins: every user launches so (the other options at their defaults)
    code, out, err = await run_cli("traffic", "--users", "30", "--percent", "0", "--scene", "1089",
                                   "--workspace", str(workspace), "--json")
    assert code == 0, err
    # said, not silently dropped (review: one --version given lost the whole mix without a word)
    assert "the workspace's 2 launches are not used: the launch options given replace them" in err
    assert "launch_mix" not in json.loads(out)
    records = _records(workspace)[200:]
    assert len(records) == 30
    assert {(dict(r.params)["path"], dict(r.params)["scene"]) for r in records} == {("pages/index/index", "1089")}

    # and so does --scene-mix (its path from --path or the default)
    code, out, err = await run_cli("traffic", "--users", "20", "--percent", "0", "--scene-mix", "1011:1",
                                   "--workspace", str(workspace), "--json")
    assert code == 0, err
    assert [(r["path"], r["scene"]) for r in json.loads(out)["launch_mix"]] == [("pages/index/index", 1011)]
