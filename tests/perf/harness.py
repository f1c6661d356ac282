"""Shared pieces of the benchmark sections: a Qt app on the qasync loop, isolated settings, a
UI-stall monitor, and the bare baselines (a Starlette app on uvicorn) that figures are set beside.

Everything binds 127.0.0.1 only. Nothing here is imported by the workbench itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import socket
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PREPULL_LANG", "en")

T = TypeVar("T")
APPID = "wx0123456789abcdef"


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"prepull-perf-{prefix}-"))


def qt_app() -> Any:
    """The QApplication (offscreen), with QSettings sent to a temporary folder and the mock on port 0."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["prepull-perf"])
    app.setOrganizationName("prepull-workbench-perf")
    app.setApplicationName("Prepull Workbench perf")
    app.setQuitOnLastWindowClosed(False)  # as the app: closing a view must not end the loop
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(temp_dir("settings")))
    QSettings().setValue("mock/port", 0)
    return app


def run_qasync(main: Callable[[], Awaitable[T]]) -> T:
    """Run ``main()`` on a qasync loop over the QApplication, as the app runs its UI."""
    import qasync

    app = qt_app()
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(main())


class StallMonitor:
    """The longest time the Qt event loop was unable to run a 5 ms timer: what a user feels as a
    frozen window. Start it, do the work, read ``max_ms``."""

    INTERVAL_MS = 5

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.max_ms = 0.0
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> StallMonitor:
        self.max_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()
        return self

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_ms = max(self.max_ms, (now - self._last) * 1000 - self.INTERVAL_MS)
        self._last = now

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return round(self.max_ms, 1)


async def idle_stall_ms(seconds: float) -> float:
    """The stall monitor's reading on an idle loop: the floor any other reading is set beside."""
    monitor = StallMonitor().start()
    await asyncio.sleep(seconds)
    return monitor.stop()


# -- bare baselines -----------------------------------------------------------------------------


def bare_starlette_app(body: bytes) -> Any:
    """The smallest Starlette app that answers the pre-pull path with ``body`` (JSON)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def prefetch(request: Any) -> Response:
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/prefetch", prefetch), Route("/prefetch/gray", prefetch)])


@contextlib.asynccontextmanager
async def bare_uvicorn(app: Any) -> AsyncIterator[str]:
    """``app`` served by uvicorn (its defaults) in this loop on 127.0.0.1, port 0: its base URL.

    The socket is set up as design.md says any embedding must (TCP_NODELAY), nothing more."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Any:
            yield

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as design.md says; else ~40 ms a round trip
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.setblocking(False)
    server = Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", loop="none"))
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        server.force_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)
        sock.close()


@contextlib.asynccontextmanager
async def bare_uvicorn_in_thread(app: Any) -> AsyncIterator[str]:
    """``app`` served as :func:`bare_uvicorn` serves it, but in a plain asyncio loop in a thread
    of its own (as the app runs its mock server): its base URL, awaited from the caller's loop."""
    import threading

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="bare server", daemon=True)
    thread.start()
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    done = asyncio.Event()
    stop = threading.Event()
    caller = asyncio.get_running_loop()

    async def serve() -> None:
        try:
            async with bare_uvicorn(app) as base:
                caller.call_soon_threadsafe(ready.set_result, base)
                while not stop.is_set():
                    await asyncio.sleep(0.01)
        except BaseException as exc:
            if not ready.done():
                caller.call_soon_threadsafe(ready.set_exception, exc)
            raise
        finally:
            caller.call_soon_threadsafe(done.set)

    asyncio.run_coroutine_threadsafe(serve(), loop)
    try:
        yield await ready
    finally:
        stop.set()
        await done.wait()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def prefetch_params(token: str = "token-alice") -> dict[str, str]:
    """The query a pre-pull carries (P1-P3, P7), for the bare clients."""
    return {"appid": APPID, "token": token, "timestamp": str(int(time.time() * 1000)),
            "path": "pages/index/index", "query": "id=1", "scene": "1047"}
