"""Requests per second the mock server answers, as the app runs it (in a plain asyncio loop in a
thread of its own, every request logged to the views and the database through the UI's qasync
loop), against a bare Starlette app on uvicorn served the same way (a plain loop in a thread of
its own, in a process whose main thread runs a qasync loop). The same load for both: client
processes with one keep-alive connection each, asking the pre-pull path with a valid token for a
fixed time. Rounds alternate.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

from tests.perf.harness import median, ratio, run_qasync, temp_dir

CLIENTS = 2
LOAD = textwrap.dedent("""
    import sys, time, httpx
    url, seconds = sys.argv[1], float(sys.argv[2])
    params = {"appid": "wx0123456789abcdef", "token": "token-alice", "timestamp": "1700000000000",
              "path": "pages/index/index", "query": "id=1", "scene": "1047"}
    with httpx.Client() as client:
        client.get(url, params=params).raise_for_status()
        sys.stdout.write("ready\\n"); sys.stdout.flush()
        sys.stdin.readline()  # go
        n, deadline = 0, time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            client.get(url, params=params).raise_for_status()
            n += 1
    print(n)
""")


async def load(url: str, seconds: float) -> float:
    """Requests per second that CLIENTS processes got answered, started together once all are ready."""
    procs = [await asyncio.create_subprocess_exec(sys.executable, "-c", LOAD, url, str(seconds),
                                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for _ in range(CLIENTS)]
    for p in procs:
        assert p.stdout is not None
        assert (await asyncio.wait_for(p.stdout.readline(), 60)).strip() == b"ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write(b"go\n")
        await p.stdin.drain()
    outs = [await asyncio.wait_for(p.communicate(), seconds + 60) for p in procs]
    return sum(int(out.decode().split()[-1]) for out, _ in outs) / seconds


async def workbench_round(seconds: float) -> float:
    from workbench.services import Services

    services = Services(temp_dir("mock"))
    logged = []
    services.mockRequestsLogged.connect(lambda batch: logged.append(len(batch)))
    try:
        await services.start_mock(port=0)
        per_s = await load(services.mock.url("main"), seconds)
        await asyncio.sleep(0.3)  # the last log batch reaches the views
    finally:
        await services.aclose()
    assert sum(logged) >= per_s * seconds, "the log missed requests"
    return per_s


async def bare_round(seconds: float, body: bytes) -> float:
    from tests.perf.harness import bare_starlette_app, bare_uvicorn_in_thread

    async with bare_uvicorn_in_thread(bare_starlette_app(body)) as base:
        return await load(base + "/prefetch", seconds)


def run(quick: bool) -> dict:
    seconds = 1.5 if quick else 5.0
    rounds = 1 if quick else 3

    async def main() -> dict:
        import httpx

        from tests.perf.harness import prefetch_params
        from workbench.mockserver.server import MockServer

        mock = MockServer()  # the bare app answers with the mock's own default answer
        await mock.start()
        try:
            async with httpx.AsyncClient() as client:
                body = (await client.get(mock.url("main"), params=prefetch_params())).content
        finally:
            await mock.stop()
        ours, bare = [], []
        for _ in range(rounds):
            ours.append(await workbench_round(seconds))
            bare.append(await bare_round(seconds, body))
        a, b = median(ours), median(bare)
        return {"per_s": round(a, 1), "bare_per_s": round(b, 1), "ratio": ratio(a, b)}

    return run_qasync(main)
