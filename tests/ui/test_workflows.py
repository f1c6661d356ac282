"""Each workflow without a widget (issue 9 item 5): the objects the views only render.

They run on the app's loop (qasync) and report through Qt signals, so these tests live beside
the UI tests, but no window or widget is created here.
"""

from __future__ import annotations

import asyncio
import json
import threading

from PySide6.QtWidgets import QApplication

from tests.support.qt_async import signal_emitted, until
from workbench.core.launch_mix import LaunchMix
from workbench.core.protocol import Launch
from workbench.core.rollout import Population
from workbench.services import Services
from workbench.workflows.coldstart import ColdStartRequest
from workbench.workflows.tasks import TaskRunner


def _no_widgets() -> None:
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


async def test_cold_start_flow_reports_its_result_and_stores_it(services):
    await services.start_mock()
    flow = services.cold_start
    finished = signal_emitted(flow.finished)
    task = flow.launch(ColdStartRequest(url=services.mock.url("main"), user="alice", package_ms=50,
                                        launch=Launch(path="pages/a", query="k=v", scene=1047)))
    assert flow.launch(ColdStartRequest(url=services.mock.url("main"), user="alice")) is None  # one at a time
    (result,) = await finished
    assert (await task) is result and result.read in ("current", "previous", "none")
    record = services.store.history(result.history_id)
    assert (record.source, record.path, record.query, record.scene) == ("coldstart", "pages/a", "k=v", 1047)
    _no_widgets()


async def test_cold_start_flow_says_when_prepull_is_off(services):
    services.document.edit("", prepull_enabled=False)
    failed = signal_emitted(services.cold_start.failed)
    await services.cold_start.launch(ColdStartRequest(url="http://127.0.0.1:9/", user="alice"))
    assert await failed == ("not_enabled",)


async def test_periodic_clock_sends_when_due_and_not_before(services):
    await services.start_mock()
    clock = services.periodic
    lines = []
    clock.logged.connect(lines.append)
    assert (await clock.refresh("alice")).why == "no_token"  # the mock knows a token; the client holds none (P20)
    services.store.set_token(services.settings_appid(), "alice", "token-alice", 0)
    decision = await clock.refresh("alice")
    assert decision.due and decision.why == "never"
    await clock.fetch_now()
    assert lines[-1].endswith("fetched now: 200 · cached")
    await clock.jump(1)
    assert len(lines) == 1 and not clock.decision.due  # not due before 12 hours (P22)
    await clock.jump(12)
    assert lines[-1].endswith("scheduled: 200 · cached")
    await clock.jump(24 * 8)
    assert clock.decision.why == "inactive"  # P23


async def test_traffic_flow_runs_against_the_mock_and_matches_the_preview(services):
    await services.start_mock()
    flow = services.traffic
    progressed = []
    flow.progressed.connect(lambda batch: progressed.extend(r.side for r in batch))
    finished = signal_emitted(flow.finished, timeout=60)
    services.document.apply_percent(30)
    rollout = services.workspace.rollout(services.mock.url("main"), services.mock.url("gray"))
    population = Population(size=300, seed="flow")
    mix = LaunchMix.parse_scene_mix("1001:70,1047:30", Launch(path="pages/flow"))
    task = flow.run(rollout, population, 300, concurrency=16, launch_mix=mix)
    assert flow.run(rollout, population, 300) is None  # one run at a time
    (result,) = await finished
    assert (await task) is result and result.preview == result.stats.sent and len(progressed) == 300
    assert result.stats.cached == 300 and services.store.history_count() == 300
    # P7: each user launched with its pick of the mix (the Locust export picks the same)
    records = [services.store.history(i) for i in services.store.history_ids()]
    scenes = {u.openid: str(mix.pick(u.index).scene) for u in population.users()}
    assert all(dict(r.params)["scene"] == scenes[r.user] for r in records) and len(records) == 300


