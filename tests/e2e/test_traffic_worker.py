"""A traffic run in a worker process (issue 13: the app's loop stays free): it sends what the
preview says (P29), its login codes come from the app's mock server (P4, P6), every outcome is
stored, and cancelling keeps what finished."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.servers import APPID
from workbench.core.errors import WorkbenchError
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.core.store import Store
from workbench.core.traffic_worker import TrafficPlan, TrafficResult, run_in_worker


async def test_p29_a_worker_run_equals_the_preview_with_codes_from_the_apps_mock(mock, workspace):
    store = Store.in_workspace(workspace)  # the app's own connection, open meanwhile (WAL)
    log = []
    mock.listeners.append(log.append)
    population = Population(size=1500, seed="w", token_share=0.6, develop_share=0.02, trial_share=0.02)
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1").set_percent(30)
    batches: list[list[TrafficResult]] = []
    try:
        stats = await asyncio.wait_for(run_in_worker(
            TrafficPlan(rollout, population, APPID, 1500, store_path=str(store.path), codes_from_app=True),
            issue_codes=lambda openids: asyncio.to_thread(mock.issue_codes, openids), on_results=batches.append), 120)
        assert stats.sent == SplitIndex.build(population, APPID, "r1").split(30)
        assert stats.cached == 1500, [r.status for r in log if r.status != 200][:5]  # every code was valid
        assert sum(r.token_state == "valid" for r in log) == 1500 and len(log) == 1500
        results = [r for batch in batches for r in batch]
        assert sorted(r.user_index for r in results) == list(range(1500))
        assert store.history_count() == 1500
        assert stats.latency_summary()["main"]["p50"] > 0
    finally:
        store.close()


async def test_cancelling_a_worker_run_stores_and_reports_what_finished(mock, workspace):
    store = Store.in_workspace(workspace)
    population = Population(size=100_000, seed="c")
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1")
    reported = []
    first = asyncio.get_running_loop().create_future()

    def on_results(batch):
        reported.extend(batch)
        if not first.done():
            first.set_result(None)

    run = asyncio.ensure_future(run_in_worker(
        TrafficPlan(rollout, population, APPID, 100_000, store_path=str(store.path), rate=2000),
        on_results=on_results))
    try:
        await asyncio.wait_for(first, 60)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(run, 60)
        assert 0 < len(reported) < 100_000
        assert store.history_count() == len(reported)  # what finished is stored, and only that
    finally:
        store.close()


async def test_a_worker_that_cannot_store_says_so_in_one_sentence(mock, tmp_path):
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1")
    folder = tmp_path / "not-a-database.sqlite3"
    folder.mkdir()  # a folder where the database should be
    with pytest.raises(WorkbenchError, match="traffic run failed"):
        await asyncio.wait_for(run_in_worker(TrafficPlan(rollout, Population(size=10), APPID, 10,
                                                         store_path=str(folder))), 60)
