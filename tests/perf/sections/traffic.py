"""Cold-start traffic for simulated users, run from the Traffic tab against the embedded mock
server (as a user runs it: the window open, charts live, every outcome stored), against bare
httpx with keep-alive off asking a bare Starlette app on uvicorn, both in one process.

Same users count, same requests in flight (32). ``max_stall_ms`` is the longest the UI's event
loop could not run while our run went. Rounds alternate bare and ours; each figure is the median
of the rounds' (a stall includes the OS scheduling others' work on this shared machine: the
median keeps one unlucky round from being the figure).
"""

from __future__ import annotations

import asyncio
import time

from tests.perf.harness import StallMonitor, median, prefetch_params, ratio, run_qasync, temp_dir

CONCURRENCY = 32


async def bare_run(users: int) -> float:
    """Requests per second of a plain httpx client (no keep-alive) against a bare app, one process."""
    import httpx

    from tests.perf.harness import bare_starlette_app, bare_uvicorn

    body = b'{"openid": "o1", "path": "pages/index/index", "query": "id=1", "scene": 1047}'
    async with bare_uvicorn(bare_starlette_app(body)) as base, httpx.AsyncClient(
            limits=httpx.Limits(max_connections=256, max_keepalive_connections=0)) as client:
        urls = [base + "/prefetch", base + "/prefetch/gray"]
        left = users

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                response = await client.get(urls[left % 2], params=prefetch_params(f"sim-token-o{left}"))
                assert response.status_code == 200

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return users / (time.perf_counter() - t0)


async def workbench_run(users: int) -> tuple[float, float]:
    """(requests per second, longest UI stall in ms) of a run from the Traffic tab."""
    from workbench.services import Services
    from workbench.ui.traffic_view import TrafficView

    services = Services(temp_dir("traffic"))
    await services.start_mock(port=0)
    view = TrafficView(services)
    try:
        view.resize(1200, 800)
        view.show()
        view.population_size.setValue(users)
        view.run_count.setValue(users)
        view.concurrency.setValue(CONCURRENCY)
        view.percent.setValue(30)
        view.confirm_apply = lambda percent: True  # the confirmation a user clicks
        view.apply()
        await view.index_task
        await asyncio.sleep(0.2)  # the window has settled
        monitor = StallMonitor().start()
        t0 = time.perf_counter()
        task = view.run()
        assert task is not None, view.refusal.text()
        stats = (await task).stats
        elapsed = time.perf_counter() - t0
        stall = monitor.stop()
        sent = sum(stats.sent.values())
        assert sent == users and stats.cached == users, (stats.sent, stats.cached)
        return users / elapsed, stall
    finally:
        view.close()
        view.deleteLater()
        await services.aclose()


def run(quick: bool) -> dict:
    users = 500 if quick else 5000
    rounds = 1 if quick else 3

    async def main() -> dict:
        ours, bare, stalls = [], [], []
        for _ in range(rounds):
            bare.append(await bare_run(users))
            per_s, stall = await workbench_run(users)
            ours.append(per_s)
            stalls.append(stall)
        a, b = median(ours), median(bare)
        # the first round also loads and builds the charts (the median alone would hide its stall)
        return {"per_s": round(a, 1), "bare_per_s": round(b, 1), "ratio": ratio(a, b),
                "max_stall_ms": median(stalls), "first_round_stall_ms": stalls[0], "users": users}

    return run_qasync(main)
