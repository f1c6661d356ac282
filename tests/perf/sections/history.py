"""History at a million rows (issue 13): open, filter, deep page, memory, disk, UI stalls.

``run(quick)`` fills its own temporary database (20,000 rows quick, 1,000,000 full) with traffic
results like a run's (~50-byte JSON bodies, users cycling through 10,000, 10% gray, 2% errors),
then measures in a fresh process, as the app would open it:

- ``open_ms``: open the store, first page and total (what the history tab waits for);
- ``filter_ms``: median of five ~1% substring filters, first page and (capped) count;
- ``deep_page_ms``: median 200-row page 99% of the way down (keyset: ``id < ?``);
- ``rss_mb``: peak RSS of that process, UI included; ``db_mb``: the file, WAL merged;
- ``ui_max_stall_ms``: the longest gap of a 5 ms Qt timer while the history view's model
  reloads, filters as someone types and scrolls 20 pages (queries in threads);
- ``fill_per_s``: rows stored per second (batches of 2,000, the traffic path), beside
  ``bare_fill_per_s``, a plain ``executemany`` of the same rows' values into a bare table.

    python -m tests.perf.sections.history [--quick]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.outcomes import traffic_outcomes
from workbench.core.rollout import Population
from workbench.core.store import Store

USERS = 10_000
#: Each matches ~1.1% of the rows (query id=42 and id=420..429 of id=0..999).
FILTERS = ("id=42", "id=17", "id=73", "id=88", "id=51")


def fill(path: Path | str, rows: int, batch: int = 2000) -> tuple[float, float]:
    """Fill a new database; (rows stored per second, the first 20,000 results through a bare
    ``executemany`` per second). Making the results is not counted."""
    population = Population(size=USERS)
    store = Store(path)
    stored_s = 0.0
    sample: list[tuple[Any, ...]] = []
    try:
        for start in range(0, rows, batch):
            items = traffic_outcomes(population, start, min(batch, rows - start), users=USERS)
            if len(sample) < 20_000:
                sample += items
            t0 = time.perf_counter()
            store.add_outcomes(items)
            stored_s += time.perf_counter() - t0
    finally:
        store.close()
    return rows / stored_s, _bare_fill(Path(path).with_suffix(".bare"), sample)


def _bare_row(o: Any, source: str, user: str, kind: str) -> tuple[Any, ...]:
    """The values schema 1 stored for a result, one column each (the old layout, without indexes)."""
    r = o.request
    return (o.started_ms, o.finished_ms, source, None, r.appid, user, str(r.fetch_type), kind, r.url, o.sent.url,
            json.dumps(o.sent.params), json.dumps(o.sent.headers), r.identity.token, r.identity.code, r.launch.path,
            r.launch.query, r.launch.scene, r.launch.version, str(r.timestamp_unit), 0, o.status, o.reason_phrase,
            o.http_version, json.dumps(o.headers), o.body, o.body_size, 0, o.timings.connect_ms,
            o.timings.first_byte_ms, o.timings.total_ms, int(o.verdict.cached),
            json.dumps([x.to_json() for x in o.verdict.reasons]))


def _bare_fill(path: Path, items: list[tuple[Any, ...]]) -> float:
    """The baseline: each result's values as one tuple (four json.dumps, as schema 1 had), then
    one ``executemany`` per 2,000 into a table with no index."""
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        width = len(_bare_row(*items[0]))
        db.execute(f"CREATE TABLE bare ({', '.join(f'c{i}' for i in range(width))})")
        marks = ", ".join("?" * width)
        t0 = time.perf_counter()
        for start in range(0, len(items), 2000):
            rows = [_bare_row(*item) for item in items[start:start + 2000]]
            db.execute("BEGIN")
            db.executemany(f"INSERT INTO bare VALUES ({marks})", rows)
            db.execute("COMMIT")
        return len(items) / (time.perf_counter() - t0)
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _peak_rss_kib() -> int:
    """This process's peak RSS. Not ru_maxrss: Linux carries it over exec, so a child started by a
    big parent would report the parent's size."""
    return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0])


