"""Benchmark (not part of the test run): requests per second the mock server answers.

Runs the mock server in this process's loop (as the app does) and a load generator in a
separate processes (httpx, one keep-alive connection each) against 127.0.0.1 for a few seconds.

    python tests/perf/bench_mock_throughput.py [seconds]
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

from workbench.mockserver.server import MockServer

LOAD = textwrap.dedent("""
    import sys, time, httpx
    url, seconds = sys.argv[1], float(sys.argv[2])
    n, deadline = 0, time.perf_counter() + float(seconds)
    with httpx.Client() as client:
        while time.perf_counter() < deadline:
            client.get(url, params={"appid": "wx0123456789abcdef", "token": "token-alice", "timestamp": "1",
                                    "query": "id=1", "scene": "1047"}).raise_for_status()
            n += 1
    print(n)
""")
CLIENTS = 3



async def main(seconds: float) -> None:
    mock = MockServer()
    logged = []
    mock.listeners.append(logged.append)
    await mock.start()
    procs = [await asyncio.create_subprocess_exec(sys.executable, "-c", LOAD, mock.url("main"), str(seconds),
                                                  stdout=subprocess.PIPE) for _ in range(CLIENTS)]
    outs = [await p.communicate() for p in procs]
    await mock.stop()
    total = sum(int(out.decode()) for out, _ in outs)
    print(f"{total / seconds:,.0f} requests/s answered with {CLIENTS} keep-alive clients; "
          f"log records: {len(logged):,}")


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0))
