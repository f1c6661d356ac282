"""Benchmark (not part of the test run): can the live log take 1,000 requests a second?

Feeds the real RequestLogView 100-request batches (what the services layer delivers every
100 ms at 1,000 req/s) past its 5,000-row capacity, with a filter active, and reports the
UI-thread time per batch. Under 20 ms per 100 ms batch leaves the UI 80% of its time.

    QT_QPA_PLATFORM=offscreen python tests/perf/bench_request_log.py
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from workbench.mockserver.server import RequestLog
from workbench.ui.request_log import RequestLogView


def main() -> None:
    app = QApplication.instance() or QApplication([])
    view = RequestLogView()
    view.resize(1200, 700)
    view.show()
    if os.environ.get("BENCH_FILTER", "1") == "1":
        view.filter_edit.setText("main")
    params = [("appid", "wx0123456789abcdef"), ("token", "token-alice"), ("timestamp", "1700000000000"),
              ("path", "pages/index/index"), ("query", "id=1&来源=扫码"), ("scene", "1047")]
    costs = []
    n = 0
    for _ in range(200):  # 20,000 requests: 20 s of traffic at 1,000/s
        batch = []
        for _ in range(100):
            n += 1
            batch.append(RequestLog(n, int(time.time() * 1000), "main" if n % 3 else "gray", "GET", "/prefetch",
                                    params, "alice", "o1", "valid", "default", 200, 150, 1.2, "none", [], [], b"{}"))
        t0 = time.perf_counter()
        view.add(batch)
        app.processEvents()
        costs.append((time.perf_counter() - t0) * 1000)
    costs.sort()
    print(f"rows kept: {view.model.rowCount()} (capacity {view.model.capacity}); shown after filter: "
          f"{view.proxy.rowCount()}")
    print(f"UI time per 100-request batch: median {statistics.median(costs):.2f} ms, "
          f"p95 {costs[int(len(costs) * 0.95)]:.2f} ms, max {costs[-1]:.2f} ms")


if __name__ == "__main__":
    main()
