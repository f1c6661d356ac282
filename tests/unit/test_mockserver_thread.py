"""The mock server in a thread of its own (issue 13, traffic): the GUI's loop is not its loop.

It answers while the loop that started it is busy, hands what it logged to that loop's listeners
in batches and in order, reports its port, and stops at once, leaving no thread behind.
"""

from __future__ import annotations

import asyncio
import socket
import threading

import httpx
import pytest

from tests.support.listening import listening, mock_threads
from tests.support.servers import APPID
from workbench.core.errors import ServerStartError
from workbench.mockserver.rules import Rule
from workbench.mockserver.server import MockServer

PARAMS = {"appid": APPID, "token": "token-alice", "timestamp": "1700000000000", "path": "pages/a"}


@pytest.fixture
async def threaded():
    mock = MockServer(own_thread=True)
    await mock.start()
    yield mock
    await mock.stop()


async def test_it_answers_while_the_loop_that_started_it_is_busy(threaded):
    # a blocking request from the starting loop's own thread: a server on this loop could not
    # answer it (the loop is blocked until the answer comes)
    with httpx.Client(timeout=10) as client:
        answer = client.get(threaded.url("main"), params=PARAMS)
    assert answer.status_code == 200 and answer.json()["path"] == "pages/a"


async def test_logged_requests_reach_listeners_on_the_starting_loop_in_order(threaded):
    seen: list[tuple[int, str]] = []
    threaded.listeners.append(lambda record: seen.append((threading.get_ident(), record.param["path"])))
    async with httpx.AsyncClient() as client:
        for i in range(30):
            assert (await client.get(threaded.url("main"), params={**PARAMS, "path": f"p{i}"})).status_code == 200
    await threaded.stop()  # what was not handed over yet is handed over by stop
    assert seen == [(threading.get_ident(), f"p{i}") for i in range(30)]


async def test_port_zero_reports_the_port_it_got_and_a_taken_port_leaves_no_thread():
    mock = MockServer(own_thread=True)
    url = await mock.start()
    try:
        port = int(url.rsplit(":", 1)[1])
        assert port > 0 and mock.base_url == f"http://127.0.0.1:{port}" and mock.running
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        taken = MockServer(port=port, own_thread=True)
        with pytest.raises(ServerStartError, match=f"Port {port} on 127.0.0.1 is already in use"):
            await taken.start()
        assert not taken.running and len(mock_threads()) == 1
    finally:
        await mock.stop()
    assert not mock.running and mock_threads() == []


async def test_stopping_ends_stalled_requests_and_the_thread_and_it_starts_again():
    mock = MockServer(own_thread=True)
    await mock.start()
    mock.rules.default.fault = "stall"  # headers sent, the body never comes
    async with httpx.AsyncClient(timeout=30) as client, client.stream("GET", mock.url("main"),
                                                                       params=PARAMS) as response:
        assert response.status_code == 200
        await asyncio.wait_for(mock.stop(), 10)
        with pytest.raises(httpx.HTTPError):
            await response.aread()
    assert mock_threads() == []
    mock.rules.default.fault = "none"
    await mock.start()
    try:
        async with httpx.AsyncClient() as client:
            assert (await client.get(mock.url("main"), params=PARAMS)).status_code == 200
    finally:
        await mock.stop()


async def test_rule_edits_from_the_starting_loop_apply_to_the_very_next_request(threaded):
    async with httpx.AsyncClient() as client:
        threaded.rules.rules.insert(0, Rule(name="edited", body="edited {{user}}", status=203))
        answer = await client.get(threaded.url("main"), params=PARAMS)
        assert (answer.status_code, answer.text) == (203, "edited alice")
        threaded.rules.rules.clear()
        assert (await client.get(threaded.url("main"), params=PARAMS)).status_code == 200


async def test_a_start_cancelled_half_way_leaves_nothing_running():
    mock = MockServer(own_thread=True)
    task = asyncio.ensure_future(mock.start())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not mock.running
    for thread in mock_threads():
        thread.join(10)
    assert mock_threads() == []