async def test_traffic_flow_cancel_keeps_what_finished(services):
    await services.start_mock()
    services.mock.rules.default.delay_ms = 200
    flow = services.traffic
    cancelled = signal_emitted(flow.cancelled, timeout=30)
    rollout = services.workspace.rollout(services.mock.url("main"), services.mock.url("gray"))
    task = flow.run(rollout, Population(size=200, seed="c"), 200, concurrency=4)
    await until(lambda: flow.done >= 4, timeout=30)
    assert flow.cancel()
    (done,) = await cancelled
    await asyncio.gather(task, return_exceptions=True)
    await services.tasks.drain_writes()
    assert done >= 4 and services.store.history_count() >= 4  # nothing that finished is lost


async def test_closing_during_a_traffic_run_stops_the_run_before_it_waits_for_the_writes(workspace):
    """Issue 13: a window closed while a 20,000-user run went took 11.9 s. Closing waited for the
    writes first, and the run, still going, kept starting more (the mock server's request log,
    stored every 100 ms) that competed with its own for the database; twice the whole run ended
    before the close did. Here storing the log is slow until the run is cancelled: the run must
    be stopped first (before: the write finished first, after 20 s, and the run went on meanwhile)."""
    services = Services(workspace)
    await services.start_mock()
    events: list[str] = []
    started, release = threading.Event(), threading.Event()
    store_log = services.store.add_mock_requests

    def slow_log(records):  # (in a thread)
        if not started.is_set():  # the first write: a busy database, until the run is cancelled
            started.set()
            release.wait(20)
            events.append("first log stored")
        store_log(records)

    services.store.add_mock_requests = slow_log
    flow = services.traffic
    flow.cancelled.connect(lambda _done: (events.append("run cancelled"), release.set()))
    rollout = services.workspace.rollout(services.mock.url("main"), services.mock.url("gray"))
    flow.run(rollout, Population(size=100_000, seed="close"), 100_000, rate=500)
    await until(started.is_set, timeout=30)  # the run goes, and its requests' log is being stored
    await asyncio.wait_for(services.aclose(), 60)
    assert events == ["run cancelled", "first log stored"]


async def test_draining_writes_waits_for_those_started_so_far_not_for_those_that_keep_coming():
    """While something keeps starting writes (a running traffic run's mock log), waiting for
    every write ever started would last as long as it goes on."""
    runner = TaskRunner()
    first_done, later_done = threading.Event(), threading.Event()
    runner.write("first", first_done.wait)
    drained = asyncio.ensure_future(runner.drain_writes())
    await asyncio.sleep(0)
    later = runner.write("later", later_done.wait)  # started while draining: not waited for
    first_done.set()
    try:
        await asyncio.wait_for(drained, 20)
        assert not later.done()
    finally:
        later_done.set()
        await runner.aclose()


async def test_replay_and_transfer_flows(services, tmp_path):
    await services.start_mock()
    from workbench.core.protocol import Identity, PrefetchRequest

    first, _ = await services.send(PrefetchRequest(url=services.mock.url("main"), appid=services.settings_appid(),
                                                   identity=Identity(token="token-alice")), source="composer",
                                   user="alice", address_kind="main")
    replayed = signal_emitted(services.replay.replayed)
    await services.replay.replay(first)
    record, new_id, outcome = await replayed
    assert record.id == first and outcome.verdict.cached and services.store.history(new_id).replay_of == first

    har = tmp_path / "h.har"
    assert await services.transfer.export_har(har, None, include_secrets=False) == 2
    assert "token-alice" not in har.read_text()
    assert await services.transfer.import_har(har) == 2 and services.store.history_count() == 4
    entries = services.store.cache_entries()
    assert await services.transfer.export_cache(tmp_path / "c.json", entries) == len(entries) == 1
    assert json.loads((tmp_path / "c.json").read_text())[0]["user"] == "alice"
    _no_widgets()


async def test_task_runner_preempts_by_name_and_reports_failures():
    runner = TaskRunner()
    failures = []
    runner.failed.connect(lambda name, text: failures.append((name, text)))
    gate = asyncio.Event()

    async def slow():
        await gate.wait()

    first = runner.run("search", slow())
    second = runner.run("search", slow())  # a new search replaces the last
    await asyncio.sleep(0)
    assert first.cancelled() and not second.done()
    gate.set()
    await second

    async def broken():
        raise ValueError("bad")

    await asyncio.gather(runner.run("broken", broken()), return_exceptions=True)
    assert failures == [("broken", "broken failed unexpectedly: ValueError: bad")]
    await runner.aclose()
