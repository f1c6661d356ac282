"""Real cold-start traffic for simulated users: each sends its pre-pull to the address the
rollout picks, with bounded concurrency and rate, and every outcome is stored."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from workbench.core.client import Outcome, PrefetchClient
from workbench.core.protocol import Identity, Launch, PrefetchRequest, generate_code
from workbench.core.rollout import Population, Rollout, Side, SimUser
from workbench.core.store import Store

#: Outcomes are written in batches of this many (one transaction each).
STORE_BATCH = 200


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
                return min(max(middle, self.min), self.max)
        return self.max


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
                launch: Launch) -> tuple[str, PrefetchRequest]:
    side = rollout.side(appid, user.openid, user.version)
    identity = Identity(token=user.token) if user.token else Identity(code=code_factory(user.openid))
    return side.value, PrefetchRequest(url=rollout.url_for(side), appid=appid, identity=identity, launch=launch)


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
    code_factory: Callable[[str], str] = lambda _user: generate_code(),
    on_outcome: Callable[[SimUser, str, Outcome], None] | None = None,
    before_send: Callable[[SimUser], Awaitable[None]] | None = None,
    keep_sides: bool = True,
) -> TrafficStats:
    """Send ``count`` cold starts. Cancelling the task stops sending; what finished is stored.

    ``concurrency`` workers take the users in order, so a run holds that many tasks however many
    users it has. ``before_send`` is awaited for each user before its request is built (a worker
    process waits there for login codes the app's mock server issued). Give it a
    ``PrefetchClient(keepalive=False)``: one connection per cold start, as separate devices would.
    """
    launch = launch or Launch(path="pages/index/index", scene=1001)
    stats = TrafficStats(sides={} if keep_sides else None)
    pending: list[tuple[Outcome, str, str, str]] = []
    loop = asyncio.get_running_loop()
    writes: list[asyncio.Future] = []
    total = min(count, population.size)
    next_index = 0
    start = loop.time()

    def flush() -> None:
        nonlocal pending
        if store is not None and pending:
            batch, pending = pending, []
            writes.append(asyncio.ensure_future(asyncio.to_thread(store.add_outcomes, batch)))

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
            side, request = request_for(user, rollout, appid, code_factory, launch)
            outcome = await client.prefetch(request)
            stats.add(user, side, outcome)
            pending.append((outcome, "traffic", user.openid, side))
            if len(pending) >= STORE_BATCH:
                flush()
            if on_outcome is not None:
                on_outcome(user, side, outcome)

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, min(concurrency, total)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        flush()
        if writes:
            await asyncio.gather(*writes)
    return stats


def report(stats: TrafficStats, users: int, percent: float, preview: dict[str, int]) -> dict:
    """The JSON object `prepull-workbench traffic --json` prints."""
    return {"users": users, "percent": percent, "preview": preview, "main": stats.sent[Side.MAIN],
            "gray": stats.sent[Side.GRAY], "cached": stats.cached, "not_cached": stats.not_cached,
            "latency_ms": stats.latency_summary()}
