"""One window per workspace.

A second Prepull Workbench opened on a workspace that is already open used to start its own mock
server on another port, silently, and both windows wrote the same file. Now the first window
holds a local server (a Unix socket or a Windows named pipe) named from the workspace's path;
a second one finds it there, and the user chooses: bring the running window forward (this
process then ends), or open this one read-only.

A crashed process leaves no pipe behind on Windows and an unanswered socket file on Unix: the
next start finds nobody listening, removes the file, and takes the name. The command-line
commands do not take part: they coordinate through the workspace file's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

#: How long a running window has to answer before it counts as not answering.
ANSWER_TIMEOUT_S = 2.0


def server_name(path: Path | str) -> str:
    """The local server's name for the workspace at ``path``: the same for every way of writing
    the path (a symlink, a relative path, another case on Windows) and for this user only."""
    key = os.path.normcase(os.path.realpath(os.fspath(path)))
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{key}".encode()).hexdigest()[:24]
    return f"prepull-workbench-{digest}"


@dataclass(frozen=True)
class RunningWindow:
    """The other process that has the workspace open."""

    pid: int | None
    #: False when it holds the name but did not answer in time (busy, or stopped in a debugger).
    answering: bool = True


def _running(answer: dict[str, Any] | str) -> RunningWindow:
    if not isinstance(answer, dict):
        return RunningWindow(pid=None, answering=False)
    pid = answer.get("pid")
    return RunningWindow(pid=pid if isinstance(pid, int) else None)


class Choice(enum.Enum):
    SWITCH = "switch"
    READ_ONLY = "read-only"
    CANCEL = "cancel"


class WorkspaceGuard(QObject):
    """Holds a workspace's local server while this process has the workspace open for writing."""

    #: Another process asked this window to come forward (its user chose "Switch").
    activationRequested = Signal()

    def __init__(self, path: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.name = server_name(path)
        self._server: QLocalServer | None = None

    @property
    def holding(self) -> bool:
        return self._server is not None and self._server.isListening()

    async def claim(self) -> RunningWindow | None:
        """Take the workspace's name: None when this process holds it now, else the window that
        does. A name left behind by a crashed process is taken over; a name that cannot be used at
        all (no temp folder) never keeps the user out: the workspace then opens unguarded."""
        # Ask first: listening does not fail while another process listens (Qt moves its socket
        # file into place over an existing one on Unix; two servers share a pipe name on Windows).
        answer = await self._ask({"ask": "hello"})
        if answer != "refused":
            return _running(answer)
        QLocalServer.removeServer(self.name)  # a socket file nobody answers on: its process is gone
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):  # no temp folder, say: open unguarded rather than not at all
            server.deleteLater()
            return None
        server.newConnection.connect(self._accept)
        self._server = server
        return None

    async def ask_to_activate(self) -> bool:
        """Ask the window holding the workspace to come forward; True when it said it did."""
        answer = await self._ask({"ask": "activate"})
        return isinstance(answer, dict) and answer.get("activated") is True

    def release(self) -> None:
        """Give the name up (the window closed): the next start on this workspace is the owner."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    # -- the first window's side ---------------------------------------------------------

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(self._answer)
            connection.disconnected.connect(connection.deleteLater)

    def _answer(self) -> None:
        connection = self.sender()
        if not isinstance(connection, QLocalSocket):
            return
        while connection.canReadLine():
            try:
                request = json.loads(bytes(connection.readLine().data()).decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                connection.abort()
                return
            reply: dict[str, Any] = {"pid": os.getpid()}
            if isinstance(request, dict) and request.get("ask") == "activate":
                self.activationRequested.emit()
                reply["activated"] = True
            connection.write(json.dumps(reply).encode("utf-8") + b"\n")
            connection.flush()

    # -- the second window's side --------------------------------------------------------

    async def _ask(self, request: dict[str, Any]) -> dict[str, Any] | str:
        """One request to the window holding the name: its answer, "refused" (nobody listens)
        or "silent" (it did not answer in time)."""
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[dict[str, Any] | str] = loop.create_future()
        socket = QLocalSocket(self)

        def settle(value: dict[str, Any] | str) -> None:
            if not answered.done():
                answered.set_result(value)

        def connected() -> None:
            socket.write(json.dumps(request).encode("utf-8") + b"\n")
            socket.flush()

        def ready() -> None:
            if socket.canReadLine():
                try:
                    reply = json.loads(bytes(socket.readLine().data()).decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    reply = None
                settle(reply if isinstance(reply, dict) else "silent")

        def failed(error: QLocalSocket.LocalSocketError) -> None:
            refused = (QLocalSocket.LocalSocketError.ConnectionRefusedError,
                       QLocalSocket.LocalSocketError.ServerNotFoundError)
            settle("refused" if error in refused else "silent")

        socket.connected.connect(connected)
        socket.readyRead.connect(ready)
        socket.errorOccurred.connect(failed)
        socket.connectToServer(self.name)
        try:
            return await asyncio.wait_for(answered, ANSWER_TIMEOUT_S)
        except TimeoutError:
            return "silent"
        finally:
            for signal in (socket.connected, socket.readyRead, socket.errorOccurred):
                with contextlib.suppress(RuntimeError):
                    signal.disconnect()
            socket.abort()
            socket.deleteLater()


class RunningWindowDialog(QMessageBox):
    """The question a second start on an open workspace asks."""

    def __init__(self, path: Path, other: RunningWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runningWindowDialog")
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(self.tr("Workspace already open"))
        who = (self.tr("another Prepull Workbench window (process %1)").replace("%1", str(other.pid))
               if other.pid is not None else self.tr("another Prepull Workbench window"))
        self.setText(self.tr("%1 is already open in %2.").replace("%1", path.name).replace("%2", who))
        self.setInformativeText(
            self.tr("Switch to that window, or open this one read-only: it shows the workspace but does not "
                    "start the mock server or save changes.") if other.answering else
            self.tr("That window does not answer. You can open this one read-only: it shows the workspace but "
                    "does not start the mock server or save changes."))
        self.switch_button = self.addButton(self.tr("Switch to the running window"), QMessageBox.ButtonRole.AcceptRole)
        self.switch_button.setEnabled(other.answering)
        self.read_only_button = self.addButton(self.tr("Open read-only"), QMessageBox.ButtonRole.ActionRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.switch_button if other.answering else self.read_only_button)

    def choice(self) -> Choice:
        clicked = self.clickedButton()
        return (Choice.SWITCH if clicked is self.switch_button else
                Choice.READ_ONLY if clicked is self.read_only_button else Choice.CANCEL)


def ask_what_to_do(path: Path, other: RunningWindow, parent: QWidget | None = None) -> Choice:
    """Ask the user (a modal dialog; tests replace this function)."""
    dialog = RunningWindowDialog(path, other, parent)
    dialog.exec()
    return dialog.choice()


def bring_forward(window: QWidget) -> None:
    """Show ``window`` in front of the others, as far as the desktop lets a process do that."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)  # where activation is refused (focus-stealing prevention): a flash
