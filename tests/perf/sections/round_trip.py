"""One pre-pull round trip to the embedded mock server, stored, as the composer sends it,
against bare httpx asking a bare Starlette app on uvicorn: same loop (qasync), same process,
same body, sequential requests on a keep-alive connection. Blocks of each alternate.

Timed: until the outcome is the composer's to show (Services.send_and_store returns); the write
to the database goes on meanwhile on the background writer, and every one is checked stored.
"""

from __future__ import annotations

import asyncio
import time

from tests.perf.harness import APPID, median, prefetch_params, quantile, ratio, run_qasync, temp_dir


def run(quick: bool) -> dict:
    count = 200 if quick else 3000
    block = 50

    async def main() -> dict:
        import httpx

        from tests.perf.harness import bare_starlette_app, bare_uvicorn
        from workbench.core.protocol import Identity, Launch, PrefetchRequest
        from workbench.services import Services

        workspace = temp_dir("round-trip")
        services = Services(workspace)
        await services.start_mock(port=0)
        request = PrefetchRequest(url=services.mock.url("main"), appid=APPID, identity=Identity(token="token-alice"),
                                  launch=Launch(path="pages/index/index", query="id=1", scene=1047))
        _, first = await services.send(request, source="composer", user="alice", address_kind="main")
        ours: list[float] = []
        bare: list[float] = []
        writes: list = []
        try:
            async with bare_uvicorn(bare_starlette_app(first.body)) as base, httpx.AsyncClient() as client:
                url = base + "/prefetch"
                (await client.get(url, params=prefetch_params())).raise_for_status()
                while len(ours) < count:
                    for _ in range(block):
                        t0 = time.perf_counter()
                        stored, _ = await services.send_and_store(request, source="composer", user="alice",
                                                                  address_kind="main")
                        ours.append(time.perf_counter() - t0)
                        writes.append(stored)
                    for _ in range(block):
                        t0 = time.perf_counter()
                        response = await client.get(url, params=prefetch_params())
                        bare.append(time.perf_counter() - t0)
                        assert response.status_code == 200
            await asyncio.gather(*writes)
        finally:
            await services.aclose()
        stored = services_history_count(workspace)
        assert stored == len(ours) + 1, f"{stored} stored of {len(ours) + 1} sent"
        p50, bare_p50 = median(ours), median(bare)
        return {"p50_ms": round(p50 * 1000, 3), "p99_ms": round(quantile(ours, 0.99) * 1000, 3),
                "bare_p50_ms": round(bare_p50 * 1000, 3), "ratio": ratio(p50, bare_p50), "requests": len(ours)}

    return run_qasync(main)


def services_history_count(workspace) -> int:
    from workbench.core.store import Store

    store = Store.in_workspace(workspace)
    try:
        return store.history_count()
    finally:
        store.close()
