"""Process start to first paint: the workbench against a bare QMainWindow, both offscreen.

Both print "first paint" on the event-loop turn after their window's first paint event (the app
through its hidden --quit-after-first-paint option); the time is taken when that line arrives.
Runs alternate app and bare so that a burst of load on the machine hits both alike.

Both start as an installed program does, with byte-code caches (written by a first, unmeasured
start into a temporary PYTHONPYCACHEPREFIX): this environment sets PYTHONDONTWRITEBYTECODE, and
without caches every start would compile the workbench's sources (PySide6's come compiled).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.perf.harness import median, ratio, temp_dir

BARE = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, done)
        return False

def done():
    sys.stdout.write("first paint\n")
    sys.stdout.flush()
    app.quit()

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def time_to_first_paint(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    painted = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == b"first paint":
            painted = time.perf_counter() - start
            break
    _, err = proc.communicate(timeout=60)
    if painted is None or proc.returncode != 0:
        raise RuntimeError(f"{argv[1:3]} did not report its first paint (exit {proc.returncode}): "
                           f"{err.decode(errors='replace')[-500:]}")
    return painted


def environment(home: Path) -> dict[str, str]:
    """Settings and data in a fresh folder; the mock server on any free port."""
    config = home / "config"
    (config / "prepull-workbench").mkdir(parents=True)
    (config / "prepull-workbench" / "Prepull Workbench.conf").write_text("[mock]\nport=0\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(config),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(quick: bool) -> dict:
    home = temp_dir("startup")
    env = environment(home)
    workspace = home / "workspace"
    workspace.mkdir()
    app = [sys.executable, "-m", "workbench", "--workspace", str(workspace), "--quit-after-first-paint"]
    bare = [sys.executable, "-c", BARE]
    # one unmeasured start of each: byte-code caches and the page cache are warm for both
    time_to_first_paint(app, env)
    time_to_first_paint(bare, env)
    app_s, bare_s = [], []
    for _ in range(2 if quick else 7):
        app_s.append(time_to_first_paint(app, env))
        bare_s.append(time_to_first_paint(bare, env))
    a, b = median(app_s), median(bare_s)
    return {"app_s": round(a, 3), "bare_s": round(b, 3), "ratio": ratio(a, b)}
