"""Durability (issue 11.7): results are stored at least every 100 ms, and a process killed at any
moment loses none of the results it had committed, and leaves a sound database."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.rollout import Population, Rollout
from workbench.core.store import DB_NAME, Store
from workbench.core.traffic import run_traffic

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20


def _read_line(proc: subprocess.Popen, timeout: float) -> bytes:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "the storing process did not start"
    return proc.stdout.readline()


def test_kill_9_at_random_moments_never_loses_a_committed_result(tmp_path):
    path = tmp_path / DB_NAME
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    reported: set[int] = set()
    for kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.storing_child", str(path)],
                                cwd=ROOT, stdout=subprocess.PIPE)
        try:
            assert _read_line(proc, 60) == b"ready\n"
            time.sleep(rng.uniform(0.02, 0.5))  # the scenario: a kill at a random moment, mid-write or not
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            out = proc.communicate()[0]
        lines = out.split(b"\n")[:-1]  # a line cut by the kill is not a report
        reported |= {int(line) for line in lines}
        db = sqlite3.connect(path)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", (kill, seed)
            present = {r[0] for r in db.execute("SELECT id FROM history")}
        finally:
            db.close()
        missing = reported - present
        assert not missing, f"kill {kill} (seed {seed}) lost committed results {sorted(missing)[:10]}"
    assert len(reported) > KILLS * 50  # the kills hit a process that was really storing
    store = Store(path)
    try:
        assert store.damaged is None and store.history_count() >= len(reported)
    finally:
        store.close()


async def test_a_slow_run_is_stored_as_it_goes_not_in_batches_of_200(mock, workspace):
    """30 results at 20 a second: the old batches of 200 stored them only at the end."""
    store = Store.in_workspace(workspace)
    batches: list[list[int]] = []
    while_running: list[int] = []

    def stored(ids: list[int]) -> None:
        batches.append(ids)
        if len(batches) == 2:
            while_running.append(sent)

    sent = 0

    def counted(*_args: object) -> None:
        nonlocal sent
        sent += 1

    try:
        rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r").set_percent(50)
        async with PrefetchClient(keepalive=False) as client:
            stats = await run_traffic(client, rollout, Population(size=30), APPID, 30, store=store, rate=20,
                                      code_factory=mock.issue_code, on_outcome=counted, on_stored=stored)
    finally:
        store.close()
    assert stats.stored == 30 and sum(len(b) for b in batches) == 30
    assert len(batches) >= 3 and while_running[0] < 30  # stored while the run was still sending


async def test_big_results_are_written_a_few_megabytes_at_a_time(workspace):
    """11.3: a batch goes when it holds 4 MiB of bodies, not only at 200 results (200 bodies of
    2 MiB would be 400 MiB in memory)."""
    from tests.support.outcomes import traffic_outcomes
    from workbench.core.traffic import StoreWriter

    store = Store.in_workspace(workspace)
    batches: list[int] = []
    try:
        writer = StoreWriter(store, on_stored=lambda ids: batches.append(len(ids)), flush_s=60)
        for i in range(6):
            body = bytes([65 + i]) * (2 * 1024 * 1024)  # six different 2 MiB bodies
            for item in traffic_outcomes(Population(size=6), i, 1, users=6, body=body):
                await writer.put(*item)
        await writer.aclose()
    finally:
        store.close()
    assert batches == [2, 2, 2]  # by bytes: the 60 s timer and the count of 200 never came into it
