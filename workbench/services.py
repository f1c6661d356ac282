"""The one place that owns the store, the httpx client and the mock server for the GUI.

Views call these coroutines and listen to the Qt signals; they never talk to each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from workbench.core.client import Outcome, PrefetchClient
from workbench.core.errors import WorkbenchError
from workbench.core.protocol import PrefetchRequest, ProtocolSettings, is_loopback_host
from workbench.core.store import Store
from workbench.core.writer import BackgroundWriter
from workbench.mockserver import persist
from workbench.mockserver.runner import ServerStartError
from workbench.mockserver.server import MockServer, RequestLog

#: How often logged mock requests reach the views and the database (coalesced: smooth at 1,000/s).
LOG_FLUSH_MS = 100
SAMPLE_APPID = "wx0123456789abcdef"
#: A fixed default port keeps history entries' mock URLs valid across restarts.
DEFAULT_MOCK_PORT = 8765


class MockSettings:
    """Where and how the mock server listens; persisted in QSettings."""

    KEY = "mock/"

    def __init__(self) -> None:
        s = QSettings()
        self.autostart = _bool(s.value(self.KEY + "autostart", True))
        self.host = str(s.value(self.KEY + "host", "127.0.0.1"))
        self.port = int(s.value(self.KEY + "port", DEFAULT_MOCK_PORT))
        self.tls = _bool(s.value(self.KEY + "tls", False))

    def save(self) -> None:
        s = QSettings()
        for name in ("autostart", "host", "port", "tls"):
            s.setValue(self.KEY + name, getattr(self, name))


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


class Services(QObject):
    #: A pre-pull was stored: its history id.
    outcomeStored = Signal(int)
    #: The mock server started (its base URL) or stopped (empty string).
    mockStateChanged = Signal(str)
    #: A batch of requests the mock server answered (list[RequestLog]), oldest first.
    mockRequestsLogged = Signal(list)
    #: Something the user should read in the status bar.
    message = Signal(str)
    #: Many history entries changed at once (a traffic run, an import).
    historyChanged = Signal()

    def __init__(self, workspace: Path, settings: ProtocolSettings | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings or ProtocolSettings()
        self.store = Store.in_workspace(workspace)
        #: pre-pulls are stored here, in order, after they are on screen (writes are never cancelled)
        self.writer = BackgroundWriter()
        self._stored_ids: list[int] = []
        self.client = PrefetchClient(self.settings)
        self.mock_settings = MockSettings()
        self.mock_file = workspace / persist.MOCK_FILE
        self.mock = MockServer(host=self.mock_settings.host, port=self.mock_settings.port)
        self._mock_load_error = ""
        try:
            saved = persist.load(self.mock_file)
        except WorkbenchError as exc:
            # keep the defaults and never overwrite the file the user may want to repair
            self._mock_load_error = str(exc)
            saved = None
        if saved is not None:
            config, rules = saved
            self.mock.rules = rules
            if config is not None:
                self.mock.config = config
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self._save_mock)
        self.mock.listeners.append(self._on_mock_request)
        self._pending_log: list[RequestLog] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(LOG_FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush_log)
        self._tasks: set[asyncio.Future] = set()
        self._writes: set[asyncio.Future] = set()  # database writes: awaited, never cancelled

    # -- pre-pulls -----------------------------------------------------------------------

    async def send(self, request: PrefetchRequest, *, source: str, user: str = "",
                   address_kind: str = "custom", replay_of: int | None = None) -> tuple[int, Outcome]:
        """Send one pre-pull, store it (off the UI thread) and announce it."""
        stored, outcome = await self.send_and_store(request, source=source, user=user, address_kind=address_kind,
                                                    replay_of=replay_of)
        return await asyncio.shield(stored), outcome

    async def send_and_store(self, request: PrefetchRequest, *, source: str, user: str = "",
                             address_kind: str = "custom",
                             replay_of: int | None = None) -> tuple[asyncio.Future[int], Outcome]:
        """Send one pre-pull and give its outcome as soon as it is judged: storing it follows on
        the background writer, off the critical path; ``stored`` gives the history id (and
        outcomeStored is emitted) when it is written."""
        outcome = await self.client.prefetch(request)
        if replay_of is None:  # pre-pulls close together go in one transaction
            stored = self.writer.submit_item_to_loop(self.store.add_outcomes, (outcome, source, user, address_kind))
        else:
            stored = self.writer.submit_to_loop(self.store.add_outcome, outcome, source=source, user=user,
                                                address_kind=address_kind, replay_of=replay_of)
        stored.add_done_callback(self._announce_stored)
        return stored, outcome

    def _announce_stored(self, stored: asyncio.Future[int]) -> None:
        if stored.cancelled():
            return
        if isinstance(stored.exception(), WorkbenchError):
            self.message.emit(str(stored.exception()))
        elif stored.exception() is None:
            self._stored_ids.append(stored.result())
            if len(self._stored_ids) == 1:
                asyncio.get_running_loop().call_soon(self._emit_stored)

    def _emit_stored(self) -> None:
        """One pre-pull stored: its id; many at once (written together): history changed, once."""
        ids, self._stored_ids = self._stored_ids, []
        if len(ids) == 1:
            self.outcomeStored.emit(ids[0])
        elif ids:
            self.historyChanged.emit()

    def settings_appid(self) -> str:
        """The appid the user works with (set in the composer)."""
        return str(QSettings().value("composer/appid", SAMPLE_APPID))

    # -- mock server ---------------------------------------------------------------------

    async def start_mock(self, host: str | None = None, port: int | None = None, tls: bool | None = None) -> str:
        """(Re)start the mock server where asked; raises WorkbenchError with a clear message."""
        ms = self.mock_settings
        host = ms.host if host is None else host
        port = ms.port if port is None else port
        tls = ms.tls if tls is None else tls
        if self.mock.running:
            await self.mock.stop()
        self.mock.host, self.mock.port = host, port
        self.mock.ssl_context = None
        if tls:
            from workbench.mockserver.tls import make_local_tls

            local = await asyncio.to_thread(make_local_tls)
            self.mock.ssl_context = local.server_context
            await self._use_client(PrefetchClient(self.settings, verify=local.client_context))
        url = await self.mock.start()
        ms.host, ms.port, ms.tls = host, port, tls
        ms.save()
        self.mockStateChanged.emit(url)
        return url

    async def stop_mock(self) -> None:
        await self.mock.stop()
        self._flush_log()
        self.mockStateChanged.emit("")

    async def autostart_mock(self) -> None:
        """Start the mock server as the app opens, unless the user turned that off."""
        if self._mock_load_error:
            self.message.emit(self.tr("The saved mock rules were not loaded (%1); the file is left as it is.")
                              .replace("%1", self._mock_load_error))
        if not self.mock_settings.autostart:
            return
        try:
            try:
                url = await self.start_mock()
            except ServerStartError:
                if self.mock_settings.port == 0:
                    raise
                # the usual port is taken (another workbench?): any free port, without saving it
                wanted = self.mock_settings.port
                url = await self.start_mock(port=0)
                self.mock_settings.port = wanted
                self.mock_settings.save()
        except WorkbenchError as exc:
            self.message.emit(self.tr("The mock server did not start: %1").replace("%1", str(exc)))
            return
        note = "" if is_loopback_host(self.mock.host) else self.tr(" (reachable from other machines)")
        self.message.emit(self.tr("Mock server running at %1").replace("%1", url) + note)

    def mock_edited(self) -> None:
        """The rules or users changed: save them to the workspace soon (edits come in bursts)."""
        self._save_timer.start()

    def _save_mock(self) -> None:
        if self._mock_load_error:
            return  # the file on disk did not load: it is the user's to repair, never overwritten
        text = persist.dumps(self.mock.config, self.mock.rules)  # a snapshot, taken on the UI thread
        self._write_in_thread(self._write_mock, text)

    def _write_mock(self, text: str) -> None:
        from workbench.core.atomic import write_text_atomic

        try:
            write_text_atomic(self.mock_file, text)
        except WorkbenchError as exc:
            self.message.emit(str(exc))

    async def _use_client(self, client: PrefetchClient) -> None:
        old, self.client = self.client, client
        await old.aclose()

    def _on_mock_request(self, record: RequestLog) -> None:
        self._pending_log.append(record)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush_log(self) -> None:
        batch, self._pending_log = self._pending_log, []
        if not batch:
            return
        self.mockRequestsLogged.emit(batch)
        self._write_in_thread(self.store.add_mock_requests, batch)

    def _write_in_thread(self, fn: Any, *args: Any) -> None:
        """Run a write off the UI thread; aclose() waits for it (writes are never cancelled)."""
        write = asyncio.ensure_future(asyncio.to_thread(fn, *args))
        self._writes.add(write)
        write.add_done_callback(self._writes.discard)

    # -- lifecycle -----------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future:
        """Run a coroutine on the loop, keeping a reference so it is awaited at shutdown."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def aclose(self) -> None:
        """Stop the server, cancel what still runs, close client and database: nothing pending."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._save_mock()  # an edit made just before quitting is not lost
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.mock.stop()
        self._flush_timer.stop()
        self._flush_log()
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)
        await self.writer.aclose()  # every pre-pull given to it is stored
        await self.client.aclose()
        self.store.close()
