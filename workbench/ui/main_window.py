"""The main window: menus, status bar and one tab per job of the workbench."""

from __future__ import annotations

import functools
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.core.errors import WorkbenchError
from workbench.core.store import HistoryRecord
from workbench.core.workspace import SUFFIX, Workspace
from workbench.services import Services
from workbench.ui.composer import ComposerView
from workbench.ui.lazy import LazyWidget

if TYPE_CHECKING:
    from workbench.ui.cache_view import CacheView
    from workbench.ui.check_view import CheckDialog
    from workbench.ui.history_view import HistoryView
    from workbench.ui.mock_view import MockServerView
    from workbench.ui.settings_dialog import SettingsDialog
    from workbench.ui.traffic_view import TrafficView

RECENT_KEY = "recent/workspaces"
#: QSettings key of the language chosen in View › Language (as workbench.app reads it).
LANGUAGE_KEY = "language"
RECENT_MAX = 8


def recent_workspaces() -> list[str]:
    """Recently opened workspace files (QSettings: a machine thing), newest first, existing only."""
    value = QSettings().value(RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
    return [p for p in items if isinstance(p, str) and Path(p).is_file()]


def remember_workspace(path: Path) -> None:
    items = [str(path)] + [p for p in recent_workspaces() if p != str(path)]
    QSettings().setValue(RECENT_KEY, items[:RECENT_MAX])


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
        #: Set when the user chose another workspace: the app opens it after this window closes.
        self.next_workspace: Path | None = None
        self._update_title()
        services.document.changed.connect(lambda _section: self._update_title())
        remember_workspace(services.workspace.path)
        self.setObjectName("MainWindow")
        self.resize(1200, 800)

        self.tabs = Tabs(self)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.check_dialog: CheckDialog | None = None
        self._add_views()
        self._build_menus()

        self.workspace_label = QLabel(self.tr("Workspace: %1").replace("%1", str(services.workspace.path)))
        self.workspace_label.setObjectName("workspaceLabel")
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
            page = LazyWidget(functools.partial(self._build_view, name))
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

    def _open_in_composer(self, record: HistoryRecord) -> None:
        self.composer.load_record(record)
        self.tabs.setCurrentWidget(self.composer)

    def _update_title(self) -> None:
        doc = self.services.document
        self.setWindowTitle(self.tr("%1 (%2) — Prepull Workbench").replace("%1", doc.name)
                            .replace("%2", doc.doc.appid))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = QAction(self.tr("&New Workspace…"), self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(self.new_workspace)
        self.open_action = QAction(self.tr("&Open Workspace…"), self)
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.triggered.connect(self.open_workspace_dialog)
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.save_as_action = QAction(self.tr("Save Workspace &As…"), self)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.triggered.connect(self.save_as_dialog)
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        for item in (self.new_action, self.open_action, self.recent_menu, self.save_as_action, None,
                     self.settings_action, None):
            if item is None:
                file_menu.addSeparator()
            elif isinstance(item, QMenu):
                file_menu.addMenu(item)
            else:
                file_menu.addAction(item)
        self.quit_action = QAction(self.tr("&Quit"), self)
        # StandardKey.Quit is empty on some platforms (Windows, offscreen): Ctrl+Q everywhere.
        self.quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                      or [QKeySequence("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.tab_actions: list[QAction] = []
        for index in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(index), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
            self.tab_actions.append(action)
        view_menu.addSeparator()
        self.language_menu = QMenu(self.tr("&Language"), self)
        self.language_actions: dict[str, QAction] = {}
        chosen = str(QSettings().value(LANGUAGE_KEY, "") or "")
        for code, label in (("", self.tr("System language")), ("en", "English"), ("zh_CN", "简体中文")):
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(code == chosen)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        view_menu.addMenu(self.language_menu)

        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.check_action = QAction(self.tr("&Check server…"), self)
        self.check_action.setObjectName("checkServerAction")
        self.check_action.triggered.connect(self.show_check_dialog)
        tools_menu.addAction(self.check_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = QAction(self.tr("&Keyboard Shortcuts"), self)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        self.about_action = QAction(self.tr("&About Prepull Workbench"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    # -- workspaces ----------------------------------------------------------------------

    def switch_to(self, path: Path) -> None:
        """Close this window and open the workspace at ``path`` (its own services and mock)."""
        self.next_workspace = Path(path)
        self.close()

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New workspace"), "myapp" + SUFFIX,
                                              self.tr("Prepull workspaces (*%1)").replace("%1", SUFFIX))
        if not path:
            return
        try:
            ws = Workspace.create(_with_suffix(path), self.services.document.doc.appid)
        except WorkbenchError as exc:
            QMessageBox.warning(self, self.tr("New workspace"), str(exc))
            return
        self.switch_to(ws.path)

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open workspace"), str(self.services.workspace.path.parent),
                                              self.tr("Prepull workspaces (*%1)").replace("%1", SUFFIX))
        if path:
            self.open_workspace(Path(path))

    def open_workspace(self, path: Path) -> bool:
        try:
            Workspace.load(path)  # refuse a broken file here, with its sentence, and stay
        except WorkbenchError as exc:
            QMessageBox.warning(self, self.tr("Open workspace"), str(exc))
            return False
        self.switch_to(path)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = [p for p in recent_workspaces() if p != str(self.services.workspace.path)]
        if not items:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)
        for item in items:
            self.recent_menu.addAction(item).triggered.connect(lambda _=False, p=item: self.open_workspace(Path(p)))

    def save_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save workspace as"), "copy" + SUFFIX,
                                              self.tr("Prepull workspaces (*%1)").replace("%1", SUFFIX))
        if path:
            self.save_as(Path(_with_suffix(path)))

    def save_as(self, path: Path) -> bool:
        """Write the configuration to a new workspace file and continue there (history stays behind)."""
        self.services.document.flush()
        try:
            ws = Workspace.create(path, doc=self.services.document.doc.model_copy(deep=True))
            ws.set_mock_tokens(self.services.workspace.mock_tokens())
        except WorkbenchError as exc:
            QMessageBox.warning(self, self.tr("Save workspace as"), str(exc))
            return False
        self.switch_to(ws.path)
        return True

    def show_settings(self) -> SettingsDialog:
        from workbench.ui.settings_dialog import SettingsDialog  # (and the schema library) when opened

        dialog = SettingsDialog(self.services.document, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_history_entry(self, history_id: int) -> None:
        """Open the History tab on one entry (a failed check's request, say)."""
        self.tabs.setCurrentWidget(self.history_view)
        self.history_view.show_entry(history_id)

    def show_check_dialog(self) -> CheckDialog:
        """Tools > Check server…: one dialog, kept between uses (its results stay)."""
        if self.check_dialog is None:
            from workbench.ui.check_view import CheckDialog
            from workbench.workflows.check import CheckWorkflow, check_defaults

            self.check_dialog = CheckDialog(CheckWorkflow(self.services, self), self)
            self.check_dialog.fill(check_defaults(self.services))
            self.check_dialog.showHistory.connect(self.show_history_entry)
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
        ).replace("%1", __version__).replace("%2", str(self.services.workspace.path))

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Prepull Workbench"), self.about_text())

    # -- language and shortcuts --------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Switch the language now: the window reopens on the same workspace in that language."""
        for c, action in self.language_actions.items():
            action.setChecked(c == code)
        if code == str(QSettings().value(LANGUAGE_KEY, "") or ""):
            return
        QSettings().setValue(LANGUAGE_KEY, code)
        self.switch_to(self.services.workspace.path)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action with a shortcut, and the views' own keys."""
        rows = []
        for action in self.findChildren(QAction):
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            if keys:
                rows.append((action.text().replace("&", ""), keys))
        rows += [(self.tr("Send the composed pre-pull"), "Ctrl+Enter"),
                 (self.tr("Replay the selected history entry"), "Enter"),
                 (self.tr("Delete the selected history entries"),
                  QKeySequence(QKeySequence.StandardKey.Delete).toString(QKeySequence.SequenceFormat.NativeText))]
        return sorted(set(rows), key=lambda r: r[0].lower())

    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = QTableWidget(0, 2, dialog)
        table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        for what, keys in self.shortcut_rows():
            row = table.rowCount()
            table.insertRow(row)
            table.setItem(row, 0, QTableWidgetItem(what))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnToContents(0)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(520, 420)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        tab = settings.value("mainWindow/tab")
        if tab is not None and str(tab).isdigit() and int(tab) < self.tabs.count():
            self.tabs.setCurrentIndex(int(tab))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        QSettings().setValue("mainWindow/tab", self.tabs.currentIndex())
        super().closeEvent(event)
        self.closed.emit()


def _with_suffix(path: str) -> str:
    return path if path.endswith(SUFFIX) else path.removesuffix(".toml") + SUFFIX
