"""What the first screen does not need waits for it (issue 13, start-up): the mock server, the
HTTP client and the login authority are made when first used; the workspace file is validated by
the schema right after the first paint, then the mock server starts."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest

from tests.support.qt_async import signal_emitted
from workbench.app import finish_opening
from workbench.core.errors import InvalidInput
from workbench.core.workspace import VALIDATED_NAME, open_workspace
from workbench.services import Services
from workbench.ui.main_window import MainWindow


async def test_the_mock_server_client_and_login_are_made_when_first_used(qapp, workspace):
    ws = open_workspace(workspace)
    ws.doc.mock.users = [*ws.doc.mock.users, type(ws.doc.mock.users[0])(name="carol")]
    ws.save()
    ws.set_mock_tokens({"alice": "token-a", "carol": "token-c"})
    services = Services(open_workspace(workspace, validate_later=True))
    try:
        assert services._mock is None and services._client is None and services._login is None
        assert not services.mock_running and services.mock_url("main") is None and services.mock_base_url() == ""
        before = (services.mock_user_names(), [services.mock_token(n) for n in ("alice", "bob", " carol ", "dave")])
        assert services._mock is None and not services.workspace.validated  # the first screen's questions
        assert before == (["alice", "bob", "carol"], ["token-a", "token-bob", "token-c", None])
        services.mock  # noqa: B018 (made now, as after the first paint)
        after = (services.mock_user_names(), [services.mock_token(n) for n in ("alice", "bob", " carol ", "dave")])
        assert after == before
    finally:
        await services.aclose()


async def test_a_view_writing_back_what_it_shows_needs_no_schema_but_every_change_is_validated(qapp, workspace):
    services = Services(open_workspace(workspace, validate_later=True))
    document = services.document
    try:
        assert not services.workspace.validated
        document.edit("launch", path=document.doc.launch.path, scene=document.doc.launch.scene)
        document.edit("", prepull_enabled=True)
        assert not services.workspace.validated and not document._timer.isActive()
        with pytest.raises(InvalidInput, match="prepull_enabled"):
            document.edit("", prepull_enabled=1)  # equal to True, but the schema is strict
        document.edit("launch", path="pages/other/other")
        assert services.workspace.doc.launch.path == "pages/other/other" and document._timer.isActive()
    finally:
        await services.aclose()


def _as_the_composer_leaves_it(folder):
    """A workspace as a first start leaves it: the composer has written its launch back (the
    first user chosen), so what it writes back at the next start changes nothing."""
    ws = open_workspace(folder)
    ws.doc.launch.user = "alice"
    ws.save()
    return ws.path


async def test_after_the_first_paint_the_file_is_validated_then_the_mock_server_starts(qtbot, workspace,
                                                                                        monkeypatch):
    """The validation imports pydantic (~110 ms): it runs in a thread, not on the new window's."""
    import threading

    services = Services(open_workspace(_as_the_composer_leaves_it(workspace), validate_later=True))
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        assert not services.workspace.validated
        on_ui: list[bool] = []
        validate = services.workspace.validate
        monkeypatch.setattr(services.workspace, "validate", lambda: on_ui.append(
            threading.current_thread() is threading.main_thread()) or validate())
        started = signal_emitted(services.mockStateChanged)
        await finish_opening(window, services)
        assert services.workspace.validated and on_ui == [False]
        (url,) = await started
        assert url.startswith("http://127.0.0.1:") and services.mock_running
    finally:
        await services.aclose()


async def test_a_file_that_fails_validation_after_the_first_paint_is_reported_and_the_window_closes(
        qapp, qtbot, workspace, monkeypatch):
    from PySide6.QtWidgets import QMessageBox


    path = _as_the_composer_leaves_it(workspace)
    text = path.read_text(encoding="utf-8").replace("autostart = true", "autostart = 1")
    path.write_text(text, encoding="utf-8")  # made invalid, with a note that claims otherwise:
    note_path = path.parent / f"{path.name.removesuffix('.prepull.toml')}.prepull-data" / VALIDATED_NAME
    note = json.loads(note_path.read_text(encoding="utf-8"))
    note["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    note_path.write_text(json.dumps(note), encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    services = Services(open_workspace(path, validate_later=True))
    quits = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)  # as in the app (create_application): the session ends it
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        closed = signal_emitted(window.closed)
        await finish_opening(window, services)
        await closed
        assert len(shown) == 1 and "mock.autostart" in shown[0] and not services.mock_running
    finally:
        qapp.setQuitOnLastWindowClosed(quits)
        await services.aclose()
    assert path.read_text(encoding="utf-8") == text  # never overwritten


async def test_what_waits_for_the_first_paint_is_dropped_when_the_window_closes_first(qtbot):
    """A window closed before its first paint (or right after it, as --quit-after-first-paint
    does) still ran finish_opening: it validated, wrote Open Recent and started a mock server on
    services that were closing."""
    from PySide6.QtWidgets import QWidget

    from workbench.app import AfterFirstPaint, QuitAfterFirstPaint

    ran: list[str] = []
    closed_first = QWidget()
    qtbot.addWidget(closed_first)
    AfterFirstPaint(closed_first, lambda: ran.append("closed first"), fallback_ms=10)
    closed_first.show()
    closed_first.close()
    quitting = QWidget()
    qtbot.addWidget(quitting)
    AfterFirstPaint(quitting, lambda: ran.append("quit after paint"), fallback_ms=10)
    QuitAfterFirstPaint(quitting)  # installed last, as the app does: it closes the window first
    quitting.show()
    shown = QWidget()
    qtbot.addWidget(shown)
    AfterFirstPaint(shown, lambda: ran.append("shown"), fallback_ms=10)
    shown.show()
    qtbot.waitUntil(lambda: "shown" in ran)
    qtbot.waitUntil(lambda: not quitting.isVisible())
    await asyncio.sleep(0.05)  # (past both fallbacks: nothing more may run)
    assert ran == ["shown"]


