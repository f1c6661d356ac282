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
    assert view.charts_box.is_built()  # its charts were built as it was shown
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
