"""Issue 12 item 8: a second window on a workspace that is already open.

It used to start its own mock server on another port, silently, and both windows wrote the same
file. Now it finds the running window (a local server named from the workspace's path) and the
user chooses: switch to that window (this one quits), or open read-only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.qt_async import until
from workbench.app import create_application, main_window_session
from workbench.core.errors import WorkspaceError
from workbench.core.workspace import open_workspace
from workbench.ui import instance
from workbench.ui.main_window import MainWindow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fixed_port_workspace(workspace):
    """The workspace with its mock on a fixed (free) port, as a user's is: the case that went wrong."""
    ws = open_workspace(workspace)
    ws.doc.mock.port = free_port()
    ws.save()
    return ws.path


def windows_on(path) -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and w.services.workspace.path == path]


async def first_session(path):
    create_application()
    session = asyncio.ensure_future(main_window_session(path))
    await until(lambda: windows_on(path) and windows_on(path)[0].services.mock.running)
    return session, windows_on(path)[0]


async def close(session, window) -> None:
    window.close()
    assert await asyncio.wait_for(session, 10) == 0


async def test_a_second_window_offers_to_switch_and_the_first_comes_forward(qtbot, fixed_port_workspace,
                                                                            monkeypatch):
    path = fixed_port_workspace
    session, first = await first_session(path)
    port = first.services.mock.port
    asked, brought = [], []
    monkeypatch.setattr(instance, "ask_what_to_do", lambda p, other, parent=None: asked.append(other)
                        or instance.Choice.SWITCH)
    monkeypatch.setattr(instance, "bring_forward", lambda window: brought.append(window))
    try:
        # the second start on the same workspace: it asks, the first window comes forward, it quits
        assert await asyncio.wait_for(main_window_session(path), 10) == 0
        assert asked == [instance.RunningWindow(pid=os.getpid())]
        assert brought == [first]
        assert windows_on(path) == [first]  # no second window
        assert first.services.mock.running and first.services.mock.port == port  # its mock stayed put
    finally:
        await close(session, first)


async def test_read_only_window_shows_a_notice_starts_no_mock_and_refuses_edits(qtbot, fixed_port_workspace,
                                                                              monkeypatch):
    path = fixed_port_workspace
    session, first = await first_session(path)
    port = first.services.mock.port
    monkeypatch.setattr(instance, "ask_what_to_do", lambda p, other, parent=None: instance.Choice.READ_ONLY)
    second_session = asyncio.ensure_future(main_window_session(path))
    try:
        await until(lambda: len(windows_on(path)) == 2)
        (second,) = [w for w in windows_on(path) if w is not first]
        services = second.services
        await services.tasks.idle()  # the autostart has had its turn
        # a visible, lasting notice, and the title says so
        assert services.read_only and second.read_only_notice.isVisible()
        assert second.read_only_notice.text().startswith("Read-only:") and "read-only" in second.windowTitle()
        assert not first.read_only_notice.isVisible()
        # no mock server of its own (before: it took another port), the first one's is untouched
        assert not services.mock.running
        assert first.services.mock.running and first.services.mock.port == port
        writes: list[str] = []  # whatever this window would write to the workspace
        for name in ("_write", "write_secrets"):
            monkeypatch.setattr(services.workspace, name, lambda *a, n=name: writes.append(n))
        first.services.document.flush()  # the first window's own edits are in the file now
        await first.services.tasks.drain_writes()
        saved = path.read_bytes()
        # edits are refused with one sentence, in the status bar too, and nothing is written
        with pytest.raises(WorkspaceError, match="read-only"):
            services.document.edit("launch", path="pages/other/index")
        assert second.statusBar().currentMessage() == services.read_only_reason
        assert services.read_only_reason.count(".") == 1  # one sentence
        second.composer.path.setText("pages/typed/here")  # the composer remembers launches: refused
        assert services.document.doc.launch.path != "pages/typed/here"
        second.save_now()
        services.mock_edited()  # a rule edit in the mock tab: not saved either
        with pytest.raises(WorkspaceError):
            services.document.apply_percent(10)
        second.mock_view.autostart.setChecked(not second.mock_view.autostart.isChecked())  # refused, put back
        assert second.mock_view.autostart.isChecked() == services.document.doc.mock.autostart
        second.cache_view.prefetch_enabled.toggle()
        assert second.cache_view.prefetch_enabled.isChecked() == services.document.doc.prepull_enabled
        assert second.statusBar().currentMessage() == services.read_only_reason
        # a pre-pull can still be sent (to the first window's mock) but is not stored
        second.composer.target.setCurrentIndex(second.composer.target.findData("custom"))
        second.composer.url.setText(first.services.mock_url("main"))
        messages: list[str] = []
        services.message.connect(messages.append)
        second.composer.send()
        await second.composer.send_task
        assert second.composer.response.status.text().startswith("200")
        assert any(m.startswith("The answer was not stored in the history: This window is read-only")
                   for m in messages), messages
        await services.tasks.idle()
        await close(second_session, second)
        assert writes == []  # closing the read-only window wrote nothing either
        assert first.services.mock.running and first.services.mock.port == port
        first.services.document.flush()
        await first.services.tasks.drain_writes()
        assert path.read_bytes() == saved  # (nothing changed it in the first window meanwhile)
    finally:
        if not second_session.done():
            second_session.cancel()
        await close(session, first)


