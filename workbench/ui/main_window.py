"""The main window: menus, status bar and one tab per job of the workbench."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from workbench import __version__
from workbench.services import Services
from workbench.ui.cache_view import CacheView
from workbench.ui.check_view import CheckDialog
from workbench.ui.composer import ComposerView
from workbench.ui.history_view import HistoryView
from workbench.ui.mock_view import MockServerView
from workbench.ui.traffic_view import TrafficView
from workbench.workflows.check import CheckWorkflow, check_defaults


class MainWindow(QMainWindow):
    #: The user asked to leave (window closed or File > Quit).
    closed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Prepull Workbench"))
        self.setObjectName("MainWindow")
        self.resize(1200, 800)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.check_dialog: CheckDialog | None = None
        self._add_views()
        self._build_menus()

        self.workspace_label = QLabel(self.tr("Workspace: %1").replace("%1", str(services.workspace)))
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.statusBar().showMessage(self.tr("Ready"))
        services.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self._restore_geometry()

    def _add_views(self) -> None:
        self.composer = ComposerView(self.services, self.tabs)
        self.mock_view = MockServerView(self.services, self.tabs)
        self.traffic_view = TrafficView(self.services, self.tabs)
        self.cache_view = CacheView(self.services, self.tabs)
        self.history_view = HistoryView(self.services, self.tabs)
        for name, view, title in (("composerView", self.composer, self.tr("Composer")),
                                  ("mockView", self.mock_view, self.tr("Mock server")),
                                  ("trafficView", self.traffic_view, self.tr("Traffic")),
                                  ("cacheView", self.cache_view, self.tr("Cache")),
                                  ("historyView", self.history_view, self.tr("History"))):
            view.setObjectName(name)
            self.tabs.addTab(view, title)
        self.history_view.openInComposer.connect(self._open_in_composer)

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

        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.check_action = QAction(self.tr("&Check server…"), self)
        self.check_action.setObjectName("checkServerAction")
        self.check_action.triggered.connect(self.show_check_dialog)
        tools_menu.addAction(self.check_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About Prepull Workbench"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def show_check_dialog(self) -> CheckDialog:
        """Tools > Check server…: one dialog, kept between uses (its results stay)."""
        if self.check_dialog is None:
            self.check_dialog = CheckDialog(CheckWorkflow(self.services, self), self)
            self.check_dialog.fill(check_defaults(self.services))
        if self.check_dialog.isVisible():
            self.check_dialog.raise_()
            self.check_dialog.activateWindow()
        else:
            self.check_dialog.show()
        return self.check_dialog

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
