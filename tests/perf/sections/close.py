"""Closing the window to the end of the process (issue 12 item 10: within 0.5 s; it took 1.8-2.0 s).

The app runs as a user runs it (``workbench.app.run_gui``, offscreen): the mock server running, one
pre-pull sent from the composer, and for ``close_s`` a traffic run just finished. The window is then
closed as the user closes it; the child prints the wall-clock time of that moment, and the figure is
the time from it to the process's exit as this (parent) process sees it. Same machine, same clock.

``idle_close_s`` is the same without the traffic run; ``during_traffic_s`` (full run only) closes
while a run of 20,000 cold starts is going: the median of closes made 0.3, 1.5 and 3.0 s after
the run was started (while its worker process starts up, early in the run, in the middle), and
``during_traffic_max_s`` the slowest of them (one run measured a median of 11.9 s: issue 13).

``PREPULL_PERF_CLOSE_SWEEP=N`` adds ``during_sweep``: N more such closes (in the quick run too),
the delay cycling through :data:`SWEEP_DELAYS_S`, as min / median / max and every figure.

The baseline is a bare QMainWindow process closed the same way (Python's and Qt's own teardown).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.perf.harness import median, ratio, temp_dir

CHILD = r"""
import asyncio, sys, time
from PySide6.QtWidgets import QApplication
from workbench import app as wapp
from workbench.ui.main_window import MainWindow

workspace, users, during = sys.argv[1], int(sys.argv[2]), sys.argv[3:4] == ["during"]
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 1.5  # from the run's start to the close

async def drive():
    while True:
        await asyncio.sleep(0.02)
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].services.mock.running:
            break
    window = windows[0]
    window.composer.send()
    await window.composer.send_task
    if users:
        traffic = window.traffic_view
        window.tabs.setCurrentWidget(traffic)
        traffic.use_mock_addresses()
        traffic.population_size.setValue(max(users, 10))
        traffic.run_count.setValue(users)
        if during:  # closed while the run goes: it is cancelled, what finished is stored
            traffic.run()
            await asyncio.sleep(max(0.0, delay - 0.3))
        else:
            result = await traffic.run()
            assert result is not None, traffic.run_summary.text()
    await asyncio.sleep(0.3)  # what a user does between the last click and closing (part of a delay)
    sys.stdout.write(f"closing {time.time()!r}\n")
    sys.stdout.flush()
    window.close()

if __name__ == "__main__":
    session = wapp.main_window_session

    async def driven(*args, **kwargs):  # the app's loop runs from here (the window has painted)
        asyncio.ensure_future(drive())
        return await session(*args, **kwargs)

    wapp.main_window_session = driven
    sys.exit(wapp.run_gui(workspace))
"""

BARE = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def close():
    sys.stdout.write(f"closing {time.time()!r}\n")
    sys.stdout.flush()
    window.close()

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 720)
window.show()
QTimer.singleShot(300, close)
app.exec()
"""


#: When the full run's closes during a traffic run come, in s after the run was started: while its
#: worker process starts up, early in the run, in its middle.
DURING_DELAYS_S = (0.3, 1.5, 3.0)
#: The sweep's delays (PREPULL_PERF_CLOSE_SWEEP), cycled.
SWEEP_DELAYS_S = [0.3, 0.6, 1.0, 1.5, 2.0, 3.0, 5.0]


def close_time(argv: list[str], env: dict[str, str]) -> float:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    closing = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("closing "):
            closing = float(line.split()[1])
    proc.wait(timeout=120)
    ended = time.time()
    err = proc.stderr.read() if proc.stderr else ""
    if closing is None or proc.returncode != 0:
        from tests.perf.__main__ import error_line

        raise RuntimeError(f"the window was not closed cleanly (exit {proc.returncode}): {error_line(err)} "
                           f"(its stderr ends: {err[-800:]!r})")
    return ended - closing


def run(quick: bool) -> dict:
    home = temp_dir("close")
    config = home / "config"
    (config / "prepull-workbench").mkdir(parents=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(config),
               XDG_DATA_HOME=str(home / "data"), PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    from workbench.core.workspace import open_workspace

    folder = home / "workspace"
    folder.mkdir()
    ws = open_workspace(folder)
    ws.doc.mock.port = 0  # any free port: only loopback
    ws.save()
    script = home / "close_child.py"
    script.write_text(CHILD)
    users = 500 if quick else 3000
    rounds = 1 if quick else 5
    idle, after_traffic, bare = [], [], []
    for _ in range(rounds):  # interleaved: a burst of load on the machine hits all three alike
        idle.append(close_time([sys.executable, str(script), str(ws.path), "0"], env))
        after_traffic.append(close_time([sys.executable, str(script), str(ws.path), str(users)], env))
        bare.append(close_time([sys.executable, "-c", BARE], env))
    close_s, bare_s = median(after_traffic), median(bare)
    result = {"close_s": round(close_s, 3), "idle_close_s": round(median(idle), 3), "bare_s": round(bare_s, 3),
              "ratio": ratio(close_s, bare_s), "traffic_users": users, "target_s": 0.5, "rounds": rounds}
    if not quick:
        during = [close_time([sys.executable, str(script), str(ws.path), "20000", "during", str(delay)], env)
                  for delay in DURING_DELAYS_S]
        result["during_traffic_s"] = round(median(during), 3)
        result["during_traffic_max_s"] = round(max(during), 3)
    sweep = int(os.environ.get("PREPULL_PERF_CLOSE_SWEEP", "0") or 0)
    if sweep > 0:
        closes = [close_time([sys.executable, str(script), str(ws.path), "20000", "during",
                              str(SWEEP_DELAYS_S[i % len(SWEEP_DELAYS_S)])], env) for i in range(sweep)]
        result["during_sweep"] = {"n": sweep, "min_s": round(min(closes), 3), "median_s": round(median(closes), 3),
                                  "max_s": round(max(closes), 3), "delays_s": SWEEP_DELAYS_S,
                                  "close_s": [round(c, 3) for c in closes]}
    return result