@pytest.mark.parametrize("own_thread", [True, False])
async def test_stopping_waits_for_none_of_uvicorns_ticks(monkeypatch, own_thread):
    """Closing the app must be quick: stop() does not sleep through uvicorn's 0.1 s main-loop tick
    nor its 0.1 s shutdown pause (connections are aborted and their tasks cancelled already)."""
    import types

    import uvicorn.server

    slept: list[float] = []

    async def sleep(delay: float, *args: object) -> object:
        slept.append(delay)
        return await asyncio.sleep(delay, *args)

    monkeypatch.setattr(uvicorn.server, "asyncio", types.SimpleNamespace(**{
        name: getattr(asyncio, name) for name in dir(asyncio) if not name.startswith("__")} | {"sleep": sleep}))
    mock = MockServer(own_thread=own_thread)
    await mock.start()
    async with httpx.AsyncClient() as client:
        assert (await client.get(mock.url("main"), params=PARAMS)).status_code == 200
    slept.clear()
    await mock.stop()
    assert slept == [] and not mock.running


async def test_two_starts_at_once_start_one_server_and_one_thread():
    """Overlapping starts (issue 13): the second waits for the first and finds it running."""
    mock = MockServer(own_thread=True)
    try:
        first, second = await asyncio.gather(mock.start(), mock.start())
        assert first == second == mock.base_url
        assert len(mock_threads()) == 1
    finally:
        await mock.stop()
    assert not listening(int(first.rsplit(":", 1)[1])) and mock_threads() == []


async def test_a_stop_during_a_start_leaves_nothing_running_nor_listening():
    mock = MockServer(own_thread=True)
    starting = asyncio.ensure_future(mock.start())
    await asyncio.sleep(0)  # its thread is made, its socket being bound there
    await mock.stop()
    url = await starting  # the start finished, then the stop stopped it
    assert not mock.running and not listening(int(url.rsplit(":", 1)[1]))
    assert mock_threads() == []


async def test_a_start_cancelled_after_it_listened_leaves_nothing_listening(monkeypatch):
    """The server thread had started the server when its starter was cancelled: it is stopped."""
    from workbench.mockserver import runner

    ports: list[int] = []
    real_run = runner.LoopThread.run

    async def run_then_cancelled(self, coro):
        url = await real_run(self, coro)
        if isinstance(url, str) and not ports:  # the start, not the stop
            ports.append(int(url.rsplit(":", 1)[1]))
            raise asyncio.CancelledError
        return url

    monkeypatch.setattr(runner.LoopThread, "run", run_then_cancelled)
    mock = MockServer(own_thread=True)
    with pytest.raises(asyncio.CancelledError):
        await mock.start()
    monkeypatch.undo()
    assert ports and not mock.running and not listening(ports[0])
    assert mock_threads() == []


async def test_stopping_waits_for_the_server_thread_to_end_without_blocking_the_loop():
    """The thread's end is waited for in a thread of its own (issue 13): the loop that stops the
    server (the UI's) keeps turning while the server thread is slow to end, and the thread is
    gone when stop() returns."""
    mock = MockServer(own_thread=True)
    await mock.start()
    assert mock._thread is not None
    entered, release = threading.Event(), threading.Event()

    async def slow_teardown() -> None:  # the server thread's last step, held up
        entered.set()
        release.wait(60)

    mock._thread.loop.shutdown_asyncgens = slow_teardown  # type: ignore[method-assign]
    stopping = asyncio.ensure_future(mock.stop())
    turns_while_held = 0
    try:
        while not stopping.done() and turns_while_held < 20:
            await asyncio.sleep(0.001)
            if entered.is_set():
                turns_while_held += 1
        still_stopping = not stopping.done()
    finally:
        release.set()
    await stopping
    assert still_stopping and turns_while_held == 20  # the loop turned while the thread ended
    assert not mock.running and mock_threads() == []
