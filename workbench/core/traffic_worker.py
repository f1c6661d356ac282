"""A traffic run in a worker process, for the app: the run gets a core of its own and the UI's
event loop (which also serves the embedded mock server) stays free.

The worker runs :func:`run_traffic` on a plain asyncio loop, stores every outcome itself (the
workspace database is in WAL mode, so the app keeps reading and writing meanwhile), and sends
the app what its views need of each cold start (:class:`TrafficResult`) in batches. Login codes
for users without a token come from the app when its mock server must recognise them: the
worker asks for a window of them ahead of the users it sends. Messages go both ways over one
``multiprocessing`` pipe, read by a thread on each side (portable: no add_reader on a pipe).

Stopping is bounded (issue 13: a window closed during a run's first seconds once took 11.9 s,
and 2-4 s whenever the machine was loaded). The worker starts up (a new interpreter, its imports,
the database opened), says "ready" and sends nothing until the app answers "go": a run cancelled
before that has nothing to store, so its process is ended at once instead of being waited for
while it starts up only to stop. A run cancelled after "go" is told "stop", stores what finished
and says "done" (within :data:`STOP_GRACE_S`, which only a database another program keeps busy
can use up), and then ends without Python's own teardown. Login codes asked for after "stop" are
not issued: the users waiting for them are being cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

from workbench.core.errors import WorkbenchError
from workbench.core.launch_mix import LaunchMix
from workbench.core.protocol import Launch, ProtocolSettings
from workbench.core.rollout import Population, Rollout, SimUser
from workbench.core.threads import in_own_thread
from workbench.core.traffic import TrafficStats

#: How often the worker sends the app what finished (a live chart needs no more).
RESULTS_INTERVAL_S = 0.1
#: How many users ahead the worker asks the app for login codes.
CODE_WINDOW = 512
#: How long a cancelled run may take to store what finished before its process is ended.
STOP_GRACE_S = 15.0


@dataclass(frozen=True, slots=True)
class TrafficPlan:
    """Everything a worker needs for a run (picklable: it crosses into the worker process)."""

    rollout: Rollout
    population: Population
    appid: str
    count: int
    settings: ProtocolSettings = field(default_factory=ProtocolSettings)
    rate: float | None = None
    concurrency: int = 32
    launch: Launch | None = None
    #: how the users launch (picked per user); None: ``launch``, else the default launch
    launch_mix: LaunchMix | None = None
    #: the workspace database the worker stores outcomes in (None: not stored)
    store_path: str | None = None
    #: login codes come from the app (its mock server issued them), not made up by the worker
    codes_from_app: bool = False


class TrafficResult(NamedTuple):
    """What the app's views need of one cold start."""

    user_index: int
    side: str
    cached: bool
    total_ms: float | None


async def run_in_worker(plan: TrafficPlan, *,
                        issue_codes: Callable[[list[str]], Awaitable[list[str]]] | None = None,
                        on_results: Callable[[list[TrafficResult]], None] | None = None) -> TrafficStats:
    """Run ``plan`` in a new process; ``on_results`` gets each batch of finished cold starts on
    this loop. Cancelling stops the run: what finished is stored and reported before it ends (a
    worker not yet told to go has nothing to store: it is ended at once).

    ``issue_codes`` (given with ``plan.codes_from_app``) issues a login code for each openid of a
    list: hundreds at a time, so it should do them at once and off this loop's thread (a code
    each on the UI thread made a traffic run's longest stalls)."""
    if plan.codes_from_app and issue_codes is None:
        raise ValueError("codes_from_app needs issue_codes")
    context = multiprocessing.get_context("spawn")  # no fork of a process with Qt's threads in it
    ours, theirs = context.Pipe()
    process = context.Process(target=_worker_main, args=(theirs, plan), name="prepull-traffic", daemon=True)
    process.start()
    theirs.close()
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue[Any]()
    reader = threading.Thread(target=_read_into, args=(ours, loop, inbox), name="prepull-traffic-reader",
                              daemon=True)
    reader.start()
    stats = TrafficStats(sides=None)
    going = False  # "go" was sent: from then on the worker sends and stores

    async def until_done(stopping: bool) -> None:
        nonlocal going
        while True:
            message = await inbox.get()
            kind = message[0]
            if kind == "ready":
                if not stopping:
                    _send(ours, ("go",))
                    going = True
            elif kind == "results":
                batch = [TrafficResult(*r) for r in message[1]]
                for r in batch:
                    stats.record(r.side, r.cached, r.total_ms)
                if on_results is not None:
                    on_results(batch)
            elif kind == "codes":
                assert issue_codes is not None
                if not stopping:  # (after "stop" the users waiting for them are cancelled)
                    openids: list[str] = message[1]
                    _send(ours, ("codes", dict(zip(openids, await issue_codes(openids), strict=True))))
            elif kind == "done":
                return
            elif kind == "error":
                raise WorkbenchError(message[1])
            else:  # "eof": the pipe closed without a word
                raise WorkbenchError(f"The traffic run's worker process ended unexpectedly "
                                     f"(exit code {process.exitcode}).")

    try:
        await until_done(stopping=False)
    except asyncio.CancelledError:
        if going:
            _send(ours, ("stop",))
            with contextlib.suppress(WorkbenchError, TimeoutError):
                await asyncio.wait_for(until_done(stopping=True), STOP_GRACE_S)  # what finished is stored
        raise
    finally:
        if not going:  # still starting up (or failed doing so): it has sent and stored nothing
            process.kill()
        await in_own_thread(process.join, STOP_GRACE_S, name="prepull-traffic-join")
        if process.is_alive():
            process.kill()
            await in_own_thread(process.join, name="prepull-traffic-join")
        # the worker's end is closed: the reader has its EOF
        await in_own_thread(reader.join, name="prepull-traffic-join")
        ours.close()
    return stats


