"""History like a request tool (issue 12 item 4), through the real widgets, the real store and the
real mock server on a free port: a detail pane with the whole request and response, a replay
that opens there even when the filter would hide it, an export that asks what to export, an
imported entry opened in the composer without taking over the workspace, and Chinese all through."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import QItemSelectionModel, Qt

from tests.support.qt_async import signal_emitted
from tests.ui.test_window_fits import MAX_H, MAX_W, Fit
from tests.ui.windows import open_window
from workbench.core.errors import StoreReadOnly
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.services import Services
from workbench.ui.history_view import HistoryModel, HistoryView
from workbench.ui.main_window import MainWindow
from workbench.ui.splitter_layout import restore_layout, save_layout

TOKEN = "token-alice"


async def send(services: Services, query: str = "id=42&来源=扫码", scene: int = 1047, source: str = "composer") -> int:
    request = PrefetchRequest(url=services.mock.url("main"), appid=services.settings_appid(),
                              identity=Identity(token=TOKEN), launch=Launch(path="pages/a", query=query, scene=scene))
    history_id, _ = await services.send(request, source=source, user="alice", address_kind="main")
    return history_id


async def history_view(qtbot, services: Services) -> HistoryView:
    view = HistoryView(services)
    qtbot.addWidget(view)
    view.resize(1280, 640)
    view.show()
    await view.model.load_task  # the rows come from a thread
    return view


def params_of(view: HistoryView) -> dict[str, str]:
    model = view.detail.params_model
    return {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}


async def filter_by(view: HistoryView, text: str) -> None:
    """Type a filter and wait for the table to show it (after the typing pause, from a thread)."""
    shown = signal_emitted(view.model.modelReset, check=lambda: view.model.search == text)
    view.search.setText(text)
    await shown


def click_row(view: HistoryView, row: int) -> None:
    """What a plain click on ``row`` does: it alone is selected. (QTableView.selectRow follows the
    keyboard modifiers Qt last saw, and an earlier test's Ctrl+Enter leaves Ctrl "held" offscreen.)"""
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.table.selectionModel().setCurrentIndex(view.model.index(row, 0), flags)


async def select(view: HistoryView, row: int) -> None:
    click_row(view, row)
    await view.detail_task
    await view.detail.response.format_task


async def test_selecting_an_entry_shows_its_request_response_and_verdict(qtbot, services):
    await services.start_mock()
    cached = await send(services)
    services.mock.rules.default.status = 404
    not_cached = await send(services, query="id=7")
    view = await history_view(qtbot, services)
    detail = view.detail
    assert detail.stack.currentWidget() is detail.empty and "Select a request" in detail.empty.text()

    await select(view, view.model.row_of(cached))
    assert detail.stack.currentWidget() is detail.page
    assert detail.summary.text().startswith(f"#{cached} · composer · ")
    url = detail.url_label.text()
    assert url.startswith("GET http://127.0.0.1:") and "/prefetch?appid=wx0123456789abcdef&token=" in url
    assert TOKEN not in url and "••••••lice" in url  # masked in the URL...
    params = params_of(view)
    assert params["token"] == "••••••lice" and params["query"] == "id=42&来源=扫码" and params["scene"] == "1047"
    assert params["path"] == "pages/a" and params["timestamp"].isdigit()  # ...and in the table
    headers = detail.request_headers.toPlainText()
    assert "user-agent:" in headers.lower() and TOKEN not in headers
    response = detail.response
    assert response.status.text() == "200 OK" and response.verdict.text().startswith("✔ Cached")
    assert '"openid"' in response.body.toPlainText() and TOKEN not in response.body.toPlainText()
    assert "content-type: application/json" in response.headers.toPlainText().lower()
    assert response.tabs.indexOf(response.read_text) < 0  # the cache of today is not this entry's
    assert response.tree_model.rowCount() > 0  # the JSON tree, with its search, as in the composer

    await select(view, view.model.row_of(not_cached))
    assert response.status.text().startswith("404") and response.verdict.text().startswith("✘ Not cached")
    assert "only a 2xx status is cached" in response.verdict.text()
    assert params_of(view)["query"] == "id=7"
    # a quick click elsewhere and back: the entry read for the first click never replaces the one selected
    click_row(view, view.model.row_of(cached))
    click_row(view, view.model.row_of(not_cached))
    await services.tasks.idle()
    assert detail.shown_id == not_cached and response.status.text().startswith("404")

    # a new entry stored meanwhile reloads the table: what the user is looking at stays
    stored = signal_emitted(view.model.modelReset)
    await send(services, query="id=8")
    await stored
    assert view.selected_ids() == [not_cached] and detail.stack.currentWidget() is detail.page
    view.table.clearSelection()
    assert detail.stack.currentWidget() is detail.empty


async def test_a_body_on_one_long_line_is_shown_unwrapped(qtbot, services):
    """With the Body tab open (as the detail pane opens it), Qt lays out a wrapped line whole each
    time it grows: a 2 MB one-line body took minutes. Long lines scroll sideways instead."""
    await services.start_mock()
    services.mock.rules.default.body = "{{json_bytes:100000}}"
    long_one = await send(services)
    services.mock.rules.default.body = '{"ok": true}'
    short_one = await send(services)
    view = await history_view(qtbot, services)
    body = view.detail.response.body
    await select(view, view.model.row_of(long_one))
    assert view.detail.response.tabs.currentWidget().isAncestorOf(body)  # the Body tab is on show
    assert body.lineWrapMode() == body.LineWrapMode.NoWrap
    assert len(body.toPlainText()) > 100_000  # all of it
    await select(view, view.model.row_of(short_one))
    assert body.lineWrapMode() == body.LineWrapMode.WidgetWidth and '"ok": true' in body.toPlainText()


async def test_the_detail_splitters_keep_their_sizes(qtbot, services):
    view = await history_view(qtbot, services)
    assert view.splitter.orientation() == Qt.Orientation.Horizontal  # beside the table
    view.splitter.moveSplitter(400, 1)  # as a drag of the handle does
    view.detail.split.moveSplitter(120, 1)
    table_width, request_height = view.splitter.sizes()[0], view.detail.split.sizes()[0]
    save_layout(view)  # as the main window does when it closes
    view.close()
    again = await history_view(qtbot, services)
    restore_layout(again)  # as the main window does when it builds the view
    assert again.splitter.sizes()[0] == table_width == 400
    assert again.detail.split.sizes()[0] == request_height == 120


async def test_a_replay_opens_in_the_detail_pane_even_when_the_filter_hides_it(qtbot, services):
    await services.start_mock()
    original = await send(services)
    view = await history_view(qtbot, services)
    await filter_by(view, "cached")  # the filter shows cached entries only
    assert view.model.total == 1
    services.mock.rules.default.status = 500  # the replay is not cached: the filter would hide it
    click_row(view, 0)

    replayed = signal_emitted(services.replay.replayed)
    qtbot.mouseClick(view.replay_button, Qt.MouseButton.LeftButton)
    _record, new_id, _outcome = await replayed
    await services.tasks.idle()  # the view selects the new entry and reads it from the store
    assert view.selected_ids() == [new_id] and view.detail.shown_id == new_id
    assert view.detail.summary.text().startswith(f"#{new_id} · replay of #{original} · ")
    assert view.detail.response.status.text().startswith("500")
    assert view.detail.response.verdict.text().startswith("✘ Not cached")
    # the filter was cleared to show it, and the view says so, with the way back
    assert view.search.text() == "" and view.notice.isVisible()
    assert "“cached”" in view.notice_label.text() and f"#{new_id}" in view.notice_label.text()
    qtbot.mouseClick(view.restore_filter_button, Qt.MouseButton.LeftButton)
    assert view.search.text() == "cached" and not view.notice.isVisible()


async def test_a_replay_the_filter_shows_keeps_the_filter(qtbot, services):
    await services.start_mock()
    await send(services)
    view = await history_view(qtbot, services)
    await filter_by(view, "pages/a")
    await select(view, 0)
    replayed = signal_emitted(services.replay.replayed)
    view.replay(0)
    _record, new_id, _outcome = await replayed
    await services.tasks.idle()
    assert view.detail.shown_id == new_id and view.search.text() == "pages/a" and not view.notice.isVisible()


async def test_a_replay_the_history_cannot_keep_is_shown_all_the_same(qtbot, services, monkeypatch):
    await services.start_mock()
    original = await send(services)
    view = await history_view(qtbot, services)
    click_row(view, 0)
    await services.tasks.idle()

    def read_only(*args, **kwargs):
        raise StoreReadOnly("The workspace database is read-only: another program holds it.")

    monkeypatch.setattr(services.store, "add_outcome", read_only)
    services.mock.rules.default.status = 503
    replayed = signal_emitted(services.replay.replayed)
    view.replay(0)
    _record, new_id, _outcome = await replayed
    await services.tasks.idle()
    assert new_id == -1 and view.selected_ids() == [] and view.detail.shown_id == -1
    assert view.detail.summary.text() == "Not stored in the history"
    assert view.detail.response.status.text().startswith("503") and TOKEN not in view.detail.url_label.text()
    assert services.store.history(original) is not None and services.store.history_count() == 1


async def export(view: HistoryView, qtbot, tmp_path, choose, include_secrets: bool = False) -> dict:
    """Click Export, pick an option in the dialog, give a path: the HAR written."""
    path = tmp_path / f"{choose}.har"
    view.ask_export_path = lambda: path  # the file dialog is the platform's
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    await view.services.tasks.idle()
    dialog = view.export_dialog
    assert dialog is not None and dialog.isVisible()
    getattr(dialog, choose).setChecked(True)
    dialog.include_secrets.setChecked(include_secrets)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await view.export_task
    return json.loads(path.read_text(encoding="utf-8"))


async def test_export_asks_all_filtered_or_selected_and_redacts(qtbot, services, tmp_path):
    await services.start_mock()
    await send(services)
    await send(services, query="id=2")
    services.mock.rules.default.status = 404
    await send(services, query="id=3")
    view = await history_view(qtbot, services)
    await filter_by(view, "not-cached")
    assert view.model.total == 1
    click_row(view, 0)  # looking at one entry selects it

    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    await view.services.tasks.idle()
    dialog = view.export_dialog
    texts = [b.text() for b in (dialog.all_entries, dialog.filtered, dialog.selected)]
    assert texts == ["All entries (3)", "The 1 filtered", "The 1 selected"]
    assert dialog.filtered.isChecked()  # never the selection by default: clicking a row selects it
    assert not dialog.include_secrets.isChecked()
    dialog.reject()

    har = await export(view, qtbot, tmp_path, "all_entries")
    assert len(har["log"]["entries"]) == 3  # all of them, though one row is selected
    assert TOKEN not in json.dumps(har, ensure_ascii=False) and "REDACTED" in json.dumps(har)
    har = await export(view, qtbot, tmp_path, "filtered")
    assert [e["response"]["status"] for e in har["log"]["entries"]] == [404]
    har = await export(view, qtbot, tmp_path, "selected")
    assert len(har["log"]["entries"]) == 1 and TOKEN not in json.dumps(har, ensure_ascii=False)
    har = await export(view, qtbot, tmp_path, "all_entries", include_secrets=True)
    assert TOKEN in json.dumps(har, ensure_ascii=False)  # only when asked

    await filter_by(view, "")
    view.table.clearSelection()
    await view.open_export_dialog()
    assert not view.export_dialog.filtered.isEnabled() and not view.export_dialog.selected.isEnabled()
    assert view.export_dialog.all_entries.isChecked()
    view.export_dialog.reject()


IMPORTED_APPID = "wx1111111111111111"


def har_file(tmp_path, url: str):
    entry = {"startedDateTime": "2024-05-01T10:00:00.000Z", "time": 12,
             "request": {"method": "GET", "url": url, "headers": [], "queryString": []},
             "response": {"status": 200, "statusText": "OK", "headers": [{"name": "Content-Type",
                                                                          "value": "application/json"}],
                          "content": {"size": 2, "mimeType": "application/json", "text": "{}"}}}
    path = tmp_path / "browser.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry]}}), encoding="utf-8")
    return path


async def test_an_imported_entry_opens_in_the_composer_with_the_workspace_appid(qtbot, services, tmp_path):
    """P10: the HAR's plain http address is shown with its warning; no option turns on by itself."""
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    appid = services.settings_appid()
    composer = window.composer
    composer_target = composer.target.currentData()
    view = window.history_view
    url = f"http://api.example.com/prefetch?appid={IMPORTED_APPID}&token=t-imported-1&path=pages%2Fa&scene=1047"
    assert await view.import_har(har_file(tmp_path, url)) == 1
    await view.model.load_task
    assert view.model.index(0, HistoryModel.COLUMNS.index("source")).data() == "import"
    click_row(view, 0)
    await view._open_in_composer()
    assert window.tabs.currentWidget() is composer
    assert composer.appid.text() == appid and services.document.doc.appid == appid  # not the HAR's
    assert IMPORTED_APPID in window.statusBar().currentMessage()  # and the user is told
    assert composer.url.text() == "http://api.example.com/prefetch" and composer.path.text() == "pages/a"
    assert composer.http_warning.isVisibleTo(composer)  # plain http to another host: said, not hidden
    request = composer.build_request()
    assert request.appid == appid and not request.allow_plain_http
    services.document.flush()
    assert IMPORTED_APPID not in services.workspace.path.read_text(encoding="utf-8")
    assert composer_target == "main"  # (the composer was on the mock before; the entry is another URL)


ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
#: Words that stay as they are in Chinese: protocol and format names (issue 12 item 9).
KEPT = {"URL", "HAR", "GET", "token", "Token", "code", "appid", "fetchType", "pre", "periodic", "JSON", "REDACTED",
        "Enter"}


def english_words(text: str) -> list[str]:
    return [w for w in ENGLISH_WORD.findall(text) if w not in KEPT]


async def test_the_history_view_speaks_chinese(qtbot, services, chinese, tmp_path):
    await services.start_mock()
    composer = await send(services)
    await send(services, source="traffic")
    replayed = signal_emitted(services.replay.replayed)
    await services.replay.replay(composer)
    await replayed
    services.mock.rules.default.status = 404
    await send(services, query="id=404")
    url = f"http://127.0.0.1:9/prefetch?appid={IMPORTED_APPID}&token=t-imported-1"
    await services.transfer.import_har(har_file(tmp_path, url))
    view = await history_view(qtbot, services)
    model = view.model
    source, verdict = HistoryModel.COLUMNS.index("source"), HistoryModel.COLUMNS.index("verdict")
    shown = {model.index(r, source).data() for r in range(model.rowCount())}
    assert shown == {"请求编排", "流量", "重放", "导入"}
    assert {services.store.history(model.history_id(r)).source for r in range(model.rowCount())} == \
        {"composer", "traffic", "replay", "import"}  # stored as they were
    cells = [model.index(r, verdict).data() for r in range(model.rowCount())]
    assert "未缓存：状态码" in cells and all(not english_words(c) for c in cells)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    visible = [*headers, view.search.placeholderText(), view.count.text(), view.detail.empty.text(),
               *(b.text() for b in (view.replay_button, view.edit_button, view.diff_button, view.delete_button,
                                    view.clear_older_button, view.export_button, view.import_button)),
               *(b.toolTip() for b in (view.replay_button, view.edit_button, view.export_button))]
    assert [t for t in visible if english_words(t)] == []

    # a source typed in Chinese finds the entries the store keeps in English
    await filter_by(view, "重放")
    assert model.rowCount() == 1 and model.index(0, source).data() == "重放"
    await filter_by(view, "未缓存")
    assert model.rowCount() == 1 and model.index(0, verdict).data() == "未缓存：状态码"

    await select(view, 0)
    detail = view.detail
    summary = detail.summary.text()
    assert "· 请求编排 ·" in summary and "· 用户 alice · 场景值 1047 · " in summary
    assert not english_words(summary.replace("alice", ""))  # the user's name is data
    tabs = [detail.request_tabs.tabText(i) for i in range(detail.request_tabs.count())]
    columns = [detail.params_model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)]
    assert [t for t in tabs + columns if english_words(t)] == []

    await view.open_export_dialog()
    dialog = view.export_dialog
    texts = [dialog.windowTitle(), dialog.all_entries.text(), dialog.filtered.text(), dialog.selected.text(),
             dialog.include_secrets.text(), dialog.include_secrets.toolTip(), dialog.ok_button.text()]
    dialog.reject()
    assert [t for t in texts if english_words(t)] == []