def test_the_first_window_paints_before_the_event_loop_and_finishes_opening_on_it(qapp, workspace, monkeypatch):
    """asyncio and qasync cost ~27 ms to import and the first screen uses neither: the first
    window is painted by Qt's own loop, and what waits for the first paint (finish_opening) runs
    once the app's loop has started. Before, the loop started first."""
    import workbench.app as app

    seen: dict[str, object] = {}
    painted = app.QuitAfterFirstPaint._painted

    def at_first_paint(self):
        seen["loop at first paint"] = asyncio._get_running_loop()
        seen["visible"] = self.parent().isVisible()
        painted(self)

    async def finishing(window, services, guard=None):
        seen["loop when finishing"] = asyncio.get_running_loop()
        seen["finish opening"] = window.isVisible() and guard is not None and guard.holding
        window.close()

    monkeypatch.setattr(app.QuitAfterFirstPaint, "_painted", at_first_paint)
    monkeypatch.setattr(app, "finish_opening", finishing)
    assert app.run_gui(workspace, exit_fast=False) == 0  # closed by finishing: finish_opening ran
    assert seen.pop("finish opening") is True and seen.pop("loop when finishing") is not None
    assert seen == {}  # the window was not asked to quit after its first paint
    assert app.run_gui(workspace, quit_after_first_paint=True, exit_fast=False) == 0
    assert seen == {"loop at first paint": None, "visible": True}  # and finish_opening did not run


def test_a_start_on_a_workspace_another_window_holds_asks_with_the_loop_running(qapp, workspace, monkeypatch):
    """Asking that window to come forward is asynchronous: such a start paints nothing before
    the loop runs, and leaves the question to the session (tests/ui/test_second_window.py)."""
    from PySide6.QtWidgets import QApplication

    import workbench.app as app
    from workbench.core.workspace import resolve_path
    from workbench.ui.instance import WorkspaceGuard

    path = resolve_path(workspace)
    holder = WorkspaceGuard(path)
    try:
        assert holder.settled() and holder.holding
        before = set(QApplication.topLevelWidgets())
        assert app.paint_first_window(workspace) == path
        assert not [w for w in set(QApplication.topLevelWidgets()) - before if isinstance(w, MainWindow)]
    finally:
        holder.release()
        holder.deleteLater()


def test_a_first_window_showing_a_login_code_issues_it_once_the_loop_runs_and_for_its_user(qapp, workspace,
                                                                                         monkeypatch):
    """Review: the first window's composer issued its login code before the first paint, on the
    UI thread (the authority's database opened, its lock waited for), and for the default user:
    the identity was restored before the user. Now it is asked for once the loop runs, for the
    user the workspace kept."""
    import workbench.app as app
    from tests.support.qt_async import until

    ws = open_workspace(workspace)
    ws.doc.launch.identity, ws.doc.launch.user = "code", "bob"
    ws.save()
    seen: dict[str, object] = {}
    paint = app.paint_first_window

    def painted(*args, **kwargs):
        opened = paint(*args, **kwargs)
        composer = opened.window.composer
        seen["at first paint"] = (opened.services._login is None, composer.code_coming(), composer.secret.text())
        return opened

    async def finishing(window, services, guard=None):
        await until(lambda: window.composer.secret.text() != "")
        seen["user of the code"] = services.login.exchange(window.composer.secret.text()).user
        window.close()

    monkeypatch.setattr(app, "paint_first_window", painted)
    monkeypatch.setattr(app, "finish_opening", finishing)
    assert app.run_gui(workspace, exit_fast=False) == 0
    assert seen == {"at first paint": (True, True, ""), "user of the code": "bob"}


@pytest.mark.parametrize("tab", ["mockView", "trafficView", "cacheView", "historyView"])
def test_a_window_left_on_another_tab_builds_it_once_the_loop_runs(qapp, workspace, monkeypatch, tab):
    """Found by the benchmark's close section: the next start shows the tab the window was left
    on, and its view was built before the app's loop existed. What it started as it was built
    (loading its rows, pyqtgraph for the charts) went to a loop that never ran: the charts never
    came, and closing failed ("attached to a different loop"). Now the tab is built, and what it
    starts runs, once the loop does."""
    from PySide6.QtCore import QSettings

    import workbench.app as app
    from tests.support.qt_async import until

    seen: dict[str, object] = {}
    paint = app.paint_first_window

    def painted(*args, **kwargs):
        opened = paint(*args, **kwargs)
        page = opened.window._pages[tab]
        seen["at first paint"] = (opened.window.tabs.currentWidget() is page, page.is_built())
        return opened

    async def finishing(window, services, guard=None):
        page = window._pages[tab]
        await until(page.is_built)
        if tab == "trafficView":
            await window.traffic_view.charts_box.built()  # pyqtgraph came, in a thread
        seen["built"] = page.is_built()
        window.close()

    tabs = ["composerView", "mockView", "trafficView", "cacheView", "historyView"]
    QSettings().setValue("mainWindow/tab", tabs.index(tab))
    monkeypatch.setattr(app, "paint_first_window", painted)
    monkeypatch.setattr(app, "finish_opening", finishing)
    assert app.run_gui(workspace, exit_fast=False) == 0
    assert seen == {"at first paint": (True, False), "built": True}