def measure(path: Path) -> dict[str, float]:
    """The figures of an existing database, in this (fresh) process."""
    t0 = time.perf_counter()
    store = Store(path)
    store.history_page()
    store.history_search_count()
    open_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    store._checked.wait()  # a big file is checked in a thread; say how long that takes, apart
    check_ms = (time.perf_counter() - t0) * 1000
    top = store.history_page(limit=1)[0].id
    filters = []
    for term in FILTERS:
        t0 = time.perf_counter()
        store.history_page(term)
        store.history_search_count(term)
        filters.append((time.perf_counter() - t0) * 1000)
    deep = []
    for k in range(5):
        before = top - int(top * 0.99) + k * 7
        t0 = time.perf_counter()
        page = store.history_page("", before, 200)
        deep.append((time.perf_counter() - t0) * 1000)
        assert len(page) == min(200, before - 1)
    stall = _ui_max_stall(store)
    store.close()
    return {"open_ms": round(open_ms, 1), "check_ms": round(check_ms, 1),
            "filter_ms": round(statistics.median(filters), 1), "filter_max_ms": round(max(filters), 1),
            "deep_page_ms": round(statistics.median(deep), 2), "ui_max_stall_ms": round(stall, 1),
            "rss_mb": round(_peak_rss_kib() / 1024, 1)}


def _ui_max_stall(store: Store) -> float:
    """The longest the UI's loop went without running a 5 ms timer while the history model
    reloads, filters (typed a character at a time) and scrolls."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import asyncio

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QTableView

    from workbench.ui.history_view import HistoryModel

    app = QApplication.instance() or QApplication([])

    class _Services:  # what HistoryModel needs of Services
        def __init__(self) -> None:
            self.store = store

        @staticmethod
        def spawn(coro: Any) -> asyncio.Future:
            return asyncio.ensure_future(coro)

        async def query(self, fn: Any, *args: Any) -> Any:
            return await asyncio.to_thread(fn, self.store, *args)

    gaps: list[float] = []

    async def scenario() -> None:
        last = time.perf_counter()

        def tick() -> None:
            nonlocal last
            now = time.perf_counter()
            gaps.append((now - last) * 1000)
            last = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        model = HistoryModel(_Services())
        view = QTableView()
        view.setModel(model)
        view.resize(1200, 800)
        view.show()
        await model.load_task
        timer.start()
        last = time.perf_counter()
        for text in ("i", "id", "id=", "id=4", "id=42"):  # typed: each reload replaces the last
            model.reload(text)
            await asyncio.sleep(0.05)
        await model.load_task
        model.reload("")
        await model.load_task
        for _ in range(20):  # scrolling down: a page at a time
            model.fetchMore()
            if model.load_task is not None:
                await model.load_task
            view.scrollToBottom()
            await asyncio.sleep(0.01)
        timer.stop()
        if model.load_task is not None:
            await model.load_task  # the page the view itself asked for at the bottom
        view.close()

    loop = qasync.QEventLoop(app)
    with loop:
        loop.run_until_complete(scenario())
    return max(gaps) if gaps else 0.0


def run(quick: bool) -> dict[str, Any]:
    rows = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="perf-history-") as folder:
        path = Path(folder) / "workbench.sqlite3"
        fill_per_s, bare_per_s = fill(path, rows)
        store = Store(path)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        db_mb = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
        root = Path(__file__).resolve().parents[3]
        out = subprocess.run([sys.executable, "-m", "tests.perf.sections.history", "--measure", str(path)],
                             cwd=root, capture_output=True, text=True, timeout=600, check=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {"rows": rows, "open_ms": figures["open_ms"], "filter_ms": figures["filter_ms"],
            "deep_page_ms": figures["deep_page_ms"], "rss_mb": figures["rss_mb"], "db_mb": round(db_mb, 1),
            "ui_max_stall_ms": figures["ui_max_stall_ms"], "check_ms": figures["check_ms"],
            "filter_max_ms": figures["filter_max_ms"], "fill_per_s": round(fill_per_s),
            "bare_fill_per_s": round(bare_per_s)}


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        print(json.dumps(run("--quick" in sys.argv)))
