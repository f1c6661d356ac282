"""A process that stores results without pause, the way a traffic run does (through
StoreWriter), and prints each id once its batch is committed. test_kill.py kills it with SIGKILL.

    python -m tests.reliability.storing_child DB_FILE
"""

from __future__ import annotations

import asyncio
import sys

from tests.support.outcomes import traffic_outcomes
from workbench.core.rollout import Population
from workbench.core.store import Store
from workbench.core.traffic import StoreWriter


async def main(path: str) -> None:
    store = Store(path)
    population = Population(size=200)

    def committed(ids: list[int]) -> None:
        sys.stdout.write("".join(f"{i}\n" for i in ids))
        sys.stdout.flush()

    writer = StoreWriter(store, on_stored=committed)
    print("ready", flush=True)
    n = 0
    while True:
        for item in traffic_outcomes(population, n, 10, users=200):
            await writer.put(*item)
        n += 10
        await asyncio.sleep(0.001)  # results keep coming, a few thousand a second


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
