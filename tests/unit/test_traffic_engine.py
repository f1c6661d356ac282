"""A traffic run holds what it needs, not what it did (issue 13): a fixed number of tasks however
many users, and latency quantiles from a sketch instead of every latency kept."""

from __future__ import annotations

import asyncio
import gc
import math
import random

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.core.traffic import LatencySketch, TrafficStats, run_traffic


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def test_the_sketch_gives_quantiles_within_half_a_percent_in_constant_memory():
    rng = random.Random(13)
    values = [rng.lognormvariate(1.5, 1.0) for _ in range(200_000)] + [0.0, 0.0005]
    sketch = LatencySketch()
    for v in values:
        sketch.add(v)
    for q in (0.01, 0.5, 0.9, 0.95, 0.99, 0.999):
        exact = nearest_rank(values, q)
        assert abs(sketch.quantile(q) - exact) <= 0.005 * exact + 1e-9, q
    assert sketch.count == len(values) and sketch.min == 0.0 and sketch.max == max(values)
    assert sketch.quantile(0) == 0.0 and sketch.quantile(1) == max(values)
    assert len(sketch._counts) < 2_000  # buckets, not values


def test_the_sketch_of_one_value_is_that_value_and_of_none_is_none():
    sketch = LatencySketch()
    assert sketch.quantile(0.5) is None
    sketch.add(3.25)
    assert sketch.quantile(0.5) == 3.25 and sketch.quantile(0.95) == 3.25


def test_stats_keep_counts_and_a_sketch_per_side():
    stats = TrafficStats(sides=None)
    for i in range(1000):
        stats.record("main" if i % 4 else "gray", i % 10 != 0, float(i))
    assert stats.sent == {"main": 750, "gray": 250} and stats.cached == 900 and stats.not_cached == 100
    summary = stats.latency_summary()
    assert abs(summary["main"]["p50"] - 499) / 499 < 0.01 and stats.sides is None


async def test_a_run_holds_a_task_per_worker_not_per_user(mock):
    population = Population(size=1200, seed="bounded")
    rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1").set_percent(30)
    tasks_seen = []

    def live_tasks() -> int:
        gc.collect()  # garbage is gone: the tasks counted are held by someone
        return sum(isinstance(o, asyncio.Task) for o in gc.get_objects())

    def on_outcome(user, side, outcome):
        if user.index % 200 == 199:
            tasks_seen.append(live_tasks())

    before = live_tasks()  # whatever earlier tests keep alive

    async with PrefetchClient(keepalive=False) as client:
        stats = await run_traffic(client, rollout, population, APPID, 1200, concurrency=8, on_outcome=on_outcome,
                                  code_factory=mock.issue_code)
    assert stats.sent == SplitIndex.build(population, APPID, "r1").split(30) and stats.cached == 1200
    assert max(tasks_seen) - before <= 8 + 10  # the workers, the server's handlers, this test's own
    assert isinstance(stats.latency["main"], LatencySketch)


async def test_sending_waits_while_a_few_hundred_results_wait_for_the_database():
    """A fast run outran its writes: 2,900 results were still queued after 3 s at 1,800/s, a
    close waited for them all (0.5 s, growing with the run) and a kill would have lost them. Now a
    put waits once PENDING_MAX_RESULTS results are queued, until the database catches up."""
    import threading

    from tests.support.outcomes import traffic_outcomes
    from workbench.core import traffic

    release = threading.Event()

    class SlowStore:
        def add_outcomes(self, batch):
            release.wait(10)  # a busy database
            return list(range(len(batch)))

    writer = traffic.StoreWriter(SlowStore())  # type: ignore[arg-type]
    results = traffic_outcomes(Population(size=1000), 0, traffic.PENDING_MAX_RESULTS + traffic.STORE_BATCH + 1)
    queued = 0
    for item in results:
        put = asyncio.ensure_future(writer.put(*item))
        await asyncio.sleep(0)
        if not put.done():
            break
        queued += 1
    assert queued <= traffic.PENDING_MAX_RESULTS + traffic.STORE_BATCH  # (one batch is being written)
    assert not put.done()  # sending waits
    release.set()
    await asyncio.wait_for(put, 10)  # and goes on once the database has caught up
    await writer.aclose()
    assert writer.stored == queued + 1
