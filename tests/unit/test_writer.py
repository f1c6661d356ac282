"""The background writer (issue 13: storage off a pre-pull's critical path): writes run in order
on one thread, none is lost or cancelled, results reach the loop in batches."""

from __future__ import annotations

import asyncio
import threading

import pytest

from workbench.core.writer import BackgroundWriter


@pytest.fixture
def writer():
    w = BackgroundWriter()
    yield w
    w.close()


def test_writes_run_in_order_on_the_writers_thread(writer):
    seen = []
    futures = [writer.submit(lambda i=i: seen.append((i, threading.current_thread().name)) or i) for i in range(200)]
    assert [f.result(5) for f in futures] == list(range(200))
    assert [i for i, _ in seen] == list(range(200))
    assert {name for _, name in seen} == {"prepull-writer"}


async def test_results_and_errors_reach_the_loop(writer):
    def fail():
        raise ValueError("disk full")

    ok = writer.submit_to_loop(lambda: 7)
    bad = writer.submit_to_loop(fail)
    assert await asyncio.wait_for(ok, 5) == 7
    with pytest.raises(ValueError, match="disk full"):
        await asyncio.wait_for(bad, 5)


async def test_a_caller_that_stops_waiting_does_not_cancel_the_write(writer):
    release = threading.Event()
    done = []
    writer.submit(release.wait, 5)  # the writer is busy: the next write waits in the queue
    waiting = writer.submit_to_loop(done.append, "stored")
    waiting.cancel()
    release.set()
    await writer.adrain()
    assert done == ["stored"]


async def test_many_quick_writes_wake_the_loop_a_few_times_not_once_each(writer, monkeypatch):
    loop = asyncio.get_running_loop()
    wakeups = []
    real = loop.call_soon_threadsafe
    monkeypatch.setattr(loop, "call_soon_threadsafe", lambda *a, **k: wakeups.append(1) or real(*a, **k))
    futures = [writer.submit_to_loop(lambda i=i: i) for i in range(500)]
    assert await asyncio.wait_for(asyncio.gather(*futures), 5) == list(range(500))
    assert len(wakeups) < 50


def test_close_runs_what_was_queued_and_refuses_more():
    writer = BackgroundWriter()
    release = threading.Event()
    done = []
    writer.submit(release.wait, 5)
    for i in range(50):
        writer.submit(done.append, i)
    release.set()
    writer.close()
    assert done == list(range(50))
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(done.append, 50)
    writer.close()  # again: nothing happens


def test_items_close_together_go_to_one_call_in_order_and_other_writes_keep_their_place():
    writer = BackgroundWriter(linger=0.2)
    calls = []

    def many(items):
        calls.append(list(items))
        return [f"row {i}" for i in items]

    release = threading.Event()
    writer.submit(release.wait, 5)  # hold the thread while the items queue up
    first = [writer.submit_item(many, i) for i in range(5)]
    between = writer.submit(calls.append, "single")
    second = [writer.submit_item(many, i) for i in range(5, 8)]
    release.set()
    assert [f.result(5) for f in first + second] == [f"row {i}" for i in range(8)]
    assert between.result(5) is None
    assert calls == [[0, 1, 2, 3, 4], "single", [5, 6, 7]]
    writer.close()


def test_a_failed_batch_fails_each_of_its_items():
    writer = BackgroundWriter(linger=0.05)

    def broken(items):
        raise OSError("database is locked")

    futures = [writer.submit_item(broken, i) for i in range(3)]
    for f in futures:
        with pytest.raises(OSError, match="locked"):
            f.result(5)
    writer.close()