async def test_cancel_quits_without_opening_a_window(qtbot, fixed_port_workspace, monkeypatch):
    path = fixed_port_workspace
    session, first = await first_session(path)
    monkeypatch.setattr(instance, "ask_what_to_do", lambda p, other, parent=None: instance.Choice.CANCEL)
    try:
        assert await asyncio.wait_for(main_window_session(path), 10) == 0
        assert windows_on(path) == [first]
    finally:
        await close(session, first)


async def test_the_name_is_free_again_after_the_window_closes(qtbot, fixed_port_workspace, monkeypatch):
    path = fixed_port_workspace
    session, first = await first_session(path)
    await close(session, first)
    monkeypatch.setattr(instance, "ask_what_to_do", lambda *a, **k: pytest.fail("nobody holds the workspace"))
    guard = instance.WorkspaceGuard(path)
    try:
        assert await guard.claim() is None and guard.holding
    finally:
        guard.release()


async def test_a_second_start_waits_for_a_first_window_that_has_not_painted_yet(qtbot, fixed_port_workspace):
    """The first window takes the lock at once but listens only after its first paint (QtNetwork
    is not loaded before it): a second start in between is answered once it listens, not taken
    for a crashed owner."""
    first, second = instance.WorkspaceGuard(fixed_port_workspace), instance.WorkspaceGuard(fixed_port_workspace)
    try:
        assert await first.claim() is None and first.holding
        asyncio.get_running_loop().call_later(0.2, first.listen)
        assert await second.claim() == instance.RunningWindow(pid=os.getpid())
        assert not second.holding
    finally:
        first.release()
        second.release()


async def test_a_window_that_holds_the_lock_but_never_answers_is_offered_read_only(qtbot, fixed_port_workspace):
    first, second = instance.WorkspaceGuard(fixed_port_workspace), instance.WorkspaceGuard(fixed_port_workspace)
    try:
        assert await first.claim() is None  # and never listens (stopped in a debugger, say)
        assert await second.claim() == instance.RunningWindow(pid=os.getpid(), answering=False)
    finally:
        first.release()
        second.release()


CRASHING_OWNER = """
import sys, time
from PySide6.QtCore import QCoreApplication, QLockFile
from PySide6.QtNetwork import QLocalServer
from workbench.ui.instance import lock_path, server_name
app = QCoreApplication([])
lock = QLockFile(lock_path(sys.argv[1]))
assert lock.tryLock(0)
server = QLocalServer()
server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
assert server.listen(server_name(sys.argv[1])), server.errorString()
print("listening", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe goes with its process on Windows")
async def test_a_name_left_by_a_crashed_window_does_not_block(qtbot, fixed_port_workspace, monkeypatch):
    path = fixed_port_workspace
    proc = subprocess.Popen([sys.executable, "-c", CRASHING_OWNER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "listening"
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no chance to remove its socket file
        proc.wait(10)
    monkeypatch.setattr(instance, "ask_what_to_do", lambda *a, **k: pytest.fail("a dead window was asked"))
    session, first = await first_session(path)  # opens for writing, mock and all
    try:
        assert not first.services.read_only
    finally:
        await close(session, first)


async def test_the_name_follows_the_file_not_the_spelling(tmp_path):
    real = tmp_path / "a.prepull.toml"
    real.write_text("")
    link = tmp_path / "link.prepull.toml"
    link.symlink_to(real)
    assert instance.server_name(link) == instance.server_name(real) == instance.server_name(tmp_path / "." / real.name)
    assert instance.server_name(tmp_path / "b.prepull.toml") != instance.server_name(real)


async def test_commands_still_work_while_a_window_holds_the_workspace(qtbot, fixed_port_workspace, tmp_path):
    """The CLI does not take part: it coordinates through the workspace file's lock."""
    guard = instance.WorkspaceGuard(fixed_port_workspace)
    assert await guard.claim() is None
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workbench", "--workspace", str(fixed_port_workspace), "history", "export",
            "--har", str(tmp_path / "out.har"),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()
        assert (tmp_path / "out.har").is_file()
    finally:
        guard.release()
