"""The main window: menus, status bar and one tab per job of the workbench."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from workbench import __version__
from workbench.services import Services
from workbench.ui.composer import ComposerView
from workbench.ui.lazy import LazyWidget

if TYPE_CHECKING:
    from workbench.ui.cache_view import CacheView
    from workbench.ui.history_view import HistoryView
    from workbench.ui.mock_view import MockServerView
    from workbench.ui.traffic_view import TrafficView


#: Requests the mock server logged before its tab was built that the tab shows when it is.
EARLY_LOG_ROWS = 5000


class Tabs(QTabWidget):
    """The main tabs. Pages other than the first are built when first shown, so start-up pays
    only for the first screen; ``setCurrentWidget`` takes a view as well as its page."""

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 (Qt override)
        page: QWidget | None = widget
        while page is not None and self.indexOf(page) < 0:
            page = page.parentWidget()
        super().setCurrentWidget(page or widget)


class MainWindow(QMainWindow):
    #: The user asked to leave (window closed or File > Quit).
    closed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Prepull Workbench"))
        self.setObjectName("MainWindow")
        self.resize(1200, 800)

        self.tabs = Tabs(self)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._add_views()
        self._build_menus()

        self.workspace_label = QLabel(self.tr("Workspace: %1").replace("%1", str(services.workspace)))
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.statusBar().showMessage(self.tr("Ready"))
        services.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self._restore_geometry()

    def _add_views(self) -> None:
        self.composer = ComposerView(self.services, self.tabs)
        self.composer.setObjectName("composerView")
        self.tabs.addTab(self.composer, self.tr("Composer"))
        self._pages: dict[str, LazyWidget] = {}
        # what the mock server logs before its tab is first opened, for its request log then
        self._early_log: deque = deque(maxlen=EARLY_LOG_ROWS)
        self.services.mockRequestsLogged.connect(self._early_log.extend)
        for name, title in (("mockView", self.tr("Mock server")), ("trafficView", self.tr("Traffic")),
                            ("cacheView", self.tr("Cache")), ("historyView", self.tr("History"))):
            page = LazyWidget(lambda name=name: self._build_view(name))
            self._pages[name] = page
            self.tabs.addTab(page, title)

    def _build_view(self, name: str) -> QWidget:
        view: QWidget
        if name == "mockView":
            from workbench.ui.mock_view import MockServerView

            view = MockServerView(self.services)
            self.services.mockRequestsLogged.disconnect(self._early_log.extend)
            if self._early_log:
                view.log_view.add(list(self._early_log))
                self._early_log.clear()
        elif name == "trafficView":
            from workbench.ui.traffic_view import TrafficView

            view = TrafficView(self.services)
        elif name == "cacheView":
            from workbench.ui.cache_view import CacheView

            view = CacheView(self.services)
        else:
            from workbench.ui.history_view import HistoryView

            view = HistoryView(self.services)
            view.openInComposer.connect(self._open_in_composer)
        view.setObjectName(name)
        return view

    @property
    def mock_view(self) -> MockServerView:
        return self._pages["mockView"].widget()  # type: ignore[return-value]

    @property
    def traffic_view(self) -> TrafficView:
        return self._pages["trafficView"].widget()  # type: ignore[return-value]

    @property
    def cache_view(self) -> CacheView:
        return self._pages["cacheView"].widget()  # type: ignore[return-value]

    @property
    def history_view(self) -> HistoryView:
        return self._pages["historyView"].widget()  # type: ignore[return-value]

    def _open_in_composer(self, record: object) -> None:
        self.composer.load_record(record)
        self.tabs.setCurrentWidget(self.composer)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.quit_action = QAction(self.tr("&Quit"), self)
        # StandardKey.Quit is empty on some platforms (Windows, offscreen): Ctrl+Q everywhere.
        self.quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                      or [QKeySequence("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About Prepull Workbench"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def about_text(self) -> str:
        return self.tr(
            "<h3>Prepull Workbench %1</h3>"
            "<p>Debug WeChat Mini Program data pre-pull (background fetch) on your own machine: "
            "the exact request, a live mock server, gray-scale simulation, the cache as the Mini "
            "Program reads it, and history with replay.</p>"
            "<p>Workspace: %2</p>"
        ).replace("%1", __version__).replace("%2", str(self.services.workspace))

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Prepull Workbench"), self.about_text())

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        super().closeEvent(event)
        self.closed.emit()
