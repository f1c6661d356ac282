"""The desktop shell opens on the qasync loop and quits cleanly."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QSettings

from tests.support.qt_async import until
from workbench.app import create_application, main_window_session
from workbench.ui.main_window import MainWindow


async def test_window_shows_its_views_menus_and_status(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    await asyncio.sleep(0)
    assert window.windowTitle() == "workspace (wx0123456789abcdef) — Prepull Workbench"
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Composer", "Mock server", "Traffic", "Cache", "History"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&View", "&Actions", "&Tools", "&Help"]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert str(services.workspace.path) in window.workspace_label.text()
    assert "Prepull Workbench 0." in window.about_text()
    assert window.statusBar().currentMessage() == "Ready"


async def test_session_opens_and_quit_leaves_nothing_pending(qtbot, workspace):
    create_application()
    session = asyncio.ensure_future(main_window_session(workspace))
    window = await _shown_main_window()
    assert window.isVisible()
    assert window.windowTitle().endswith("— Prepull Workbench")
    window.quit_action.trigger()
    assert await asyncio.wait_for(session, 5) == 0
    assert _main_window() is None  # closed and deleted
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert pending == []


async def _shown_main_window() -> MainWindow:
    """The session's window, once it is shown (after it made sure no other window has the workspace)."""
    await until(lambda: _main_window() is not None)
    return _main_window()


def _main_window():
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


async def test_chinese_translation_is_applied(qapp, services):
    from PySide6.QtCore import QLocale

    from workbench.app import install_translators

    translators = install_translators(qapp, QLocale("zh_CN"))
    try:
        assert translators, "the zh_CN translation did not load"
        window = MainWindow(services)
        assert window.windowTitle().endswith("— 预拉取工作台")
        assert window.tabs.tabText(1) == "模拟服务器"
        window.deleteLater()
    finally:
        for t in translators:
            qapp.removeTranslator(t)


async def test_core_reasons_and_scenes_are_translated(qapp):
    from PySide6.QtCore import QLocale

    from workbench.app import install_translators
    from workbench.core.client import REASON_TEMPLATES, Reason
    from workbench.ui.texts import endpoint_text, fault_text, reason_text, scene_label

    translators = install_translators(qapp, QLocale("zh_CN"))
    try:
        reason = Reason.of("too_large", size="262,145 bytes (256.0 KB)", limit="262,144 bytes (256.0 KB)")
        # the sizes are said in Chinese too: no English word inside a Chinese sentence (issue 12 item 9)
        assert reason_text(reason) == ("响应体为 262,145 字节（256.0 KB），超过 262,144 字节（256.0 KB） "
                                       "的上限（P12），因此未缓存：请减少数据量。")
        assert scene_label(1047) == "1047 · 扫描小程序码"
        assert endpoint_text("main") == "主地址" and endpoint_text("gray") == "灰度地址"
        assert fault_text("drop") == "断开连接" and endpoint_text("other") == "other"
        for key in REASON_TEMPLATES:  # every translation keeps the template's fields
            args = {f: "x" for f in ("status", "where", "size", "limit", "offset", "timeout", "detail", "host")}
            assert reason_text(Reason.of(key, **args)) != Reason.of(key, **args).message
    finally:
        for t in translators:
            qapp.removeTranslator(t)


async def test_language_menu_reopens_the_window_in_chinese_and_shortcuts_are_listed(qtbot, services, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QTableWidget

    from workbench.app import chosen_locale
    from workbench.ui.main_window import LANGUAGE_KEY

    window = MainWindow(services)
    qtbot.addWidget(window)
    rows = dict(window.shortcut_rows())
    assert rows["Send Pre-pull"] == "Ctrl+Return, Ctrl+Enter" and rows["Settings…"] == "Ctrl+,"
    assert "F1" in rows["Keyboard Shortcuts"] and rows["Composer"] == "Ctrl+1"
    dialog = window.show_shortcuts()
    assert dialog.isVisible() and dialog.findChild(QTableWidget).rowCount() == len(rows)
    window.language_actions["zh_CN"].trigger()
    assert QSettings().value(LANGUAGE_KEY) == "zh_CN"
    assert window.next_workspace == services.workspace.path  # the session reopens it, in Chinese
    monkeypatch.delenv("PREPULL_LANG", raising=False)
    assert chosen_locale().name() == "zh_CN"
    QSettings().remove(LANGUAGE_KEY)


async def test_the_open_tab_is_restored(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.tab_actions[3].trigger()  # Ctrl+4: Cache
    window.close()
    again = MainWindow(services)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 3


def test_garbage_cycles_are_collected_on_the_gui_thread_only(qapp):
    """A Qt object in a reference cycle must not be destroyed by a worker thread that allocates."""
    import gc
    import threading

    from PySide6.QtCore import QObject, QTimer

    from workbench.app import MainThreadCollector

    (collector,) = qapp.findChildren(MainThreadCollector)
    assert not gc.isenabled()
    destroyed_in = []

    class Holder(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.timer = QTimer(self)
            self.me = self  # a cycle: only the cyclic collector frees it
            self.destroyed.connect(lambda: destroyed_in.append(threading.current_thread().name))

    Holder()

    def allocate() -> None:  # what a SQLite or formatting thread does: allocate a lot
        [[i] for i in range(200_000)]

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert destroyed_in == []  # the worker's allocations did not collect it
    collector.check()
    gc.collect()  # on this, the GUI thread
    assert destroyed_in == [threading.main_thread().name]


async def test_the_welcome_tour_opens_on_the_first_start_only_and_again_from_help(qtbot, workspace):
    """Issue 12 item 10: a first-run tour, remembered on this machine, reopened from Help."""
    from PySide6.QtWidgets import QDialog

    from workbench.ui.welcome import SEEN_KEY, WelcomeDialog

    create_application()

    async def start() -> tuple[asyncio.Future, MainWindow]:
        session = asyncio.ensure_future(main_window_session(workspace))
        return session, await _shown_main_window()

    session, window = await start()
    tour = window.findChild(WelcomeDialog)
    assert tour is not None and tour.isVisible() and not tour.isModal()
    assert [b.text() for b in tour.tab_buttons] == [window.tabs.tabText(i) for i in range(5)]
    tour.tab_buttons[2].click()  # "Traffic": the tour opens the tab it describes
    assert window.tabs.currentIndex() == 2
    assert QSettings().value(SEEN_KEY, type=bool) is True
    window.close()
    assert await asyncio.wait_for(session, 10) == 0

    session, window = await start()  # the second start: no tour by itself
    assert window.findChild(WelcomeDialog) is None
    tour = window.welcome_action.trigger() or window.findChild(QDialog, "welcomeDialog")
    assert tour is not None and tour.isVisible()
    tour.show_again.setChecked(True)  # "show this at every start"
    tour.close()
    window.close()
    assert await asyncio.wait_for(session, 10) == 0
    session, window = await start()
    assert window.findChild(WelcomeDialog) is not None
    window.close()
    assert await asyncio.wait_for(session, 10) == 0
