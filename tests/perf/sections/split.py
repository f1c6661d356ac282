"""The preview split for 1,000,000 simulated users, as the Traffic tab builds it when the user
sets the population size: seconds until the split shows, and the longest UI stall meanwhile.

Baseline (``hash_only_s``): the two hashes every user needs (the population's, then the
rollout bucket's, P29) in a plain loop, with nothing else.
"""

from __future__ import annotations

import asyncio
import hashlib
import time

from tests.perf.harness import APPID, StallMonitor, median, run_qasync, temp_dir

USERS = 1_000_000


def hashing_alone(n: int, seed: str, appid: str, rollout_id: str) -> float:
    b2 = hashlib.blake2b
    t0 = time.perf_counter()
    for i in range(n):
        digest = b2(f"{seed}\x00{i}".encode(), digest_size=32).digest()
        b2(f"{appid}\x00{rollout_id}\x00o{digest[:14].hex()}".encode(), digest_size=8).digest()
    return time.perf_counter() - t0


def run(quick: bool) -> dict:
    rounds = 1 if quick else 3

    async def main() -> dict:
        from PySide6.QtCore import QSettings

        from workbench.services import Services
        from workbench.ui.traffic_view import TrafficView

        QSettings().setValue("composer/appid", APPID)
        services = Services(temp_dir("split"))
        view = TrafficView(services)
        view.resize(1200, 800)
        view.show()
        builds, stalls, baseline = [], [], []
        try:
            # The tab builds its charts as soon as pyqtgraph is in (a thread loads it): 30-70 ms
            # on the UI thread, measured by the traffic section's first round. Not the split's:
            # on a machine whose page cache was just emptied, the import ended in round 0.
            await view.charts_box.built()
            for round_ in range(rounds):
                view.population_size.setValue(10_000)
                await view.index_task
                view.new_rollout()  # a fresh rollout id: nothing cached from the last round
                await view.index_task
                await asyncio.sleep(0.2)
                monitor = StallMonitor().start()
                t0 = time.perf_counter()
                view.population_size.setValue(USERS)
                await view.index_task
                builds.append(time.perf_counter() - t0)
                stalls.append(monitor.stop())
                assert sum(view.preview(0).values()) == USERS and "main 1,000,000" in view.split_label.text()
                baseline.append(await asyncio.to_thread(hashing_alone, USERS, "workbench", APPID,
                                                        f"baseline-{round_}"))
        finally:
            view.close()
            await services.aclose()
        return {"build_1m_s": round(median(builds), 3), "max_stall_ms": max(stalls),
                "hash_only_s": round(median(baseline), 3)}

    return run_qasync(main)


