"""Issue 12 item 10: a shortcut for every main action, all listed in Help › Keyboard Shortcuts
(F1, Ctrl+/) with no two clashing; and the window comes back as it was left: tab, inner tabs,
splitters (columns: tests/ui/test_table_layout.py)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import warnings
from collections import Counter

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QSplitter, QTableWidget

from tests.support.qt_async import signal_emitted, until
from workbench.ui.main_window import MainWindow
from workbench.ui.splitter_layout import restore_layout


def build_every_tab(window: MainWindow) -> None:
    for page in window._pages.values():
        page.widget()


def keys_of(action: QAction | QShortcut) -> list[str]:
    sequences = action.shortcuts() if isinstance(action, QAction) else [action.key()]
    return [k.toString(QKeySequence.SequenceFormat.PortableText) for k in sequences if not k.isEmpty()]


async def test_every_main_action_has_a_shortcut(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    main = {
        "send": window.send_action, "cancel": window.cancel_action, "new": window.new_action,
        "open": window.open_action, "save": window.save_action, "save as": window.save_as_action,
        "start/stop mock": window.mock_action, "run traffic": window.traffic_action,
        "cold start": window.cold_start_action, "replay": window.replay_action, "export": window.export_action,
        "find/filter": window.find_action, "next tab": window.next_tab_action,
        "previous tab": window.previous_tab_action, "check server": window.check_action,
        "settings": window.settings_action, "quit": window.quit_action, "help": window.shortcuts_action,
    }
    assert {name: keys_of(a) for name, a in main.items() if not keys_of(a)} == {}
    assert [keys_of(a) for a in window.tab_actions] == [[f"Ctrl+{i}"] for i in range(1, 6)]
    assert keys_of(window.shortcuts_action) == ["F1", "Ctrl+/"]


async def test_every_shortcut_is_in_the_help_dialog_and_none_clash(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    build_every_tab(window)  # the views' own actions and shortcuts exist once they are built
    actions = [a for a in window.findChildren(QAction) if keys_of(a)]
    dialog = window.show_shortcuts()
    table = dialog.findChild(QTableWidget)
    listed = {(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())}
    for action in actions:
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        assert (action.text().replace("&", ""), keys) in listed, action.text()
    # no key does two things in the same place: window-wide keys once; a widget's own keys not
    # among the window's (Qt would call it ambiguous and do neither)
    window_keys = [k for a in actions if a.shortcutContext() != Qt.ShortcutContext.WidgetShortcut for k in keys_of(a)]
    shortcuts = window.findChildren(QShortcut)
    window_keys += [k for s in shortcuts if s.context() != Qt.ShortcutContext.WidgetShortcut for k in keys_of(s)]
    assert [k for k, n in Counter(window_keys).items() if n > 1] == []
    widget_keys = {k for s in shortcuts if s.context() == Qt.ShortcutContext.WidgetShortcut for k in keys_of(s)}
    assert widget_keys & set(window_keys) == set()
    for key in ("Ctrl+Return", "Ctrl+M", "Ctrl+R", "Ctrl+L", "Ctrl+Shift+R", "Ctrl+E", "Ctrl+F", "Esc", "Ctrl+S"):
        assert key in window_keys, key


async def test_the_action_shortcuts_do_their_jobs(qtbot, services, monkeypatch):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    with warnings.catch_warnings():  # shortcuts only fire in the active window; offscreen has no WM
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(window)
    # Ctrl+M starts the mock server from any tab, and stops it
    started = asyncio.get_running_loop().create_future()
    services.mockStateChanged.connect(lambda url: started.done() or started.set_result(url))
    window.composer.path.setFocus()
    qtbot.keyClick(window.composer.path, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert (await asyncio.wait_for(started, 10)).startswith("http://127.0.0.1:")
    assert window.tabs.currentWidget() is window.composer  # it did not take the user elsewhere
    # Ctrl+F: the current tab's search or filter, focused
    assert window.find_in_tab() is window.composer.response.search
    window.tabs.setCurrentIndex(1)
    assert window.find_in_tab() is window.mock_view.log_view.filter_edit
    window.tabs.setCurrentIndex(4)
    assert window.find_in_tab() is window.history_view.search
    window.tabs.setCurrentIndex(2)
    assert window.find_in_tab() is None and window.statusBar().currentMessage() == "This tab has nothing to search."
    # Ctrl+PgDown / Ctrl+PgUp step through the tabs, round
    window.next_tab_action.trigger()
    window.next_tab_action.trigger()
    window.next_tab_action.trigger()
    assert window.tabs.currentIndex() == 0
    window.previous_tab_action.trigger()
    assert window.tabs.currentIndex() == 4
    # Ctrl+R runs traffic against the mock, from any tab
    traffic = window.traffic_view
    traffic.run_count.setValue(20)
    window.tabs.setCurrentIndex(0)
    window.traffic_action.trigger()
    assert window.tabs.currentWidget() is window._pages["trafficView"] and services.traffic.running
    await traffic.run_task
    # Ctrl+L: a cold start in the Cache tab
    window.cold_start_action.trigger()
    assert window.tabs.currentWidget() is window._pages["cacheView"]
    assert window.cache_view.cold_task is not None
    with contextlib.suppress(Exception):
        await window.cache_view.cold_task
    # Ctrl+S writes the workspace now (off the UI thread), and says so once written
    window.composer.path.setText("pages/saved/now")
    writing_on_ui = []
    write = services.workspace._write
    monkeypatch.setattr(services.workspace, "_write", lambda text: writing_on_ui.append(
        threading.current_thread() is threading.main_thread()) or write(text))
    saved = signal_emitted(services.document.saved)
    window.save_action.trigger()
    await saved
    assert writing_on_ui and not any(writing_on_ui)  # it wrote the file on the UI thread before
    assert "pages/saved/now" in services.workspace.path.read_text()
    assert window.statusBar().currentMessage().startswith("Saved ")
    await services.stop_mock()


async def test_escape_cancels_a_send_and_otherwise_is_left_alone(qtbot, services):
    """Cancel (Esc) is enabled only while something can be cancelled, so Esc keeps its usual
    meaning elsewhere (closing a popup, leaving a cell editor)."""
    accepted: list[asyncio.StreamWriter] = []

    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    server = await asyncio.start_server(never_answers, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    window = MainWindow(services)
    qtbot.addWidget(window)
    try:
        composer = window.composer
        assert not window.cancel_action.isEnabled()
        composer.target.setCurrentIndex(composer.target.findData("custom"))
        composer.url.setText(f"http://127.0.0.1:{port}/prefetch")
        window.send_action.trigger()
        assert composer.send_task is not None
        await until(window.cancel_action.isEnabled)
        window.cancel_action.trigger()
        with contextlib.suppress(asyncio.CancelledError):
            await composer.send_task
        assert composer.send_task.cancelled()
        assert not window.cancel_action.isEnabled()
    finally:
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_tab_inner_tabs_and_splitters_come_back_as_they_were_left(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    composer_split = window.composer.findChild(QSplitter)
    composer_split.setSizes([300, 900])
    wanted = composer_split.sizes()
    window.tabs.setCurrentIndex(3)  # Cache
    cache = window.cache_view
    cache.tools.setCurrentIndex(2)  # Periodic update
    cache_splits = cache.findChildren(QSplitter)
    cache_splits[0].setSizes([100, 500])
    cache_wanted = [s.saveState() for s in cache_splits]
    window.tabs.setCurrentIndex(1)  # Mock server: its nested request-log splitter too
    mock_split = window.mock_view.findChildren(QSplitter)[-1]
    mock_split.setSizes([400, 100])
    mock_wanted = mock_split.sizes()
    window.tabs.setCurrentIndex(3)
    window.close()

    again = MainWindow(services)
    qtbot.addWidget(again)
    again.resize(1280, 720)
    again.show()
    assert again.tabs.currentIndex() == 3
    assert again.cache_view.tools.currentIndex() == 2
    assert [s.saveState() for s in again.cache_view.findChildren(QSplitter)] == cache_wanted
    again.tabs.setCurrentIndex(0)
    assert again.composer.findChild(QSplitter).sizes() == wanted
    assert not again._pages["mockView"].is_built()
    # a view not opened in a session keeps the layout it had (it is not overwritten); opened in
    # the next, its nested splitter is as the user left it
    again.close()
    third = MainWindow(services)
    qtbot.addWidget(third)
    third.resize(1280, 720)
    third.show()
    third.tabs.setCurrentIndex(1)
    assert third.mock_view.findChildren(QSplitter)[-1].sizes() == mock_wanted


def test_a_layout_of_another_shape_is_not_forced_on_a_view(qtbot):
    """A splitter that gained a pane since (another version) keeps its default sizes."""
    from PySide6.QtWidgets import QLabel, QWidget

    view = QWidget()
    view.setObjectName("someView")
    qtbot.addWidget(view)
    two = QSplitter(view)
    two.addWidget(QLabel("a"))
    two.addWidget(QLabel("b"))
    QSettings().setValue("layout/someView/splitters/0", two.saveState())
    QSettings().setValue("layout/someView/splitters/0/panes", 2)  # as save_layout keeps it
    two.addWidget(QLabel("c"))
    before = two.saveState()
    restore_layout(view)
    assert two.saveState() == before


async def test_the_composer_names_the_same_layout_widgets_findchildren_finds(qtbot, services):
    """The composer names its splitters and inner tabs itself (findChildren costs milliseconds
    before the first paint): the same widgets, in the same order, so the keys kept do not change."""
    from PySide6.QtWidgets import QTabWidget

    from workbench.ui.splitter_layout import layout_widgets

    window = MainWindow(services)
    qtbot.addWidget(window)
    splitters, tabs = layout_widgets(window.composer)
    assert splitters == window.composer.findChildren(QSplitter)
    assert tabs == window.composer.findChildren(QTabWidget)
