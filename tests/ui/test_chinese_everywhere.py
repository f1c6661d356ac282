"""Issue 12 item 9: in Chinese, no English word is left on any screen. Every tab and sub-tab is
opened after a real send, a traffic run and a cold start, and every text the user reads there
(labels, buttons, group titles, tab names, placeholders, combo items, table headers, menus,
tooltips) is collected; only API and protocol names stay as they are."""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from tests.ui.windows import open_window

#: Names that stay as they are in a Chinese UI: the API, the protocol's parameters and values,
#: formats, units and product names (issue 12 item 9: "API names stay as they are").
KEPT = {
    # wx API and its fields
    "wx", "getBackgroundFetchData", "onBackgroundFetchData", "getBackgroundFetchToken", "setBackgroundFetchToken",
    "onLaunch", "fetchType", "fetchedData", "timeStamp", "errMsg", "success", "fail",
    # the request's parameters and their values
    "appid", "token", "Token", "code", "timestamp", "path", "query", "scene", "customMiniprogramVersion",
    "pre", "periodic", "openid", "session_key", "code2session", "jscode2session", "sns",
    "develop", "trial", "release", "android", "ios", "iOS", "Android", "devtools",
    # formats, protocols, units, products, keys
    "URL", "HAR", "GET", "HTTP", "HTTPS", "http", "https", "TLS", "JSON", "CSV", "UTF", "KB", "MB", "ms",
    "Locust", "curl", "gzip", "deflate", "identity", "Accept", "Encoding", "Content", "User", "Agent",
    "REDACTED", "Ctrl", "Shift", "Alt", "Enter", "Esc", "PgUp", "PgDown", "Return", "Del", "Delete", "F1",
    "Prepull", "Workbench", "WeChat", "DevTools", "Qt", "PySide", "SQLite", "TOML", "ID", "p95", "p50", "p99",
    "default", "alice", "bob", "localhost", "prefetch", "gray", "main", "rollout",
    # example values in placeholders
    "from", "qrcode", "index", "pages", "detail",
}
ENGLISH_WORD = re.compile(r"(?<![\w.%/{-])[A-Za-z][A-Za-z_]{2,}(?![\w(/=.-])")
TAG = re.compile(r"<[^>]+>")


def english_words(text: str) -> list[str]:
    text = TAG.sub(" ", text)
    # URLs, calls, template placeholders, quoted values (a seed, a name the user typed)
    text = re.sub(r"\S+://\S+|\S+\.\w+\(|\{\{[^}]*\}\}|`[^`]*`|“[^”]*”|\"[^\"]*\"", " ", text)
    return [w for w in ENGLISH_WORD.findall(text) if w not in KEPT]


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what a user reads in ``root``'s visible widgets; data (table cells, text
    editors, the typed values of fields) is left out: it is the user's or the server's."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, text: str | None) -> None:
        if text:
            found.append((f"{type(widget).__name__} {widget.objectName()}".strip(), text))

    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        add(widget, widget.toolTip())
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel)
                                                   and widget.objectName() not in DATA_LABELS):
            add(widget, widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget, widget.title())
        elif isinstance(widget, QLineEdit):
            add(widget, widget.placeholderText())
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            for i in range(widget.count()):
                add(widget, widget.itemText(i))
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget, widget.tabText(i))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            if isinstance(model, QAbstractListModel):
                continue  # one column, no header
            for column in range(model.columnCount(QModelIndex())):
                add(widget, model.headerData(column, Qt.Orientation.Horizontal))
    return found


#: Labels that show data (a URL, a path, a status line from the server), not the app's words.
DATA_LABELS = {"mockUrl", "workspaceLabel", "urlLabel", "status"}


async def test_no_english_word_is_left_on_any_chinese_screen(qtbot, services, chinese):
    window = await open_window(qtbot, services, size=(1280, 720))
    window.composer.send()
    await window.composer.send_task

    leftovers: list[str] = []

    def collect(name: str) -> None:
        for where, text in visible_texts(window):
            words = english_words(text)
            if words:
                leftovers.append(f"{name} · {where}: {text!r} ({', '.join(words)})")

    collect("composer")
    for index in range(1, window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        await window.services.tasks.idle()  # what the tab loads when it is opened is shown
        page = window.tabs.currentWidget()
        if window.tabs.currentWidget() is window.traffic_view or page.findChild(QWidget, "trafficView"):
            view = window.traffic_view
            view.run_count.setValue(20)
            view.run()
            await view.run_task
        inner = [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(window)]
        for tabs in inner or [None]:
            for sub in range(tabs.count() if tabs else 1):
                if tabs:
                    tabs.setCurrentIndex(sub)
                    await window.services.tasks.idle()
                collect(window.tabs.tabText(index) + (f" › {tabs.tabText(sub)}" if tabs else ""))
    for name, dialog in (("settings", window.show_settings()), ("check", window.show_check_dialog()),
                         ("shortcuts", window.show_shortcuts())):
        await window.services.tasks.idle()
        for where, text in visible_texts(dialog):
            words = english_words(text)
            if words:
                leftovers.append(f"{name} dialog · {where}: {text!r} ({', '.join(words)})")
        dialog.close()
    for what, _keys in window.shortcut_rows():
        if english_words(what):
            leftovers.append(f"shortcuts dialog: {what!r}")
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.text() and english_words(action.text().replace("&", "")):
                leftovers.append(f"menu {menu.title()}: {action.text()!r}")
    assert not leftovers, "\n".join(sorted(set(leftovers)))
