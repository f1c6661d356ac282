"""Real cold-start traffic for simulated users: each sends its pre-pull to the address the
rollout picks, with bounded concurrency and rate, and every outcome is stored."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.core.client import Outcome, PrefetchClient
from workbench.core.launch_mix import LaunchMix
from workbench.core.model import TimestampUnit
from workbench.core.protocol import Launch, PrefetchRequest, generate_code, identity_for
from workbench.core.rollout import Population, Rollout, Side, SimUser
from workbench.core.store import Store

#: Outcomes are written in batches of this many (one transaction each).
STORE_BATCH = 200


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 3)


@dataclass(slots=True)
class TrafficStats:
    sent: dict[str, int] = field(default_factory=lambda: {"main": 0, "gray": 0})
    cached: int = 0
    not_cached: int = 0
    latency: dict[str, list[float]] = field(default_factory=lambda: {"main": [], "gray": []})
    #: user openid -> side, for comparing a run with the preview user for user
    sides: dict[str, str] = field(default_factory=dict)
    #: cold starts sent per launch-mix variant (index into the mix)
    launches: dict[int, int] = field(default_factory=dict)

    def add(self, user: SimUser, side: str, outcome: Outcome) -> None:
        self.sent[side] += 1
        self.sides[user.openid] = side
        if outcome.verdict.cached:
            self.cached += 1
        else:
            self.not_cached += 1
        if outcome.timings.total_ms is not None:
            self.latency[side].append(outcome.timings.total_ms)

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
    code_factory: Callable[[str], str] = lambda _user: generate_code(),
    on_outcome: Callable[[SimUser, str, Outcome], None] | None = None,
) -> TrafficStats:
    """Send ``count`` cold starts. Cancelling the task stops sending; what finished is stored.

    Each user launches with ``launch_mix.pick(user.index)`` when a mix is given (deterministic
    per user), else with ``launch``. Give it a ``PrefetchClient(keepalive=False)``: one
    connection per cold start, as separate devices would, and no pooled-connection races under
    high concurrency."""
    mix = launch_mix or LaunchMix.single(launch or Launch(path="pages/index/index", scene=1001))
    launches = [v.launch() for v in mix.variants]
    timestamp_unit = client.settings.timestamp_unit
    stats = TrafficStats()
    pending: list[tuple[Outcome, str, str, str]] = []
    semaphore = asyncio.Semaphore(max(1, concurrency))
    loop = asyncio.get_running_loop()
    writes: list[asyncio.Future] = []

    def flush() -> None:
        nonlocal pending
        if store is not None and pending:
            batch, pending = pending, []
            writes.append(asyncio.ensure_future(asyncio.to_thread(store.add_outcomes, batch)))

    async def one(user: SimUser) -> None:
        variant = mix.index_of(user.index)
        try:
            side, request = request_for(user, rollout, appid, code_factory, launches[variant], identity_kind,
                                        timestamp_unit)
            outcome = await client.prefetch(request)
        finally:
            semaphore.release()
        stats.add(user, side, outcome)
        stats.launches[variant] = stats.launches.get(variant, 0) + 1
        pending.append((outcome, "traffic", user.openid, side))
        if len(pending) >= STORE_BATCH:
            flush()
        if on_outcome is not None:
            on_outcome(user, side, outcome)

    tasks: list[asyncio.Task] = []
    start = loop.time()
    try:
        for i in range(min(count, population.size)):
            if rate:
                delay = start + i / rate - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            await semaphore.acquire()
            tasks.append(asyncio.ensure_future(one(population.user(i))))
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        flush()
        if writes:
            await asyncio.gather(*writes)
    return stats


def report(stats: TrafficStats, users: int, percent: float, preview: dict[str, int],
           launch_mix: LaunchMix | None = None) -> dict:
    """The JSON object `prepull-workbench traffic --json` prints."""
    out = {"users": users, "percent": percent, "preview": preview, "main": stats.sent[Side.MAIN],
           "gray": stats.sent[Side.GRAY], "cached": stats.cached, "not_cached": stats.not_cached,
           "latency_ms": stats.latency_summary()}
    if launch_mix is not None:
        out["launch_mix"] = [{**row, "sent": stats.launches.get(i, 0)}
                             for i, row in enumerate(launch_mix.to_json())]
    return out
