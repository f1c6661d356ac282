"""Compose, send, read the verdict; history after a restart; replay; diff; HAR; curl — through
the real widgets against the real mock server."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shlex
import subprocess
import warnings

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.support.qt_async import signal_emitted
from tests.ui.windows import open_window
from tests.unit.test_har_curl import har_validator
from workbench.services import Services
from workbench.ui.history_view import HistoryModel
from workbench.ui.main_window import MainWindow


async def send_from_composer(qtbot, window: MainWindow):
    composer = window.composer
    stored = signal_emitted(window.services.outcomeStored)
    with warnings.catch_warnings():  # shortcuts only fire in the active window; offscreen has no WM
        warnings.simplefilter("ignore", DeprecationWarning)  # (processEvents here would re-enter qasync)
        QApplication.setActiveWindow(window)
    composer.path.setFocus()
    qtbot.keyClick(composer.path, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter sends
    (history_id,) = await stored
    await composer.send_task
    await composer.response.format_task
    return history_id


async def test_compose_chinese_query_scene_1047_send_and_read_the_verdict(qtbot, services):
    window = await open_window(qtbot, services)
    c = window.composer
    assert c.target.currentData() == "main" and c.appid.text() == "wx0123456789abcdef"
    c.path.setText("pages/detail/index")
    c.query.raw.setText("id=42&来源=扫码")
    assert c.query.table.item(1, 0).text() == "来源" and c.query.table.item(1, 1).text() == "扫码"
    c.scene.setCurrentIndex(c.scene.findData("1047"))
    c.version.setText("1.2.0")
    preview = c.preview.toPlainText()
    assert "query=id%3D42%26%E6%9D%A5%E6%BA%90%3D%E6%89%AB%E7%A0%81" in preview  # P8, visible
    assert "&scene=1047&" in preview and "token-alice" not in preview  # masked by default
    await send_from_composer(qtbot, window)
    r = c.response
    assert r.status.text() == "200 OK"
    assert r.verdict.text().startswith("✔ Cached")
    read = r.read_text.toPlainText()
    assert '"query": "id=42&来源=扫码"' in read and '"scene": 1047' in read and "getBackgroundFetchData:ok" in read
    body = r.body.toPlainText()
    assert body.startswith("{\n  ") and '"query": "id=42&来源=扫码"' in body  # pretty-printed
    assert r.tree_model.rowCount() >= 6
    r.search.setText("openid")
    r.next_hit()
    assert r.tree.currentIndex().data() == "openid"


async def test_validation_errors_show_inline_before_sending(qtbot, services):
    window = await open_window(qtbot, services)
    c = window.composer
    c.appid.setText("wx123")
    assert "'wx' followed by 16 hexadecimal" in c.error.text() and not c.send_button.isEnabled()
    c.appid.setText("wx0123456789abcdef")
    c.scene.setEditText("10x7")
    assert "not an integer" in c.error.text()
    c.scene.setEditText("1047")
    c.secret.setText("x" * 1025)
    assert "at most 1024" in c.error.text()
    c.secret.setText("token-alice")
    assert c.error.text() == "" and c.send_button.isEnabled()


async def test_oversize_body_verdict_and_gauge(qtbot, services):
    window = await open_window(qtbot, services)
    services.mock.rules.default.body = "{{json_bytes:262145}}"
    await send_from_composer(qtbot, window)
    r = window.composer.response
    assert r.verdict.text().startswith("✘ Not cached") and "262,145 bytes" in r.verdict.text()
    assert r.size_gauge.value() == r.size_gauge.maximum() and "262,145 of 262,144" in r.size_gauge.text()


async def test_a_running_request_can_be_cancelled(qtbot, services):
    window = await open_window(qtbot, services)
    services.mock.rules.default.delay_ms = 3000
    c = window.composer
    c.send()
    await asyncio.sleep(0)  # the send task starts
    assert c.cancel_button.isEnabled()
    qtbot.mouseClick(c.cancel_button, Qt.MouseButton.LeftButton)
    with contextlib.suppress(asyncio.CancelledError):
        await c.send_task
    assert "Cancelled" in c.response.status.text() and c.send_button.isEnabled()
    assert services.store.history_count() == 0


async def test_history_after_restart_replay_diff_and_har(qtbot, services, workspace, tmp_path):
    window = await open_window(qtbot, services)
    window.composer.query.raw.setText("来源=扫码")
    window.composer.scene.setCurrentIndex(window.composer.scene.findData("1047"))
    first = await send_from_composer(qtbot, window)
    await services.aclose()

    # "restart": a new services object and window on the same workspace
    again = Services(workspace)
    try:
        await again.start_mock()
        window2 = MainWindow(again)
        qtbot.addWidget(window2)
        window2.show()
        history = window2.history_view
        await history.model.load_task  # rows come from a thread
        assert history.model.rowCount() == 1 and history.model.history_id(0) == first
        url_cell = history.model.index(0, HistoryModel.COLUMNS.index("url")).data()
        assert "scene=1047" in url_cell and "token-alice" not in url_cell

        again.mock.rules.default.body = '{"v": 2}'
        history.table.selectRow(0)
        stored = signal_emitted(again.outcomeStored)
        qtbot.mouseClick(history.replay_button, Qt.MouseButton.LeftButton)  # one click
        (replay_id,) = await stored
        original, replay = again.store.history(first), again.store.history(replay_id)
        assert replay.replay_of == first and replay.source == "replay"
        assert replay.params == original.params  # exactly the same request, timestamp included
        assert replay.cached

        await history.model.load_task
        history.table.selectAll()
        dialog = await history.show_diff()
        assert dialog.windowTitle() == f"Diff #{first} → #{replay_id}"  # older to newer
        text = dialog.text.toPlainText()
        assert '+  "v": 2' in text  # the mock answered differently the second time
        # the parameters are the same; only the mock's port (it moved with the restart) is in the GET line
        assert not [line for line in text.splitlines() if re.match(r"[+-]\w+=", line)]
        dialog.close()

        path = tmp_path / "out.har"
        assert await history.export_har(path) == 2
        har = json.loads(path.read_text())
        har_validator().validate(har)
        assert "token-alice" not in path.read_text()
        imported = await history.import_har(path)
        await history.model.load_task  # the import reloads the table, off the UI thread
        assert imported == 2 and history.model.total == 4
    finally:
        await again.aclose()


async def test_copy_as_curl_reaches_the_mock_with_identical_parameters(qtbot, services):
    window = await open_window(qtbot, services)
    c = window.composer
    c.query.raw.setText("a=1&b=中 文")
    c.scene.setCurrentIndex(c.scene.findData("1047"))
    c.timestamp_now.setChecked(False)  # a fixed timestamp, so curl and the preview are the same request
    command = c.curl()
    logged = signal_emitted(services.mockRequestsLogged)
    proc = await asyncio.create_subprocess_exec(*shlex.split(command), stdout=subprocess.PIPE)
    out, _ = await asyncio.wait_for(proc.communicate(), 30)
    (batch,) = await logged
    assert proc.returncode == 0 and json.loads(out)["query"] == "a=1&b=中 文"
    assert batch[0].target == "/prefetch?" + c.build_request().query_string()


async def test_a_10_mb_body_shows_a_preview_first_and_formats_off_the_ui_thread(qtbot, services, monkeypatch):
    window = await open_window(qtbot, services)
    services.mock.rules.default.body = "{{json_bytes:10485760}}"
    c = window.composer
    r = c.response
    shown = []  # the view right after the response arrives (the formatting then goes on)
    real = r.show_outcome

    def watched(*args, **kwargs):
        task = real(*args, **kwargs)
        shown.append((len(r.body.toPlainText()), r.body_note.text(), task.done()))
        return task

    monkeypatch.setattr(r, "show_outcome", watched)
    stored = signal_emitted(services.outcomeStored)
    c.send()
    (history_id,) = await stored
    await asyncio.wait_for(asyncio.shield(c.send_task), 30)
    # right after the response arrives: the preview only, and the formatting still running
    ((size, note, formatted),) = shown
    assert size <= 64 * 1024 and note == "Formatting…" and not formatted
    await asyncio.wait_for(r.format_task, 60)
    # reading stopped at 2 MiB (issue 11.3): the view says so, with the size Content-Length gave
    assert "Only the first 2,097,152 of 10,485,760 bytes were read" in r.body_note.text()
    record = await asyncio.to_thread(services.store.history, history_id)
    assert (len(record.body), record.body_size, record.body_truncated) == (2_097_152, 10_485_760, True)
    assert r.verdict.text().startswith("✘ Not cached") and "10,485,760 bytes" in r.verdict.text()


async def test_delete_and_clear_older_than(qtbot, services):
    window = await open_window(qtbot, services)
    for _ in range(3):
        await send_from_composer(qtbot, window)
    history = window.history_view
    await history.model.load_task
    assert history.model.total == 3
    with services.store._transaction() as db:  # make the oldest entry two days old
        db.execute("UPDATE history SET started_ms = started_ms - 2 * 86400000 WHERE id = 1")
    history.table.selectRow(0)  # the newest
    await history.delete_selected()
    assert history.model.total == 2 and history.model.history_id(0) == 2
    history.older.setCurrentIndex(history.older.findData(86400))  # older than 1 day
    qtbot.mouseClick(history.clear_older_button, Qt.MouseButton.LeftButton)
    await services.tasks.idle()
    assert history.model.total == 1 and history.model.history_id(0) == 2
    assert window.statusBar().currentMessage() == "Cleared 1 entries"
