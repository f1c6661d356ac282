"""Start-up pays only for the first screen: the other tabs and the charts are built when first
shown (issue 13), and nothing they would have shown is lost meanwhile."""

from __future__ import annotations

import httpx

from tests.support.qt_async import signal_emitted
from tests.support.servers import APPID
from workbench.ui.main_window import MainWindow


async def test_only_the_composer_is_built_at_start_and_a_tab_is_built_when_first_shown(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.currentWidget() is window.composer
    assert not any(page.is_built() for page in window._pages.values())
    window.tabs.setCurrentIndex(2)  # the user clicks "Traffic"
    assert window._pages["trafficView"].is_built() and not window._pages["cacheView"].is_built()
    view = window.traffic_view
    assert view.objectName() == "trafficView" and view.isVisible()
    assert view.chart_stack.currentWidget() is view.chart_hint  # no charts before a run: what will appear
    window.tabs.setCurrentWidget(window.cache_view)  # a view works as well as its page
    assert window.tabs.currentIndex() == 3 and not window._pages["historyView"].is_built()


async def test_requests_logged_before_the_mock_tab_is_opened_are_in_its_log(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    url = await services.start_mock()
    logged = signal_emitted(services.mockRequestsLogged)
    async with httpx.AsyncClient() as client:
        for user in ("token-alice", "token-bob"):
            await client.get(url + "/prefetch", params={"appid": APPID, "token": user, "timestamp": "1"})
    await logged
    assert not window._pages["mockView"].is_built()
    window.tabs.setCurrentIndex(1)
    assert window.mock_view.log_view.model.rowCount() == 2


FIRST_SCREEN = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
app.setOrganizationName("prepull-perf-test")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
from workbench.services import Services
from workbench.ui.main_window import MainWindow
window = MainWindow(Services(Path(tempfile.mkdtemp())))
window.show()
app.processEvents()
print(" ".join(sorted(m for m in HEAVY if m in sys.modules)))
"""


def test_the_first_screen_imports_no_charting_and_no_network_stack():
    """pyqtgraph (with numpy), httpx, starlette and uvicorn load when first needed, not at start-up."""
    import os
    import subprocess
    import sys

    heavy = ("pyqtgraph", "numpy", "httpx", "httpcore", "starlette", "uvicorn")
    proc = subprocess.run([sys.executable, "-c", f"HEAVY = {heavy!r}\n" + FIRST_SCREEN], capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []


async def test_a_heavy_module_a_chart_needs_loads_in_a_thread_and_the_chart_comes_when_it_is_in(
        qtbot, services, tmp_path, monkeypatch):
    """The first traffic run built its charts on the UI thread, importing pyqtgraph there: the
    window froze 0.3-0.4 s as the run started. Now the import runs in a thread from the moment
    the view is made, and a chart shown before it is in says "Loading…" and comes after."""
    import sys
    import threading

    from PySide6.QtWidgets import QLabel

    from workbench.ui.lazy import LazyWidget

    release = threading.Event()
    (tmp_path / "heavy_charts_lib.py").write_text(
        "import threading, sys\n"
        "IMPORTED_ON = threading.current_thread()\n"
        "sys.modules['tests_release'].wait(10)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "tests_release", release)
    monkeypatch.delitem(sys.modules, "heavy_charts_lib", raising=False)

    def build():
        import heavy_charts_lib  # noqa: F401 (what the factory needs)

        return QLabel("the chart")

    box = LazyWidget(build, needs=("heavy_charts_lib",), tasks=services.tasks)
    qtbot.addWidget(box)
    assert box.needs == ("heavy_charts_lib",) and not box.loaded()
    box.show()  # shown while the module loads: no freeze, a word instead of the chart
    assert not box.is_built()
    assert [w.text() for w in box.findChildren(QLabel)] == ["Loading…"]
    release.set()
    chart = await box.built()
    assert sys.modules["heavy_charts_lib"].IMPORTED_ON is not threading.main_thread()
    assert chart.text() == "the chart" and box.is_built() and chart.isVisible()
    qtbot.waitUntil(lambda: [w.text() for w in box.findChildren(QLabel)] == ["the chart"])


CHARTS_DRIVER = """
import asyncio, sys, tempfile, threading
importing = []
class Watch:  # notes the thread that imports pyqtgraph (the finder is asked first, then steps aside)
    def find_spec(self, name, path=None, target=None):
        if name == "pyqtgraph":
            importing.append(threading.current_thread() is threading.main_thread())
        return None
sys.meta_path.insert(0, Watch())
from tests.perf.harness import run_qasync
from tests.support.qt_async import until
async def main():
    from workbench.services import Services
    from workbench.ui.main_window import MainWindow
    services = Services(tempfile.mkdtemp())
    window = MainWindow(services)
    window.show()
    window.tabs.setCurrentWidget(window.traffic_view)  # the user opens the Traffic tab
    await until(window.traffic_view.charts_box.is_built)
    print("@@", importing, window.traffic_view.charts_box.is_built(),
          window.traffic_view.chart_stack.currentWidget() is window.traffic_view.chart_hint)
    window.close()
    await services.aclose()
run_qasync(main)
"""


def test_opening_the_traffic_tab_loads_pyqtgraph_off_the_ui_thread_and_builds_the_charts_before_a_run(tmp_path):
    """The first traffic run imported pyqtgraph and built the charts on the UI thread as it
    started (the window froze 0.3-0.4 s). In a fresh process (pyqtgraph not loaded yet): opening
    the tab imports it in a thread, and the charts are built, hidden under the hint, before any run."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root), XDG_CONFIG_HOME=str(tmp_path / "c"),
               XDG_DATA_HOME=str(tmp_path / "d"))
    proc = subprocess.run([sys.executable, "-c", CHARTS_DRIVER], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(line for line in proc.stdout.splitlines() if line.startswith("@@ "))
    assert line == "@@ [False] True True", line  # imported once, not on the UI thread; built; hint still shown
