"""One window per workspace.

A second Prepull Workbench opened on a workspace that is already open used to start its own mock
server on another port, silently, and both windows wrote the same file. Now the first window
holds a lock file named from the workspace's path, and, once it has painted, a local server (a
Unix socket or a Windows named pipe) of the same name; a second start finds the lock taken, asks
that server, and the user chooses: bring the running window forward (this process then ends), or
open this one read-only.

The lock comes first because it is cheap (QtCore only: the first window does not wait for
QtNetwork before it paints) and because it settles a crashed owner without asking anybody: Qt
treats a lock whose process is gone as stale and takes it over. A socket file such a process left
is removed before listening. The command-line commands do not take part: they coordinate through
the workspace file's lock.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: How long a running window has to answer before it counts as not answering.
ANSWER_TIMEOUT_S = 2.0
#: How often a second start tries the running window's server while that window is still starting
#: (it holds the lock from its first moment, and listens once it has painted).
RETRY_S = 0.05


def server_name(path: Path | str) -> str:
    """The local server's name for the workspace at ``path``: the same for every way of writing
    the path (a symlink, a relative path, another case on Windows) and for this user only."""
    key = os.path.normcase(os.path.realpath(os.fspath(path)))
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{key}".encode()).hexdigest()[:24]
    return f"prepull-workbench-{digest}"


def lock_path(path: Path | str) -> str:
    """The lock file of the workspace at ``path`` (in the temp folder, beside Qt's local sockets)."""
    return os.path.join(QDir.tempPath(), server_name(path) + ".lock")


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
    """Holds a workspace's lock, and its local server, while this process has the workspace open
    for writing."""

    #: Another process asked this window to come forward (its user chose "Switch").
    activationRequested = Signal()

    def __init__(self, path: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.name = server_name(path)
        self._lock = QLockFile(lock_path(path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None
        self._locking: threading.Thread | None = None
        self._taken = False

    @property
    def holding(self) -> bool:
        return self._lock.isLocked()

    def begin(self) -> None:
        """Start taking the lock, in a thread: Qt writes the lock file and syncs it to disk (4-15 ms
        of waiting on this machine's disk), which the caller's own work can overlap."""
        if self._locking is None:
            self._locking = threading.Thread(target=self._take, name="workspace lock", daemon=True)
            self._locking.start()

    def _take(self) -> None:
        self._taken = self._lock.tryLock(0)

    def settled(self) -> bool:
        """True when this process may open the workspace for writing without asking anybody: it
        holds the lock now, or no lock can be made at all (say without a temp folder: the
        workspace then opens unguarded rather than not at all). Waits for begin's thread, which
        has usually finished by then (before the first window exists: nothing on screen waits)."""
        self.begin()
        assert self._locking is not None
        self._locking.join()
        return self._taken or self._lock.error() is not QLockFile.LockError.LockFailedError

    async def claim(self) -> RunningWindow | None:
        """Take the workspace's lock: None when this process may open it for writing (see
        ``settled``), else the window that holds it. A lock left by a crashed process is taken
        over."""
        from workbench.core.threads import in_own_thread

        self.begin()
        assert self._locking is not None
        await in_own_thread(self._locking.join, name="prepull-lock-join")  # (a join: not in the shared pool)
        if self.settled():
            return None
        answer = await self._ask({"ask": "hello"}, starting=True)
        if isinstance(answer, dict):
            return _running(answer)
        # it holds the lock but does not answer (busy, stopped in a debugger, or still starting)
        pid, _host, _app = self._lock.getLockInfo()
        return RunningWindow(pid=pid or None, answering=False)

    def listen(self) -> None:
        """Answer second starts from now on (after the first paint: QtNetwork loads here). A socket
        file a crashed owner left is removed first; failing to listen (no temp folder) only means
        a second start finds this window not answering."""
        if not self.holding or self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            server.deleteLater()
            return
        server.newConnection.connect(self._accept)
        self._server = server

    async def ask_to_activate(self) -> bool:
        """Ask the window holding the workspace to come forward; True when it said it did."""
        answer = await self._ask({"ask": "activate"})
        return isinstance(answer, dict) and answer.get("activated") is True

    def release(self) -> None:
        """Give the workspace up (the window closed): the next start on it is the owner."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    # -- the first window's side ---------------------------------------------------------

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(self._answer)
            connection.disconnected.connect(connection.deleteLater)

    def _answer(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

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

    async def _ask(self, request: dict[str, Any], *, starting: bool = False) -> dict[str, Any] | str:
        """One request to the window holding the workspace: its answer, or "silent" when it gave
        none within ANSWER_TIMEOUT_S. ``starting``: a window that does not listen yet (it has not
        painted) is tried again until then."""
        import asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + ANSWER_TIMEOUT_S
        while True:
            answer = await self._ask_once(request, deadline - loop.time())
            if answer != "refused" or not starting or loop.time() + RETRY_S >= deadline:
                return "silent" if answer == "refused" else answer
            await asyncio.sleep(RETRY_S)

    async def _ask_once(self, request: dict[str, Any], timeout: float) -> dict[str, Any] | str:
        """One try: the answer, "refused" (nobody listens) or "silent" (no answer in time)."""
        import asyncio

        from PySide6.QtNetwork import QLocalSocket

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
            return await asyncio.wait_for(answered, max(timeout, 0.0))
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
