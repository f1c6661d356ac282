"""The main window: menus, status bar and one tab per job of the workbench."""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.core.errors import WorkbenchError
from workbench.core.store import HistoryRecord
from workbench.core.workspace import SUFFIX, Workspace
from workbench.services import Services
from workbench.ui import theme
from workbench.ui.composer import ComposerView
from workbench.ui.elided_label import ElidedLabel, fits_any_width
from workbench.ui.lazy import LazyWidget
from workbench.ui.splitter_layout import restore_layout, save_layout

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from workbench.ui.cache_view import CacheView
    from workbench.ui.check_view import CheckDialog
    from workbench.ui.empty_state import EmptyState
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
        show_page(self, widget, super().setCurrentWidget)


def show_page(tabs: QTabWidget, widget: QWidget, set_current: Callable[[QWidget], None] | None = None) -> None:
    """Make the page of ``tabs`` that holds ``widget`` the current one."""
    page: QWidget | None = widget
    while page is not None and tabs.indexOf(page) < 0:
        page = page.parentWidget()
    if page is not None:
        (set_current or tabs.setCurrentWidget)(page)


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
        services.document.saved.connect(self._document_saved)  # (a method: Qt disconnects it with the window)
        self._announce_save = False
        # (File › Open Recent learns this workspace after the first paint: workbench.app.finish_opening;
        # writing the settings file took ~5 ms)
        self.setObjectName("MainWindow")
        self.resize(1200, 720)  # fits a 1366×768 laptop; the last size used is restored below

        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        #: Shown for as long as the window is read-only (another window has the workspace open).
        self.read_only_notice = fits_any_width(QLabel(self.tr(
            "Read-only: this workspace is open in another Prepull Workbench window. Nothing here is saved and "
            "the mock server is not started; make changes in the other window.")))
        self.read_only_notice.setObjectName("readOnlyNotice")
        theme.set_tone(self.read_only_notice, "notice")
        self.read_only_notice.setVisible(services.read_only)
        column.addWidget(self.read_only_notice)
        self.tabs = Tabs(central)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.check_dialog: CheckDialog | None = None
        self._add_views()
        self._build_menus()

        self.workspace_label = ElidedLabel(self.tr("Workspace: %1").replace("%1", str(services.workspace.path)),
                                           mode=Qt.TextElideMode.ElideMiddle)
        self.workspace_label.setObjectName("workspaceLabel")
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.statusBar().showMessage(self.tr("Ready"))
        services.message.connect(self._show_message)  # a method: Qt disconnects it when the window goes
        self._restore_geometry()

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def _add_views(self) -> None:
        self.composer = ComposerView(self.services, self.tabs)
        self.composer.setObjectName("composerView")
        restore_layout(self.composer)
        self.tabs.addTab(self.composer, self.tr("Composer"))
        self._pages: dict[str, LazyWidget] = {}
        self.empty_states: dict[str, EmptyState] = {}
        # what the mock server logs before its tab is first opened, for its request log then
        self._early_log: deque = deque(maxlen=EARLY_LOG_ROWS)
        self.services.mockRequestsLogged.connect(self._early_log.extend)
        for name, title in (("mockView", self.tr("Mock server")), ("trafficView", self.tr("Traffic")),
                            ("cacheView", self.tr("Cache")), ("historyView", self.tr("History"))):
            page = LazyWidget(functools.partial(self._build_view, name), tasks=self.services.tasks)
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
            view.cancel_button.installEventFilter(self)  # Actions › Cancel follows its state
        elif name == "cacheView":
            from workbench.ui.cache_view import CacheView

            view = CacheView(self.services)
        else:
            from workbench.ui.history_view import HistoryView

            view = HistoryView(self.services)
            view.openInComposer.connect(self._open_in_composer)
        view.setObjectName(name)
        restore_layout(view)
        self._add_empty_state(name, view)
        return view

    def _add_empty_state(self, name: str, view: QWidget) -> None:
        """An empty table says what will appear in it and how to get there. (Told by the page's
        name: building one tab loads no other tab's module.)"""
        from workbench.ui.empty_state import EmptyState

        if name == "mockView":
            log = cast("MockServerView", view).log_view
            self.empty_states[name] = EmptyState(log.table, lambda: self.tr(
                "Nothing matches the filter.") if log.filter_edit.text() else self.tr(
                "No requests yet. Send a pre-pull to the mock server (Composer, Ctrl+Enter): each request "
                "appears here with the rule that answered it."))
        elif name == "cacheView":
            self.empty_states[name] = EmptyState(cast("CacheView", view).table, lambda: self.tr(
                "The cache is empty. Send a pre-pull from the Composer or simulate a cold start (Ctrl+L): what "
                "WeChat would keep for the Mini Program appears here."))
        elif name == "historyView":
            history = cast("HistoryView", view)
            search = history.search
            self.empty_states[name] = EmptyState(history.table, lambda: self.tr(
                "Nothing matches the search.") if search.text() else self.tr(
                "No pre-pulls yet. Send one from the Composer (Ctrl+Enter), run traffic (Ctrl+R) or import a "
                "HAR file: every pre-pull appears here, to search, replay and compare."))

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
        title = self.tr("%1 (%2, read-only) — Prepull Workbench") if self.services.read_only \
            else self.tr("%1 (%2) — Prepull Workbench")
        self.setWindowTitle(title.replace("%1", doc.name).replace("%2", doc.doc.appid))

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
        self.save_action = QAction(self.tr("&Save Workspace"), self)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setToolTip(self.tr("Edits are saved by themselves; this writes them now."))
        self.save_action.triggered.connect(self.save_now)
        self.save_as_action = QAction(self.tr("Save Workspace &As…"), self)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.triggered.connect(self.save_as_dialog)
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        for item in (self.new_action, self.open_action, self.recent_menu, self.save_action, self.save_as_action, None,
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
        self.next_tab_action = QAction(self.tr("&Next Tab"), self)
        self.next_tab_action.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.next_tab_action.triggered.connect(lambda: self._step_tab(1))
        self.previous_tab_action = QAction(self.tr("&Previous Tab"), self)
        self.previous_tab_action.setShortcut(QKeySequence("Ctrl+PgUp"))
        self.previous_tab_action.triggered.connect(lambda: self._step_tab(-1))
        view_menu.addActions([self.next_tab_action, self.previous_tab_action])
        view_menu.addSeparator()
        self.find_action = QAction(self.tr("&Find or Filter"), self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.find_in_tab)
        view_menu.addAction(self.find_action)
        view_menu.addSeparator()
        chosen = str(QSettings().value(LANGUAGE_KEY, "") or "")
        self.language_menu, self.language_actions = self._choice_menu(
            self.tr("&Language"), (("", self.tr("System language")), ("en", "English"), ("zh_CN", "简体中文")),
            chosen, self.set_language)
        view_menu.addMenu(self.language_menu)
        self.theme_menu, self.theme_actions = self._choice_menu(
            self.tr("&Theme"), (("system", self.tr("Follow the system")), ("light", self.tr("Light")),
                                ("dark", self.tr("Dark"))),
            theme.chosen(), self.set_theme)
        view_menu.addMenu(self.theme_menu)

        self._build_actions_menu()

        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.check_action = QAction(self.tr("&Check server…"), self)
        self.check_action.setObjectName("checkServerAction")
        self.check_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.check_action.triggered.connect(self.show_check_dialog)
        tools_menu.addAction(self.check_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = QAction(self.tr("&Keyboard Shortcuts"), self)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        self.welcome_action = QAction(self.tr("&Welcome Tour"), self)
        self.welcome_action.triggered.connect(self.show_welcome)
        help_menu.addAction(self.welcome_action)
        self.about_action = QAction(self.tr("&About Prepull Workbench"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_actions_menu(self) -> None:
        """The main jobs, each with a shortcut: they work from any tab (the tab is built and shown)."""
        menu = self.menuBar().addMenu(self.tr("&Actions"))

        def add(text: str, keys: list[str], slot: Callable[[], object], name: str) -> QAction:
            action = QAction(text, self)
            action.setObjectName(name)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _=False: slot())
            menu.addAction(action)
            return action

        self.send_action = add(self.tr("&Send Pre-pull"), ["Ctrl+Return", "Ctrl+Enter"], self.send, "sendAction")
        self.cancel_action = add(self.tr("&Cancel"), ["Esc"], self.cancel, "cancelAction")
        # enabled only while something can be cancelled: Esc keeps its usual meaning otherwise
        self.cancel_action.setEnabled(False)
        self.composer.cancel_button.installEventFilter(self)
        menu.addSeparator()
        self.mock_action = add(self.tr("Start or Stop the &Mock Server"), ["Ctrl+M"], self.toggle_mock, "mockAction")
        self.traffic_action = add(self.tr("Run &Traffic"), ["Ctrl+R"], self.run_traffic, "trafficAction")
        self.cold_start_action = add(self.tr("Simulate a Cold &Launch"), ["Ctrl+L"], self.cold_start,
                                     "coldStartAction")
        menu.addSeparator()
        self.replay_action = add(self.tr("&Replay the Selected Entry"), ["Ctrl+Shift+R"], self.replay,
                                 "replayAction")
        self.export_action = add(self.tr("&Export History…"), ["Ctrl+E"], self.export_history, "exportAction")

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def send(self) -> None:
        self.tabs.setCurrentWidget(self.composer)
        self.composer.send()

    def cancel(self) -> None:
        """Cancel what runs: the composer's send, then a traffic run."""
        if self.composer.cancel_button.isEnabled():
            self.composer.cancel()
        elif self._pages["trafficView"].is_built() and self.traffic_view.cancel_button.isEnabled():
            self.traffic_view.cancel()

    def _update_cancel(self) -> None:
        traffic = self._pages["trafficView"].is_built() and self.traffic_view.cancel_button.isEnabled()
        self.cancel_action.setEnabled(self.composer.cancel_button.isEnabled() or traffic)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.EnabledChange:  # a Cancel button: something started or ended
            self._update_cancel()
        return super().eventFilter(watched, event)

    def toggle_mock(self) -> None:
        self.mock_view.start_button.click()

    def run_traffic(self) -> None:
        self.tabs.setCurrentWidget(self.traffic_view)
        self.traffic_view.run_button.click()

    def cold_start(self) -> None:
        self.tabs.setCurrentWidget(self.cache_view)
        show_page(self.cache_view.tools, self.cache_view.cold_button)
        self.cache_view.cold_button.click()

    def replay(self) -> None:
        self.tabs.setCurrentWidget(self.history_view)
        if self.history_view.replay_button.isEnabled():
            self.history_view.replay_button.click()
        else:
            self.statusBar().showMessage(self.tr("Select a history entry to replay."), 10_000)

    def export_history(self) -> None:
        self.tabs.setCurrentWidget(self.history_view)
        self.history_view.export_button.click()

    def find_in_tab(self) -> QWidget | None:
        """Ctrl+F: the current tab's search or filter field, focused and selected."""
        page = self.tabs.currentWidget()
        field: QWidget | None = None
        if page is self.composer:
            field = self.composer.response.search
        elif page is self._pages["mockView"]:
            field = self.mock_view.log_view.filter_edit
        elif page is self._pages["historyView"]:
            field = self.history_view.search
        if field is None:
            self.statusBar().showMessage(self.tr("This tab has nothing to search."), 5_000)
            return None
        outer = field.parentWidget()
        while outer is not None and outer is not page:  # inner tabs that hide it: show its page
            if isinstance(outer, QTabWidget):
                show_page(outer, field)
            outer = outer.parentWidget()
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(field, QLineEdit):
            field.selectAll()
        return field

    def save_now(self) -> None:
        """Ctrl+S: edits are saved a moment after they are made; this writes them now, off the UI
        thread, one write at a time (the document's own save), and says so once it is written (a
        failure is said in the status bar by the task runner)."""
        if self.services.read_only:
            self.statusBar().showMessage(self.services.read_only_reason, 10_000)
            return
        self._announce_save = True
        self.services.document.save_now()

    def _document_saved(self) -> None:
        if self._announce_save:
            self._announce_save = False
            self.statusBar().showMessage(self.tr("Saved %1").replace("%1", str(self.services.workspace.path)), 5_000)

    # -- workspaces ----------------------------------------------------------------------

    def switch_to(self, path: Path) -> None:
        """Close this window and open the workspace at ``path`` (its own services and mock)."""
        self.next_workspace = Path(path)
        self.close()

    def new_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

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
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open workspace"), str(self.services.workspace.path.parent),
                                              self.tr("Prepull workspaces (*%1)").replace("%1", SUFFIX))
        if path:
            self.open_workspace(Path(path))

    def open_workspace(self, path: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

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
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save workspace as"), "copy" + SUFFIX,
                                              self.tr("Prepull workspaces (*%1)").replace("%1", SUFFIX))
        if path:
            self.save_as(Path(_with_suffix(path)))

    def save_as(self, path: Path) -> bool:
        """Write the configuration to a new workspace file and continue there (history stays behind)."""
        from PySide6.QtWidgets import QMessageBox

        self.services.document.flush()
        try:
            ws = Workspace.create(path, doc=self.services.document.doc.model_copy(deep=True))
            ws.set_mock_tokens(self.services.workspace.mock_tokens())
        except WorkbenchError as exc:
            QMessageBox.warning(self, self.tr("Save workspace as"), str(exc))
            return False
        self.switch_to(ws.path)
        return True

    def _choice_menu(self, title: str, choices: tuple[tuple[str, str], ...], current: str,
                     pick: Callable[[str], object]) -> tuple[QMenu, dict[str, QAction]]:
        """A menu of checkable choices, the current one checked; picking one calls ``pick(code)``."""
        menu = QMenu(title, self)
        actions: dict[str, QAction] = {}
        for code, label in choices:
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _=False, c=code: pick(c))
            menu.addAction(action)
            actions[code] = action
        return menu, actions

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

    def show_welcome(self) -> QDialog:
        """Help › Welcome Tour (and the first start): what each tab is for, and what to do first."""
        from PySide6.QtWidgets import QDialog

        from workbench.ui.welcome import WelcomeDialog

        existing = self.findChild(QDialog, "welcomeDialog")
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        dialog = WelcomeDialog(self.tabs.setCurrentIndex, [self.tabs.tabText(i) for i in range(self.tabs.count())],
                               self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the user tries each tab with the tour beside it
        return dialog

    def about_text(self) -> str:
        return self.tr(
            "<h3>Prepull Workbench %1</h3>"
            "<p>Debug WeChat Mini Program data pre-pull (background fetch) on your own machine: "
            "the exact request, a live mock server, gray-scale simulation, the cache as the Mini "
            "Program reads it, and history with replay.</p>"
            "<p>Workspace: %2</p>"
        ).replace("%1", __version__).replace("%2", str(self.services.workspace.path))

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

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

    def set_theme(self, code: str) -> None:
        """View › Theme: System, Light or Dark, applied at once and kept (QSettings "theme")."""
        for c, action in self.theme_actions.items():
            action.setChecked(c == code)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.choose(app, code)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action with a shortcut, and the keys of the views' tables."""
        rows = []
        for action in self.findChildren(QAction):
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            if keys:
                rows.append((action.text().replace("&", ""), keys))
        rows += [(self.tr("Replay the selected history entry"), "Enter"),
                 (self.tr("Delete the selected history entries"),
                  QKeySequence(QKeySequence.StandardKey.Delete).toString(QKeySequence.SequenceFormat.NativeText))]
        return sorted(set(rows), key=lambda r: r[0].lower())

    def show_shortcuts(self) -> QDialog:
        from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem

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
        save_layout(self.composer)
        for page in self._pages.values():
            if page.is_built():  # a tab not opened this time keeps the layout it had
                save_layout(page.widget())
        super().closeEvent(event)
        self.closed.emit()


def _with_suffix(path: str) -> str:
    return path if path.endswith(SUFFIX) else path.removesuffix(".toml") + SUFFIX
