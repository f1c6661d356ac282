"""The one place that owns the store, the httpx client and the mock server for the GUI.

Views call these coroutines and listen to the Qt signals; they never talk to each other.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core import workspace as workspace_mod
from workbench.core.errors import ServerStartError, WorkbenchError
from workbench.core.model import Outcome
from workbench.core.protocol import PrefetchRequest, ProtocolSettings, is_loopback_host
from workbench.core.store import Store
from workbench.core.workspace import Workspace
from workbench.core.writer import BackgroundWriter
from workbench.workflows.document import WorkspaceDocument
from workbench.workflows.tasks import TaskRunner

if TYPE_CHECKING:  # made when first used (after the first paint): their modules load then
    import asyncio

    from workbench.core.client import PrefetchClient
    from workbench.core.login import LoginAuthority
    from workbench.mockserver.rules import RuleSet
    from workbench.mockserver.server import MockConfig, MockServer, RequestLog
    from workbench.workflows.coldstart import ColdStartFlow, PeriodicClock
    from workbench.workflows.history import ReplayFlow, TransferFlow
    from workbench.workflows.traffic import TrafficFlow

T = TypeVar("T")

#: How often logged mock requests reach the views and the database (coalesced: smooth at 1,000/s).
LOG_FLUSH_MS = 100
SAMPLE_APPID = workspace_mod.SAMPLE_APPID
DEFAULT_MOCK_PORT = workspace_mod.DEFAULT_MOCK_PORT


class MockSettings:
    """Where and how the mock server listens: a view of the workspace's [mock] section."""

    def __init__(self, document: WorkspaceDocument) -> None:
        self._document = document

    def __getattr__(self, name: str) -> Any:
        if name in ("autostart", "host", "port", "tls"):
            return getattr(self._document.doc.mock, name)
        raise AttributeError(name)

    def update(self, **values: Any) -> bool:
        """Keep these in the workspace; False when a read-only window refused (said in the status bar)."""
        if self._document.read_only:
            try:
                self._document.edit("mock", **values)
            except WorkbenchError:
                return False
            return True
        self._document.edit("mock", **values)
        return True


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

    def __init__(self, workspace: Workspace | Path | str, settings: ProtocolSettings | None = None,
                 parent: QObject | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        if not isinstance(workspace, Workspace):
            workspace = workspace_mod.open_workspace(workspace)
        self.tasks = TaskRunner(self)
        self.tasks.failed.connect(lambda _name, text: self.message.emit(text))
        self.document = WorkspaceDocument(workspace, self.tasks, self)
        #: True when another window has this workspace open: this one shows it, never writes it
        #: (file, secrets, database) and does not start the mock server by itself.
        self.read_only = read_only
        self.read_only_reason = self.tr(
            "This window is read-only: the workspace is open in another Prepull Workbench window, make "
            "changes there.") if read_only else ""
        self.document.read_only = read_only
        self.document.refusal = self.read_only_reason
        self.document.changed.connect(self._document_changed)
        self.workspace = workspace
        self._settings_override = settings
        self.store = Store(workspace.store_path(), readonly=read_only, refusal=self.read_only_reason or None)
        #: pre-pulls are stored here, in order, after they are on screen (writes are never cancelled)
        self.writer = BackgroundWriter()
        self._stored_ids: list[int] = []
        self.mock_settings = MockSettings(self.document)
        # The client, the login authority and the mock server are made when first used: the
        # first screen needs none of them, and their modules (httpx, uvicorn, the rules' schema)
        # would delay it. The app starts the mock server after the first paint.
        self._client: PrefetchClient | None = None
        self._login: LoginAuthority | None = None
        self._login_made = threading.Lock()
        self._mock: MockServer | None = None
        self._mock_load_error = ""
        self._mock_lock: asyncio.Lock | None = None
        #: The app will start the mock server in a moment (after the first paint): views say
        #: "starting", not "not running", meanwhile.
        self.mock_starting = False
        self._pending_log: list[RequestLog] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(LOG_FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush_log)
        self._spawned = 0

    # -- the workflows: one object per job, outside the widgets (made when a view first asks) --

    @functools.cached_property
    def cold_start(self) -> ColdStartFlow:
        from workbench.workflows.coldstart import ColdStartFlow

        return ColdStartFlow(self)

    @functools.cached_property
    def periodic(self) -> PeriodicClock:
        from workbench.workflows.coldstart import PeriodicClock

        return PeriodicClock(self)

    @functools.cached_property
    def traffic(self) -> TrafficFlow:
        from workbench.workflows.traffic import TrafficFlow

        return TrafficFlow(self)

    @functools.cached_property
    def replay(self) -> ReplayFlow:
        from workbench.workflows.history import ReplayFlow

        return ReplayFlow(self)

    @functools.cached_property
    def transfer(self) -> TransferFlow:
        from workbench.workflows.history import TransferFlow

        flow = TransferFlow(self)
        flow.done.connect(self.message)
        return flow

    @property
    def client(self) -> PrefetchClient:
        """The composer's and workflows' HTTP client, with the workspace's protocol settings."""
        if self._client is None:
            from workbench.core.client import PrefetchClient

            self._client = PrefetchClient(self.settings)
        return self._client

    @client.setter
    def client(self, client: PrefetchClient) -> None:
        self._client = client

    @property
    def login(self) -> LoginAuthority:
        """The workspace's login authority: codes the app issues are redeemed by `serve` on the
        same workspace too (P4, P6)."""
        with self._login_made:  # (first used in a thread, maybe, while the UI thread makes the mock)
            if self._login is None:
                from workbench.core.login import LoginAuthority

                self._login = LoginAuthority.in_folder(self.workspace.ensure_data_dir())
            return self._login

    @property
    def mock(self) -> MockServer:
        """The embedded mock server with the workspace's rules and users (made on first use)."""
        if self._mock is None:
            self._mock = self._make_mock()
        return self._mock

    def _make_mock(self) -> MockServer:
        from workbench.mockserver import persist
        from workbench.mockserver.server import MockServer

        # in a thread of its own: its requests never wait for the UI's loop, nor the UI for them
        mock = MockServer(host=self.mock_settings.host, port=self.mock_settings.port, login=self.login,
                          own_thread=True)
        try:
            config, rules = persist.from_workspace(self.workspace)
        except WorkbenchError as exc:
            # keep the defaults and never overwrite the section the user may want to repair
            self._mock_load_error = str(exc)
        else:
            mock.rules = rules
            mock.config = config
        mock.listeners.append(self._on_mock_request)
        return mock

    @property
    def settings(self) -> ProtocolSettings:
        """The protocol settings in force: the workspace's (P3, P11, P12, P22-P24)."""
        return self._settings_override or self.workspace.protocol_settings()

    def _document_changed(self, section: str) -> None:
        if section == "protocol" and self._client is not None:
            from workbench.core.client import PrefetchClient

            old, self.client = self._client, PrefetchClient(self.settings, verify=self._client.verify)
            self.tasks.run("close old client", old.aclose(), preempt=False)

    # -- pre-pulls -----------------------------------------------------------------------

    async def send(self, request: PrefetchRequest, *, source: str, user: str = "",
                   address_kind: str = "custom", replay_of: int | None = None) -> tuple[int, Outcome]:
        """Send one pre-pull, store it (off the UI thread) and announce it.

        The outcome is returned even when storing it fails (history id -1): the user still sees
        the answer, and the status bar says why it is not in the history.
        """
        import asyncio

        stored, outcome = await self.send_and_store(request, source=source, user=user, address_kind=address_kind,
                                                    replay_of=replay_of)
        try:
            return await asyncio.shield(stored), outcome
        except WorkbenchError:
            return -1, outcome  # already said in the status bar (_announce_stored)
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
            self.message.emit(self.tr("The answer was not stored in the history: %1")
                              .replace("%1", str(stored.exception())))
        elif stored.exception() is None:
            self._stored_ids.append(stored.result())
            if len(self._stored_ids) == 1:
                import asyncio

                asyncio.get_running_loop().call_soon(self._emit_stored)

    def _emit_stored(self) -> None:
        """One pre-pull stored: its id; many at once (written together): history changed, once."""
        ids, self._stored_ids = self._stored_ids, []
        if len(ids) == 1:
            self.outcomeStored.emit(ids[0])
        elif ids:
            self.historyChanged.emit()

    # -- what views may ask of the mock server and the store (they never reach past these) --

    @property
    def mock_running(self) -> bool:
        """True while the embedded mock server answers (False before it was first made)."""
        return self._mock is not None and self._mock.running

    @property
    def mock_config(self) -> MockConfig:
        """The mock server's settings and users, edited live by the Mock server tab (then
        :meth:`mock_edited` puts them in the workspace)."""
        return self.mock.config

    @property
    def mock_rules(self) -> RuleSet:
        """The mock server's response rules, edited live by the Mock server tab."""
        return self.mock.rules

    def mock_url(self, endpoint: str) -> str | None:
        """The running mock server's address for ``endpoint`` (main, gray, periodic), or None."""
        return self.mock.url(endpoint) if self.mock_running else None

    def mock_base_url(self) -> str:
        """The running mock server's base URL, or "" when it is stopped."""
        return self.mock.base_url if self.mock_running else ""

    def mock_code_exchange_url(self, address: str) -> str | None:
        """The mock's code2session address when ``address`` is one of the running mock's."""
        base = self.mock_base_url()
        return base + self.mock.config.code2session_path if base and address.startswith(base) else None

    def mock_user_names(self) -> list[str]:
        """The mock server's users; before it is made, the workspace's (the same list, read
        without loading the mock server's modules)."""
        if self._mock is None:
            return [u.name for u in self.document.doc.mock.users]
        return [u.name for u in self._mock.config.users]

    def mock_token(self, name: str) -> str | None:
        """The token the mock server knows for a simulated user ("" for none); None: no such user.

        Before the mock server is made (the first screen asks), the workspace's users and tokens
        are what it will be made with."""
        name = name.strip()
        if self._mock is None:
            from workbench.mockserver import persist

            if name not in self.mock_user_names():
                return None
            try:
                return persist.user_tokens(self.workspace).get(name, "")
            except WorkbenchError:
                return ""  # (the secrets file is unreadable: the mock server will say so when it starts)
        user = self._mock.config.user_by_name(name)
        return user.token if user is not None else None

    def issue_code(self, user: str) -> str:
        """A login code the workspace's code2session endpoint redeems once (P4, P6). Blocking: the
        authority's lock and database are shared with the mock server's thread and a traffic
        run's code windows; views use :meth:`issue_code_async` (this is for where no loop runs yet)."""
        return self.login.issue_code(user)

    async def issue_code_async(self, user: str) -> str:
        """:meth:`issue_code` in a thread: never on the UI thread, which would wait for whoever
        holds the login authority meanwhile (the mock server redeeming a code, a traffic run)."""
        return await self.tasks.in_thread(self.issue_code, user)

    def session_key(self, user: str) -> str | None:
        """The user's current session_key (blocking, as :meth:`issue_code`)."""
        return self.login.current_session_key(user)

    async def session_key_async(self, user: str) -> str | None:
        """:meth:`session_key` in a thread."""
        return await self.tasks.in_thread(self.session_key, user)

    async def query(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store query or write in a thread (never on the UI thread): ``fn`` gets the store."""
        return await self.tasks.in_thread(functools.partial(fn, self.store, *args, **kwargs))

    def wire_headers(self, url: str) -> list[tuple[str, str]]:
        """The headers a pre-pull to ``url`` carries, as the client would send them."""
        return list(self.client.http.build_request("GET", url).headers.items())

    def notify(self, text: str) -> None:
        """Show one sentence in the status bar (views call this; they never emit our signals)."""
        self.message.emit(text)

    def settings_appid(self) -> str:
        """The appid of the workspace's Mini Program."""
        return self.document.doc.appid

    # -- mock server ---------------------------------------------------------------------

    def _mock_lifecycle(self) -> asyncio.Lock:
        """Starts, restarts and stops of the mock server one after the other, in the order asked
        (the autostart after the first paint and a click on Start may overlap; each is a stop, a
        change of where it listens and a start, with waits in between). Made when first needed:
        asyncio is not loaded before the first paint."""
        if self._mock_lock is None:
            import asyncio

            self._mock_lock = asyncio.Lock()
        return self._mock_lock

    async def start_mock(self, host: str | None = None, port: int | None = None, tls: bool | None = None) -> str:
        """(Re)start the mock server where asked; raises WorkbenchError with a clear message.
        Overlapping calls (and :meth:`stop_mock`) take turns: the last one asked decides."""
        async with self._mock_lifecycle():
            return await self._start_mock(host, port, tls)

    async def _start_mock(self, host: str | None, port: int | None, tls: bool | None) -> str:
        ms = self.mock_settings
        host = ms.host if host is None else host
        port = ms.port if port is None else port
        tls = ms.tls if tls is None else tls
        if self.mock.running:
            await self.mock.stop()
        self.mock.host, self.mock.port = host, port
        self.mock.ssl_context = None
        if tls:
            from workbench.core.client import PrefetchClient
            from workbench.mockserver.tls import make_local_tls

            local = await self.tasks.in_thread(make_local_tls)
            self.mock.ssl_context = local.server_context
            await self._use_client(PrefetchClient(self.settings, verify=local.client_context))
        url = await self.mock.start()
        if not self.read_only:  # a read-only window's choice of port is not the workspace's
            ms.update(host=host, port=port, tls=tls)
        self.mockStateChanged.emit(url)
        return url

    async def stop_mock(self) -> None:
        async with self._mock_lifecycle():
            if self._mock is not None:
                await self._mock.stop()
            self._flush_log()
            self.mockStateChanged.emit("")

    def expect_mock_autostart(self) -> bool:
        """Called before the window is built: whether :meth:`autostart_mock` will start the mock
        server (then :attr:`mock_starting` is True until it has tried)."""
        self.mock_starting = not self.read_only and self.mock_settings.autostart
        return self.mock_starting

    async def autostart_mock(self) -> None:
        """Start the mock server as the app opens, unless the user turned that off."""
        try:
            await self._autostart_mock()
        finally:
            if self.mock_starting:
                self.mock_starting = False
                if not self.mock_running:  # it did not start: the views say so now
                    self.mockStateChanged.emit("")

    async def _autostart_mock(self) -> None:
        self.mock  # noqa: B018 (made now: loading the workspace's rules may report a problem)
        if self._mock_load_error:
            self.message.emit(self.tr("The saved mock rules were not loaded (%1); the file is left as it is.")
                              .replace("%1", self._mock_load_error))
        if not self.mock_settings.autostart:
            return
        if self.read_only:  # the other window serves this workspace's mock (on the workspace's port)
            self.message.emit(self.tr("Read-only: the mock server was not started; the other window runs it."))
            return
        try:
            async with self._mock_lifecycle():  # both tries at once: a Stop clicked meanwhile comes after
                try:
                    url = await self._start_mock(None, None, None)
                except ServerStartError:
                    if self.mock_settings.port == 0:
                        raise
                    # the usual port is taken (another workbench?): any free port, without saving it
                    wanted = self.mock_settings.port
                    url = await self._start_mock(None, 0, None)
                    self.mock_settings.update(port=wanted)
        except WorkbenchError as exc:
            self.message.emit(self.tr("The mock server did not start: %1").replace("%1", str(exc)))
            return
        note = "" if is_loopback_host(self.mock.host) else self.tr(" (reachable from other machines)")
        self.message.emit(self.tr("Mock server running at %1").replace("%1", url) + note)

    def mock_edited(self) -> None:
        """The rules or users changed: put them in the workspace, which saves soon."""
        if self._mock_load_error:
            return  # the section did not load: it is the user's to repair, never overwritten
        if self.read_only:
            self.message.emit(self.read_only_reason)
            return
        from workbench.mockserver import persist

        persist.to_workspace(self.workspace, self.mock.config, self.mock.rules)
        self.document.changed.emit("mock")
        self.document.schedule_save()

    async def _use_client(self, client: PrefetchClient) -> None:
        old, self.client = self._client, client
        if old is not None:
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
        self.tasks.write("store mock requests", self.store.add_mock_requests, batch)

    # -- lifecycle -----------------------------------------------------------------------

    async def _stop_mock_at_close(self) -> None:
        """After a start still under way (one awaited outside the task runner): never before it."""
        assert self._mock is not None
        async with self._mock_lifecycle():
            await self._mock.stop()

    def spawn(self, coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Future[T]:
        """Run a coroutine through the task runner: awaited at shutdown, its failure reported."""
        if name is None:
            self._spawned += 1
            name = f"{getattr(coro, '__qualname__', 'task')}#{self._spawned}"
        return self.tasks.run(name, coro)

    async def aclose(self) -> None:
        """Stop the server, cancel what still runs, close client and database: nothing pending.

        In this order, and no slower than it must be (a closing window waits for it): edits first;
        running tasks cancelled (a traffic run ends before the mock server it talks to, and before
        the writes are waited for: while it goes on, the mock's request log keeps starting writes
        that compete with the run's own, and a close once waited 11.9 s for a whole run to end);
        then the writes started so far; then the mock server, the background writer and the client
        together (the server's shutdown is mostly waiting); the mock's last requests stored; the
        database closed last.
        """
        self.document.flush()  # an edit made just before quitting is not lost
        await self.tasks.cancel_all()
        await self.tasks.drain_writes()
        closing = [self.writer.aclose()]  # every pre-pull given to it is stored
        if self._mock is not None:  # made on first use: a window closed before that has none
            closing.append(self._stop_mock_at_close())
        if self._client is not None:
            closing.append(self._client.aclose())
        import asyncio

        results = await asyncio.gather(*closing, return_exceptions=True)
        self._flush_timer.stop()
        self._flush_log()
        await self.tasks.aclose()
        self.store.close()
        if self._login is not None:
            self._login.close()
        for result in results:  # closed all the same; a failure is not hidden
            if isinstance(result, BaseException):
                raise result
