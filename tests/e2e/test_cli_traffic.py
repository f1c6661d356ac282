"""`prepull-workbench traffic` against its own mock server: the run matches the preview."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.core.store import Store
from workbench.core.traffic import run_traffic
from workbench.mockserver.server import MockServer


async def test_p29_a_run_of_2000_users_against_the_mock_equals_the_preview_user_for_user(workspace):
    mock = MockServer()
    await mock.start()
    log = []
    mock.listeners.append(log.append)
    store = Store.in_workspace(workspace)
    try:
        population = Population(size=2000, seed="t", token_share=0.7, develop_share=0.02, trial_share=0.02)
        rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1").set_percent(30)
        preview = SplitIndex.build(population, APPID, "r1").split(30)
        async with PrefetchClient(keepalive=False) as client:
            bad = []
            stats = await run_traffic(client, rollout, population, APPID, 2000, store=store, concurrency=16,
                                      code_factory=mock.issue_code,
                                      on_outcome=lambda u, s, o: None if o.verdict.cached else bad.append(
                                          (u.index, o.status, o.verdict.messages, o.timings)))
    finally:
        store.close()
        await mock.stop()
    assert stats.sent == preview
    assert all(stats.sides[u.openid] == rollout.side(APPID, u.openid, u.version).value for u in population.users())
    # the mock saw both endpoints in that proportion, and every identity was valid
    assert len(log) == 2000, (bad, len(log))
    assert sum(r.endpoint == "gray" for r in log) == preview["gray"]
    assert sum(r.endpoint == "main" for r in log) == preview["main"]
    assert stats.cached == 2000 and all(r.status == 200 for r in log)
    store = Store.in_workspace(workspace)
    try:
        assert store.history_count() == 2000
    finally:
        store.close()


async def test_traffic_cli_json(workspace):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "traffic", "--appid", APPID, "--users", "300", "--percent", "30",
        "--workspace", str(workspace), "--json", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err
    result = json.loads(out)
    assert set(result) == {"users", "percent", "preview", "main", "gray", "cached", "not_cached", "latency_ms",
                           "stored"}
    assert result["stored"] == 300  # every result was kept
    assert result["users"] == 300 and result["percent"] == 30
    assert {"main": result["main"], "gray": result["gray"]} == result["preview"]
    assert result["cached"] == 300 and result["not_cached"] == 0
    assert set(result["latency_ms"]["gray"]) == {"p50", "p95"}


async def test_traffic_cli_bad_input_is_one_line():
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "traffic", "--appid", APPID, "--users", "10", "--percent", "130",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2 and b"between 0 and 100" in err and err.count(b"\n") == 1
