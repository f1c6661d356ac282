"""The Mock server tab, driven through its widgets against the real server."""

from __future__ import annotations

import socket

from PySide6.QtCore import Qt

from tests.support.qt_async import signal_emitted
from tests.support.servers import APPID
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.ui.main_window import MainWindow
from workbench.ui.request_log import RequestLogModel


def column(name: str) -> int:
    return RequestLogModel.COLUMNS.index(name)


async def start_from_ui(qtbot, window: MainWindow) -> str:
    view = window.mock_view
    window.tabs.setCurrentWidget(view)
    assert view.start_button.text() == "Start"
    started = signal_emitted(window.services.mockStateChanged)
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    (url,) = await started
    return url


async def test_edit_a_rule_while_running_then_see_the_body_and_the_masked_log(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    view = window.mock_view
    url = await start_from_ui(qtbot, window)
    assert url.startswith("http://127.0.0.1:")
    assert view.start_button.text() == "Stop" and view.url_label.text() == url + "/prefetch"
    assert not view.host.isEnabled()  # where it listens is fixed while it runs

    # the default rule is selected; edit its body in the form, as a user types
    form = view.rules_editor.form
    assert view.rules_editor.current_row() == 0 and form.body.isEnabled()
    form.body.setPlainText('{"greeting": "hello {{user}}", "scene": {{scene|json}}}')

    logged = signal_emitted(services.mockRequestsLogged)
    request = PrefetchRequest(url=services.mock.url("main"), appid=APPID, identity=Identity(token="token-alice"),
                              launch=Launch(path="pages/index", query="id=1&来源=扫码", scene=1047))
    _, outcome = await services.send(request, source="composer", user="alice")
    assert outcome.verdict.cached
    assert outcome.body.decode() == '{"greeting": "hello alice", "scene": "1047"}'
    await logged

    model = view.log_view.model
    assert model.rowCount() == 1
    cell = lambda name: model.index(0, column(name)).data()  # noqa: E731
    assert cell("endpoint") == "main" and cell("status") == "200" and cell("user") == "alice"
    assert cell("query") == "id=1&来源=扫码"
    assert cell("scene") == "1047 · scan a Mini Program code"
    assert "token-alice" not in cell("identity") and cell("identity").startswith("token ")
    assert cell("timestamp").startswith("20")  # a date, not milliseconds
    # detail pane: raw request, token masked; toggling "Show tokens" reveals it
    view.log_view.table.selectRow(0)
    detail = view.log_view.detail.toPlainText()
    assert detail.startswith("GET /prefetch?appid=") and "token-alice" not in detail and "hello alice" in detail
    view.log_view.show_secrets.setChecked(True)
    assert "token-alice" in view.log_view.detail.toPlainText()
    # and the log went to the workspace database
    await services.tasks.drain_writes()
    assert services.store.mock_request_count() == 1

    stopped = signal_emitted(services.mockStateChanged)
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert await stopped == ("",)
    assert view.start_button.text() == "Start" and view.host.isEnabled()


async def test_a_port_in_use_is_one_clear_sentence_and_the_app_keeps_running(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    view = window.mock_view
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        view.port.setValue(port)
        message = signal_emitted(services.message)
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
        (text,) = await message
    assert text == (f"Port {port} on 127.0.0.1 is already in use by another program: choose another port, "
                     "or 0 for any free one.")
    assert view.warning.text() == text and window.statusBar().currentMessage() == text
    assert not services.mock.running and view.start_button.isEnabled()
    view.port.setValue(0)
    url = await start_from_ui(qtbot, window)
    assert services.mock.running and url


async def test_rules_list_add_move_and_the_default_stays_last(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    editor = window.mock_view.rules_editor
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in services.mock.rules.rules] == ["rule 1", "rule 2"]
    assert editor.current_row() == 1
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in services.mock.rules.rules] == ["rule 2", "rule 1"]
    editor.select(editor.model.rowCount() - 1)
    assert not editor.remove_button.isEnabled() and not editor.form.match_box.isEnabled()
    editor.select(0)
    editor.form.headers.setPlainText("not a header")
    assert "Name: value" in editor.form.error.text()
    editor.form.headers.setPlainText("X-Mock: yes")
    assert editor.form.error.text() == "" and services.mock.rules.rules[0].headers == [("X-Mock", "yes")]
    editor.form.scene.setEditText("1047")
    assert services.mock.rules.rules[0].scene == 1047
    editor.form.scene.setEditText("abc")
    assert "not an integer" in editor.form.error.text()


def test_log_model_keeps_a_bounded_number_of_rows():
    from workbench.mockserver.server import RequestLog

    model = RequestLogModel(capacity=100)
    records = [RequestLog(i, 0, "main", "GET", "/p", [("appid", APPID)], "", "", "valid", "default", 200, 1,
                          1.0, "none", [], [], b"") for i in range(250)]
    for start in range(0, 250, 30):
        model.append(records[start:start + 30])
    assert model.rowCount() == 100 and model.record(0).id == 150 and model.record(99).id == 249


async def test_rules_and_users_survive_a_restart_and_a_broken_file_is_left_alone(qtbot, services, workspace):
    from workbench.services import Services

    window = MainWindow(services)
    qtbot.addWidget(window)
    editor = window.mock_view.rules_editor
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.form.body.setPlainText("saved {{user}}")
    editor.form.scene.setEditText("1047")
    qtbot.mouseClick(window.mock_view.users_editor.add_button, Qt.MouseButton.LeftButton)
    await services.aclose()  # quitting right after an edit still saves it

    again = Services(workspace)
    try:
        rule = again.mock.rules.rules[0]
        assert (rule.name, rule.body, rule.scene) == ("rule 1", "saved {{user}}", 1047)
        assert [u.name for u in again.mock.config.users] == ["alice", "bob", "user3"]
    finally:
        await again.aclose()

    # the rules live in the workspace file, the users' tokens in its private data folder
    from workbench.core.workspace import open_workspace

    ws = open_workspace(workspace)
    assert ws.doc.mock.rules[0]["body"] == "saved {{user}}" and [u.name for u in ws.doc.mock.users][2] == "user3"
    assert ws.mock_tokens()["user3"] == "token-user3" and "token-user3" not in ws.path.read_text()

    broken_text = ws.path.read_text().replace('name = "rule 1"', 'nme = "rule 1"')
    ws.path.write_text(broken_text)
    broken = Services(workspace)
    try:
        message = signal_emitted(broken.message)
        await broken.autostart_mock()
        (text,) = await message
        assert "were not loaded" in text and "nme" in text
        broken.mock_edited()  # even an edit must not overwrite the section the user has to repair
    finally:
        await broken.aclose()
    assert ws.path.read_text() == broken_text
