"""A traffic run in a worker process (issue 13: the app's loop stays free): it sends what the
preview says (P29), its login codes come from the app's mock server (P4, P6), every outcome is
stored, cancelling keeps what finished, and a cancelled run ends without waiting for what it
need not wait for (a worker still starting up, a busy thread pool, login codes)."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import threading
from multiprocessing.connection import Connection

import pytest

from tests.support.servers import APPID
from workbench.core import traffic_worker
from workbench.core.errors import WorkbenchError
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.core.store import SCHEMA_VERSION, Store
from workbench.core.traffic_worker import TrafficPlan, TrafficResult, run_in_worker


def workers() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "prepull-traffic"]


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


async def test_a_run_cancelled_while_its_worker_starts_up_ends_at_once_and_sends_nothing(mock, tmp_path):
    """Issue 13: a window closed in a run's first seconds waited for the worker process to start
    up (2-4 s on a loaded machine, once 11.9 s), only to tell it to stop. Here the worker cannot
    finish starting up (it must upgrade the database, which another program keeps busy for longer
    than this test waits): cancelling ends its process at once, and no request was sent."""
    path = tmp_path / "workbench.sqlite3"
    Store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")  # the worker's store must upgrade it...
    other.execute("BEGIN IMMEDIATE")  # ...and waits (up to 30 s) while another program writes
    log = []
    mock.listeners.append(log.append)
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1")
    run = asyncio.ensure_future(run_in_worker(TrafficPlan(rollout, Population(size=100), APPID, 100,
                                                          store_path=str(path))))
    try:
        await asyncio.sleep(0)  # one step: the task has started its process and waits for its messages
        assert len(workers()) == 1
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(run, 10)  # before: the grace for a stop (15 s), then a join
        assert workers() == []
        assert log == []
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_worker_run_ends_while_the_loops_thread_pool_is_full(mock):
    """The app waits for the worker process to end in threads of its own: in the loop's shared
    pool the wait queued behind whatever filled it (ten writes waiting for a busy database), and
    a closing window waited with it."""
    loop = asyncio.get_running_loop()
    release = threading.Event()
    busy = [loop.run_in_executor(None, release.wait) for _ in range(64)]  # more than the pool has
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1")
    try:
        stats = await asyncio.wait_for(run_in_worker(TrafficPlan(rollout, Population(size=20), APPID, 20)), 30)
        assert stats.sent["main"] + stats.sent["gray"] == 20
        assert workers() == []
    finally:
        release.set()
        await asyncio.gather(*busy)


def _scripted_worker(connection: Connection, plan: TrafficPlan) -> None:
    """A worker process that asks for one login code before and one after the app says stop."""
    connection.send(("ready",))
    assert connection.recv() == ("go",)
    connection.send(("codes", ["before-stop"]))
    assert connection.recv()[0] == "codes"
    assert connection.recv() == ("stop",)
    connection.send(("codes", ["after-stop"]))  # as a real worker may, until it has the stop
    connection.send(("done",))
    connection.close()


async def test_login_codes_asked_for_after_a_stop_are_not_issued(monkeypatch, mock):
    """A stopping run's users are cancelled: issuing their codes (a transaction of the login state)
    would only delay the close."""
    monkeypatch.setattr(traffic_worker, "_worker_main", _scripted_worker)  # the process runs this
    issued = []
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1")

    async def issue_codes(openids: list[str]) -> list[str]:
        issued.extend(openids)
        run.cancel()  # the window closes while the run goes
        return ["code"] * len(openids)

    run = asyncio.ensure_future(run_in_worker(
        TrafficPlan(rollout, Population(size=10), APPID, 10, codes_from_app=True), issue_codes=issue_codes))
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(run, 60)
    assert issued == ["before-stop"]
