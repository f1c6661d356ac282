"""Real cold-start traffic for simulated users: each sends its pre-pull to the address the
rollout picks, with bounded concurrency and rate, and every outcome is stored."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from workbench.core.client import Outcome, PrefetchClient
from workbench.core.errors import StoreError
from workbench.core.launch_mix import LaunchMix
from workbench.core.model import TimestampUnit
from workbench.core.protocol import Launch, PrefetchRequest, generate_code, identity_for
from workbench.core.rollout import Population, Rollout, Side, SimUser
from workbench.core.store import Store

#: A batch of results is written (one transaction) when it holds this many results...
STORE_BATCH = 200
#: ...or this many bytes of bodies (a few 2 MiB bodies, not 200 of them)...
STORE_BATCH_BYTES = 4 * 1024 * 1024
#: ...or this long after its first result came in: a kill loses at most this much (issue 11.7).
FLUSH_S = 0.1
#: Sending waits while this many bytes of results wait for the database (a busy file)...
PENDING_MAX_BYTES = 32 * 1024 * 1024
#: ...or this many results: the database sets the pace. Without it a fast run outran its writes
#: (2,900 results behind after 3 s at 1,800/s), a close waited for them all (0.5 s and growing
#: with the run) and a kill lost them, not the FLUSH_S worth it promises to lose at most.
PENDING_MAX_RESULTS = 2 * STORE_BATCH


class StoreWriter:
    """Stores results from one task, one batch at a time, in a thread: by count, by bytes or by
    time, whichever comes first. A busy database is waited for (the store does it); a result is
    only given up when the store finally refuses, and then it is counted in :attr:`unstored`.

    ``on_stored`` gets the ids of each committed batch (after the commit)."""

    def __init__(self, store: Store, *, on_stored: Callable[[list[int]], None] | None = None,
                 flush_s: float = FLUSH_S, batch: int = STORE_BATCH, batch_bytes: int = STORE_BATCH_BYTES) -> None:
        self.store = store
        self.on_stored = on_stored
        self.flush_s, self.batch, self.batch_bytes = flush_s, batch, batch_bytes
        self.stored = 0
        self.unstored = 0
        #: Why results were not stored (the store's sentence), or None.
        self.error: StoreError | None = None
        self._pending: deque[tuple[Outcome, str, str, str]] = deque()
        self._bytes = 0
        self._arrived = asyncio.Event()
        self._full = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._closing = False
        self._task = asyncio.ensure_future(self._run())

    async def put(self, outcome: Outcome, source: str, user: str, address_kind: str) -> None:
        """Queue one result; waits while too much is queued (the database is slower than the network)."""
        self._pending.append((outcome, source, user, address_kind))
        self._bytes += len(outcome.body)
        self._arrived.set()
        if len(self._pending) >= self.batch or self._bytes >= self.batch_bytes:
            self._full.set()
        if self._bytes >= PENDING_MAX_BYTES or len(self._pending) >= PENDING_MAX_RESULTS:
            self._room.clear()
            await self._room.wait()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._arrived.wait()
            if not self._closing:
                # a batch goes when full or FLUSH_S after its first result
                deadline = loop.time() + self.flush_s
                while not self._full.is_set() and not self._closing and (left := deadline - loop.time()) > 0:
                    try:
                        await asyncio.wait_for(self._full.wait(), left)
                    except TimeoutError:
                        break
            batch = self._take()
            if batch:
                await self._write(batch)
            if self._closing and not self._pending:
                return

    def _take(self) -> list[tuple[Outcome, str, str, str]]:
        """The next batch: at most ``batch`` results and about ``batch_bytes`` of bodies (one
        transaction never holds more); the rest waits for the next write."""
        batch: list[tuple[Outcome, str, str, str]] = []
        size = 0
        while self._pending and len(batch) < self.batch and size < self.batch_bytes:
            item = self._pending.popleft()
            batch.append(item)
            size += len(item[0].body)
        self._bytes -= size
        if not self._pending:
            self._arrived.clear()
        if len(self._pending) < self.batch and self._bytes < self.batch_bytes:
            self._full.clear()
        if self._bytes < PENDING_MAX_BYTES and len(self._pending) < PENDING_MAX_RESULTS:
            self._room.set()
        return batch

    async def _write(self, batch: list[tuple[Outcome, str, str, str]]) -> None:
        if self.error is not None:  # the store refused already: do not wait again for every batch
            self.unstored += len(batch)
            return
        try:
            ids = await asyncio.to_thread(self.store.add_outcomes, batch)
        except StoreError as exc:
            self.error = exc
            self.unstored += len(batch)
            return
        self.stored += len(ids)
        if self.on_stored is not None:
            self.on_stored(ids)

    async def aclose(self) -> None:
        """Store what is queued and stop (never cancelled halfway: a batch is written whole)."""
        self._closing = True
        self._arrived.set()
        self._full.set()
        await asyncio.shield(self._task)


class LatencySketch:
    """Quantiles of a stream of latencies in constant memory, whatever the run's length.

    Latencies are counted in logarithmic buckets 1% wide (a million cold starts take a few
    hundred counters, not a million floats), so a quantile is within 0.5% of the exact value;
    the smallest and largest are kept exactly.
    """

    GROWTH = 1.01
    #: Latencies at or below this many ms count as this (a loopback answer is rarely under 10 µs).
    FLOOR_MS = 0.001

    __slots__ = ("_counts", "count", "max", "min")

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self.count = 0
        self.min = math.inf
        self.max = -math.inf

    def add(self, value: float) -> None:
        key = math.floor(math.log(max(value, self.FLOOR_MS)) / _LOG_GROWTH)
        self._counts[key] = self._counts.get(key, 0) + 1
        self.count += 1
        self.min = min(self.min, value)
        self.max = max(self.max, value)

    def quantile(self, q: float) -> float | None:
        """The q-quantile (0 <= q <= 1) by the nearest rank, or None with no values."""
        if not self.count:
            return None
        rank = max(1, math.ceil(q * self.count))
        if rank == 1 or rank == self.count:  # the extremes are kept exactly
            return self.min if rank == 1 else self.max
        seen = 0
        for key in sorted(self._counts):
            seen += self._counts[key]
            if seen >= rank:
                middle = self.GROWTH ** (key + 0.5)  # the bucket's geometric middle
                return float(min(max(middle, self.min), self.max))
        return float(self.max)


_LOG_GROWTH = math.log(LatencySketch.GROWTH)


def percentile(sketch: LatencySketch, q: float) -> float | None:
    """The q-th percentile (0-100), rounded to µs, or None with no values."""
    value = sketch.quantile(q / 100)
    return None if value is None else round(value, 3)


@dataclass(slots=True)
class TrafficStats:
    sent: dict[str, int] = field(default_factory=lambda: {"main": 0, "gray": 0})
    cached: int = 0
    not_cached: int = 0
    latency: dict[str, LatencySketch] = field(default_factory=lambda: {"main": LatencySketch(),
                                                                        "gray": LatencySketch()})
    #: user openid -> side, for comparing a run with the preview user for user (None: not kept,
    #: as for a big run in the app, where it would be a million entries)
    sides: dict[str, str] | None = field(default_factory=dict)
    #: cold starts sent per launch-mix variant (index into the mix)
    launches: dict[int, int] = field(default_factory=dict)
    #: results written to the store, and those it refused (with its sentence)
    stored: int = 0
    unstored: int = 0
    store_error: str = ""

    def add(self, user: SimUser, side: str, outcome: Outcome) -> None:
        self.record(side, outcome.verdict.cached, outcome.timings.total_ms, user.openid)

    def record(self, side: str, cached: bool, total_ms: float | None, openid: str | None = None) -> None:
        self.sent[side] += 1
        if self.sides is not None and openid is not None:
            self.sides[openid] = side
        if cached:
            self.cached += 1
        else:
            self.not_cached += 1
        if total_ms is not None:
            self.latency[side].add(total_ms)

    def latency_summary(self) -> dict[str, dict[str, float | None]]:
        return {side: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for side, v in self.latency.items()}


def request_for(user: SimUser, rollout: Rollout, appid: str, code_factory: Callable[[str], str],
                launch: Launch, identity_kind: str = "auto",
                timestamp_unit: TimestampUnit = TimestampUnit.MILLISECONDS) -> tuple[str, PrefetchRequest]:
    side = rollout.side(appid, user.openid, user.version)
    # "token" for a user who never set one: the simulated token its population would have set
    token = user.token or (f"sim-token-{user.openid}" if identity_kind == "token" else None)
    identity = identity_for(identity_kind, token, lambda: code_factory(user.openid))
    return side.value, PrefetchRequest(url=rollout.url_for(side), appid=appid, identity=identity, launch=launch,
                                       timestamp_unit=timestamp_unit)


async def run_traffic(
    client: PrefetchClient,
    rollout: Rollout,
    population: Population,
    appid: str,
    count: int,
    *,
    store: Store | None = None,
    rate: float | None = None,
    concurrency: int = 32,
    launch: Launch | None = None,
    launch_mix: LaunchMix | None = None,
    identity_kind: str = "auto",
    code_factory: Callable[[str], str] | None = None,
    on_outcome: Callable[[SimUser, str, Outcome], None] | None = None,
    on_stored: Callable[[list[int]], None] | None = None,
    before_send: Callable[[SimUser], Awaitable[None]] | None = None,
    keep_sides: bool = True,
) -> TrafficStats:
    """Send ``count`` cold starts. Cancelling the task stops sending; what finished is stored
    (see :class:`StoreWriter`: at least every 100 ms, batched by count and bytes).

    Each user launches with ``launch_mix.pick(user.index)`` when a mix is given (deterministic
    per user), else with ``launch``. ``concurrency`` workers take the users in order, so a run
    holds that many tasks however many users it has. ``before_send`` is awaited for each user
    before its request is built (a worker process waits there for login codes the app's mock
    server issued). Give it a ``PrefetchClient(keepalive=False)``: one connection per cold start,
    as separate devices would. ``code_factory`` gives a user's
    login code; None: a fresh random code each time."""
    make_code = code_factory or (lambda _user: generate_code())
    mix = launch_mix or (LaunchMix.single(launch) if launch is not None else LaunchMix.default())
    launches = [v.launch() for v in mix.variants]
    timestamp_unit = client.settings.timestamp_unit
    stats = TrafficStats(sides={} if keep_sides else None)
    loop = asyncio.get_running_loop()
    writer = StoreWriter(store, on_stored=on_stored) if store is not None else None
    total = min(count, population.size)
    next_index = 0
    start = loop.time()

    async def worker() -> None:
        nonlocal next_index
        while next_index < total:
            index = next_index
            next_index += 1
            if rate:
                delay = start + index / rate - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            user = population.user(index)
            if before_send is not None:
                await before_send(user)
            variant = mix.index_of(user.index)
            side, request = request_for(user, rollout, appid, make_code, launches[variant], identity_kind,
                                        timestamp_unit)
            outcome = await client.prefetch(request)
            stats.add(user, side, outcome)
            stats.launches[variant] = stats.launches.get(variant, 0) + 1
            if on_outcome is not None:
                on_outcome(user, side, outcome)
            if writer is not None:
                await writer.put(outcome, "traffic", user.openid, side)

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, min(concurrency, total)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if writer is not None:
            await writer.aclose()
            stats.stored, stats.unstored = writer.stored, writer.unstored
            stats.store_error = str(writer.error) if writer.error is not None else ""
    return stats


class TrafficReport(TypedDict):
    """The JSON object `prepull-workbench traffic --json` prints (its shape, for the text output too)."""

    users: int
    percent: float
    preview: dict[str, int]
    main: int
    gray: int
    cached: int
    not_cached: int
    latency_ms: dict[str, dict[str, float | None]]
    stored: int
    launch_mix: NotRequired[list[dict[str, object]]]


def report(stats: TrafficStats, users: int, percent: float, preview: dict[str, int],
           launch_mix: LaunchMix | None = None) -> TrafficReport:
    """The JSON object `prepull-workbench traffic --json` prints."""
    out: TrafficReport = {"users": users, "percent": percent, "preview": preview, "main": stats.sent[Side.MAIN],
           "gray": stats.sent[Side.GRAY], "cached": stats.cached, "not_cached": stats.not_cached,
           "latency_ms": stats.latency_summary(), "stored": stats.stored}
    if launch_mix is not None:
        out["launch_mix"] = [{**row, "sent": stats.launches.get(i, 0)}
                             for i, row in enumerate(launch_mix.to_json())]
    return out
