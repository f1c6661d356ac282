"""Starts and stops of the embedded mock server that overlap (issue 13: nothing leaks).

The app starts the mock server by itself after the first paint while the user may click Start
(or change where it listens, which restarts it) at the same moment: whatever the order, exactly
one server is left listening, and after a stop none is, and no mock server thread is left alive.
"""

from __future__ import annotations

import asyncio
import socket

from tests.support.listening import listening, mock_threads
from workbench.services import Services


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


async def _stopped_cleanly(services: Services, ports: list[int]) -> None:
    await services.stop_mock()
    assert not services.mock_running
    assert [port for port in ports if listening(port)] == []
    assert mock_threads() == []


async def test_two_starts_at_once_leave_exactly_one_server(services):
    """As the autostart after the first paint and a click on Start, together."""
    first, second = await asyncio.gather(services.start_mock(), services.start_mock())
    ports = [_port(first), _port(second)]
    assert services.mock_running
    current = _port(services.mock_base_url())
    assert current in ports
    assert [port for port in set(ports) if listening(port)] == [current]
    assert len(mock_threads()) == 1
    await _stopped_cleanly(services, ports)


async def test_two_starts_at_once_each_get_what_they_asked_for_in_turn(services):
    """A restart with other settings (TLS on) while the first start is under way is done after
    it: the server left running is the one asked for last, not the first one under its name."""
    plain, tls = await asyncio.gather(services.start_mock(tls=False), services.start_mock(tls=True))
    assert plain.startswith("http://") and tls.startswith("https://")
    assert services.mock_base_url() == tls and services.mock_settings.tls
    ports = [_port(plain), _port(tls)]
    assert [port for port in set(ports) if listening(port)] == [_port(tls)]
    assert len(mock_threads()) == 1
    await _stopped_cleanly(services, ports)


async def test_many_starts_at_once_leave_exactly_one_server(services):
    urls = await asyncio.gather(*(services.start_mock() for _ in range(4)))
    ports = [_port(url) for url in urls]
    current = _port(services.mock_base_url())
    assert [port for port in set(ports) if listening(port)] == [current]
    assert len(mock_threads()) == 1
    await _stopped_cleanly(services, ports)


async def test_a_stop_during_a_start_leaves_nothing_running(services):
    starting = asyncio.ensure_future(services.start_mock())
    await asyncio.sleep(0)  # the start is under way (its thread made, its socket being bound)
    await services.stop_mock()
    url = await starting
    # in the order asked: started, then stopped
    assert not services.mock_running and not listening(_port(url)) and mock_threads() == []
    await _stopped_cleanly(services, [_port(url)])


async def test_start_stop_start_interleaved_leave_the_last_start_running(services):
    first = asyncio.ensure_future(services.start_mock())
    stop = asyncio.ensure_future(services.stop_mock())
    second = asyncio.ensure_future(services.start_mock())
    urls = [await first, await second]
    await stop
    assert services.mock_running and services.mock_base_url() == urls[1]
    assert [port for port in {_port(u) for u in urls} if listening(port)] == [_port(urls[1])]
    assert len(mock_threads()) == 1
    await _stopped_cleanly(services, [_port(u) for u in urls])


async def test_closing_during_a_start_leaves_no_server(qapp, workspace):
    services = Services(workspace)
    starting = services.spawn(services.start_mock(), "start mock")
    await asyncio.sleep(0)
    await services.aclose()  # (cancels the start)
    assert starting.done() and not services.mock_running
    assert mock_threads() == []


async def test_a_stop_during_the_autostart_on_a_taken_port_leaves_nothing_running(qapp, workspace):
    """Review: the autostart tries the workspace's port, then any free one; a Stop clicked while
    the first try ran came between the two, and the second try started a server anyway."""
    from workbench.core.workspace import open_workspace

    with socket.socket() as taken:  # the workspace's usual port, held by another program
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ws = open_workspace(workspace)
        ws.doc.mock.port = taken.getsockname()[1]
        ws.save()
        services = Services(open_workspace(workspace))
        try:
            autostart = asyncio.ensure_future(services.autostart_mock())
            await asyncio.sleep(0)  # it has begun its first try
            await asyncio.gather(autostart, services.stop_mock())
            assert not services.mock_running and mock_threads() == []
        finally:
            await services.aclose()