def _send(connection: Connection, message: tuple[Any, ...]) -> None:
    with contextlib.suppress(OSError):  # the other side is gone: its reader reports that
        connection.send(message)


def _read_into(connection: Connection, loop: asyncio.AbstractEventLoop, inbox: asyncio.Queue[Any]) -> None:
    """Thread: every message from ``connection`` onto ``loop``'s ``inbox``; ("eof",) at the end."""
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            message = ("eof",)
        try:
            loop.call_soon_threadsafe(inbox.put_nowait, message)
        except RuntimeError:  # the loop is closed: nobody listens any more
            return
        if message[0] == "eof":
            return


# -- the worker process ------------------------------------------------------------------------


def _worker_main(connection: Connection, plan: TrafficPlan) -> None:
    """The worker process's entry point."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the app's to handle; it says "stop"
    code = 0
    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            runner.run(_Worker(connection, plan).run())
    except Exception as exc:  # reported to the app, then the process ends
        _send(connection, ("error", f"The traffic run failed: {exc}"))
        code = 1
    finally:
        connection.close()
    # Everything is stored (the store is closed) and said: end now. Python's own teardown (every
    # module freed) took 0.2-0.7 s of a loaded machine, while the closing app waited for it.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(code)


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (Linux and macOS): much of the worker's time goes to opening,
    writing and closing a connection per cold start, which uvloop does in C (a run of 5,000 took
    the worker 9-17% less CPU). Elsewhere (Windows), asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


class _Worker:
    def __init__(self, connection: Connection, plan: TrafficPlan) -> None:
        self.connection = connection
        self.plan = plan
        self.results: list[tuple[Any, ...]] = []
        self.codes: dict[str, str] = {}
        self.asked_until = 0  # users below this index have been asked codes for
        self.arrived: asyncio.Future[Any] | None = None
        #: True when the app says "go", False when it says "stop" first
        self.go: asyncio.Future[bool] | None = None
        self.stopping = False
        self.run_task: asyncio.Future[Any] | None = None

    async def run(self) -> None:
        import httpx  # noqa: F401  (else the first request loads it on this loop, and a "stop" waits for that)

        from workbench.core.client import PrefetchClient
        from workbench.core.store import Store
        from workbench.core.traffic import run_traffic

        loop = asyncio.get_running_loop()
        self.arrived = loop.create_future()
        self.go = loop.create_future()
        # listening from the start: a "stop" while starting up is heard as soon as the loop runs
        threading.Thread(target=self._listen, args=(loop,), name="prepull-traffic-listener", daemon=True).start()
        plan = self.plan
        store = Store(plan.store_path) if plan.store_path else None
        sender = asyncio.ensure_future(self._send_results())
        try:
            async with PrefetchClient(plan.settings, keepalive=False) as client:
                _send(self.connection, ("ready",))  # started up: nothing is sent before the app says go
                if await self.go and not self.stopping:
                    kwargs: dict[str, Any] = {}
                    if plan.codes_from_app:
                        kwargs = {"code_factory": self.codes.pop, "before_send": self._code_for}
                    self.run_task = asyncio.ensure_future(run_traffic(
                        client, plan.rollout, plan.population, plan.appid, plan.count, store=store, rate=plan.rate,
                        concurrency=plan.concurrency, launch=plan.launch, launch_mix=plan.launch_mix,
                        on_outcome=self._finished, keep_sides=False, **kwargs))
                    with contextlib.suppress(asyncio.CancelledError):
                        await self.run_task
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
            if store is not None:
                store.close()
        self._flush()
        _send(self.connection, ("done",))

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """Thread: the app's messages (codes, stop) onto the worker's loop."""
        while True:
            try:
                message = self.connection.recv()
            except (EOFError, OSError):
                message = ("stop",)  # the app is gone: stop, keeping what finished
            with contextlib.suppress(RuntimeError):  # the loop has ended
                loop.call_soon_threadsafe(self._handle, message)
            if message[0] == "stop":
                return

    def _handle(self, message: tuple[Any, ...]) -> None:
        assert self.go is not None and self.arrived is not None
        if message[0] == "codes":
            self.codes.update(message[1])
            arrived, self.arrived = self.arrived, asyncio.get_running_loop().create_future()
            arrived.set_result(None)
        elif message[0] == "go":
            if not self.go.done():
                self.go.set_result(True)
        elif message[0] == "stop":
            self.stopping = True
            if not self.go.done():
                self.go.set_result(False)
            if self.run_task is not None:
                self.run_task.cancel()

    async def _code_for(self, user: SimUser) -> None:
        """Before ``user`` is sent: their login code is here (users with a token need none)."""
        if user.token is not None:
            return
        if user.index + CODE_WINDOW // 2 >= self.asked_until:
            self._ask_codes(user.index)
        while user.openid not in self.codes:
            assert self.arrived is not None
            await self.arrived

    def _ask_codes(self, index: int) -> None:
        start = max(index, self.asked_until)
        stop = min(self.plan.count, self.plan.population.size, index + CODE_WINDOW)
        if start >= stop:
            return
        population = self.plan.population
        openids = [u.openid for u in (population.user(i) for i in range(start, stop)) if u.token is None]
        self.asked_until = stop
        if openids:
            _send(self.connection, ("codes", openids))

    def _finished(self, user: SimUser, side: str, outcome: Any) -> None:
        self.results.append((user.index, side, outcome.verdict.cached, outcome.timings.total_ms))

    async def _send_results(self) -> None:
        while True:
            await asyncio.sleep(RESULTS_INTERVAL_S)
            self._flush()

    def _flush(self) -> None:
        if self.results:
            batch, self.results = self.results, []
            _send(self.connection, ("results", batch))
