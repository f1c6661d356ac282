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


async def test_the_traffic_and_cache_charts_load_pyqtgraph_off_the_ui_thread(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.traffic_view.charts_box.needs == ("pyqtgraph",)
    assert window.cache_view.timeline_box.needs == ("pyqtgraph",)