async def test_the_history_tab_fits_1280x720_with_an_entry_on_show(qtbot, services, language):
    """Issue 12 item 1 for the detail pane: a long URL, a long verdict and the export dialog."""
    window = await open_window(qtbot, services, size=(1280, 720))
    fit = Fit(window)
    view = window.history_view
    window.tabs.setCurrentWidget(view)
    await fit.check("history, nothing selected")
    services.mock.rules.default.status = 404
    await send(services, query="&".join(f"key{i}=value{i}" for i in range(60)))
    await view.model.reload()
    await select(view, 0)
    await fit.check("history, an entry with a long URL on show")
    for i in range(view.detail.response.tabs.count()):
        view.detail.response.tabs.setCurrentIndex(i)
        await fit.check(f"history detail › {view.detail.response.tabs.tabText(i)}")
    view.detail.request_tabs.setCurrentIndex(1)
    await fit.check("history detail › request headers")
    view.notice_label.setText("The filter “" + "x" * 400 + "” would hide #2, so it was cleared to show it.")
    view.notice.show()
    await fit.check("a long notice")
    dialog = await view.open_export_dialog()
    hint = dialog.minimumSizeHint()
    assert hint.width() <= MAX_W and hint.height() <= MAX_H
    dialog.reject()
    await fit.check("the export dialog")
