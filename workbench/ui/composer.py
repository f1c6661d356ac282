"""The request composer: a launch as WeChat sends it, its exact URL live, send and cancel."""

from __future__ import annotations

import contextlib
import re
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core import launch_query, redact
from workbench.core.cache import get_background_fetch_data
from workbench.core.curl import curl_command
from workbench.core.errors import InvalidInput, WorkbenchError
from workbench.core.protocol import (
    SCENES,
    FetchType,
    Identity,
    Launch,
    Platform,
    PrefetchRequest,
    parse_scene,
    plain_http_host,
    validate_appid,
)
from workbench.core.store import HistoryRecord, Store
from workbench.services import Services
from workbench.ui.response_view import ResponseView
from workbench.ui.texts import scene_label
from workbench.ui.theme import set_tone, toned_label

if TYPE_CHECKING:
    import asyncio

# "https://https://host/…": a URL pasted after a scheme already typed (the host would be "https").
DOUBLED_SCHEME = re.compile(r"(?i)^https?:/+https?:")
#: With a login code as identity, a new user's code is asked for once the typing pauses this long.
USER_TYPING_PAUSE_MS = 300



class _AMoment(InvalidInput):
    """Nothing to fix, only a moment to wait (said in a muted tone, not as a fault)."""


class _MockStarting(_AMoment):
    """The mock server is about to start (the app starts it after its first paint)."""


class _CodeComing(_AMoment):
    """A login code is being issued (off the UI thread)."""



class QueryEditor(QWidget):
    """The launch query as raw text (the truth, sent as typed: P8) and a key/value table that is
    a view of it: editing a row rewrites only that pair's text (core/launch_query.py)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.raw = QLineEdit()
        self.raw.setObjectName("launchQueryRaw")
        self.raw.setPlaceholderText(self.tr("e.g. id=1&from=qrcode · empty: no query is sent (P7)"))
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("launchQueryTable")
        self.table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Value")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMaximumHeight(110)
        self.table.setToolTip(self.tr("Decoded pairs of the launch query; an edit changes only that pair in the "
                                      "text above"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.raw)
        layout.addWidget(self.table)
        self.raw.textChanged.connect(self._raw_changed)
        self.table.itemChanged.connect(self._table_changed)
        self._show(self.raw.text())

    def text(self) -> str:
        return self.raw.text()

    def set_text(self, text: str) -> None:
        self.raw.setText(text)

    def _show(self, raw: str) -> None:
        """The table as a view of ``raw``: one row per pair plus an empty row to add one."""
        rows = [*launch_query.decoded_pairs(raw), ("", "")]
        self.table.blockSignals(True)
        try:
            if self.table.rowCount() != len(rows):
                self.table.setRowCount(len(rows))
            for row, texts in enumerate(rows):
                for column, text in enumerate(texts):
                    item = self.table.item(row, column)
                    if item is None:
                        self.table.setItem(row, column, QTableWidgetItem(text))
                    elif item.text() != text:
                        item.setText(text)
        finally:
            self.table.blockSignals(False)

    def _raw_changed(self, text: str) -> None:
        self._show(text)
        self.changed.emit()

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _table_changed(self, item: QTableWidgetItem) -> None:
        row = item.row()
        raw = self.raw.text()
        key, value = self._cell(row, 0), self._cell(row, 1)
        if row < len(launch_query.pairs(raw)):
            new = launch_query.replace_pair(raw, row, key, value)
        else:
            new = launch_query.append_pair(raw, key, value)
        if new != raw:
            self.raw.setText(new)  # re-shows the table from the new text
        else:
            self._show(raw)


class ComposerView(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.send_task: asyncio.Future[None] | None = None
        self.sending = False
        #: a login code was asked for and is on its way (see generate_code)
        self._code_coming = False
        #: a code for the user being typed, asked for once the typing pauses
        self._code_for_user = QTimer(self)
        self._code_for_user.setSingleShot(True)
        self._code_for_user.setInterval(USER_TYPING_PAUSE_MS)
        self._code_for_user.timeout.connect(self.generate_code)
        self.replay_of: int | None = None
        launch = services.document.doc.launch

        self.appid = QLineEdit(services.document.doc.appid)
        self.appid.setObjectName("appid")
        self.target = QComboBox()
        self.target.setObjectName("target")
        for kind, text in (("main", self.tr("Mock server: main address")),
                           ("gray", self.tr("Mock server: gray address")),
                           ("periodic", self.tr("Mock server: periodic address")),
                           ("custom", self.tr("Another URL"))):
            self.target.addItem(text, kind)
        self.url = QLineEdit(launch.custom_url)
        # a hint, never a value: a pre-filled "https://" plus a pasted URL gave https://https://…
        self.url.setPlaceholderText(self.tr("e.g. https://api.example.com/prefetch"))
        self.url.setObjectName("url")
        self.http_warning = toned_label("plainHttpWarning", "warning", hidden=True)
        self.fetch_type = QComboBox()
        self.fetch_type.setObjectName("fetchType")
        for ft in FetchType:
            self.fetch_type.addItem(ft.value, ft.value)
        self.user = QComboBox()
        self.user.setObjectName("user")
        self.user.setEditable(True)
        for name in services.mock_user_names():
            self.user.addItem(name)
        self.identity_kind = QComboBox()
        self.identity_kind.setObjectName("identityKind")
        for kind, text in (("token", self.tr("Token")), ("code", self.tr("Login code")),
                           ("none", self.tr("Neither (violates P4)"))):
            self.identity_kind.addItem(text, kind)
        self.secret = QLineEdit()
        self.secret.setObjectName("secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_secret = QCheckBox(self.tr("Show"))
        self.new_code = QPushButton(self.tr("New code"))
        self.path = QLineEdit()
        self.path.setObjectName("path")
        # a value-like placeholder read as the path being sent; an empty path sends none (P7)
        self.path.setPlaceholderText(self.tr("e.g. pages/index/index · empty: no path is sent (P7)"))
        self.query = QueryEditor()
        self.scene = QComboBox()
        self.scene.setObjectName("scene")
        self.scene.setEditable(True)
        self.scene.addItem(self.tr("(none)"), "")
        for number in SCENES:
            self.scene.addItem(scene_label(number), str(number))
        self.scene.setCurrentIndex(self.scene.findData("1001"))
        self.version = QLineEdit()
        self.version.setObjectName("version")
        self.version.setPlaceholderText(self.tr("e.g. 1.0.0 · empty: not sent (P7)"))
        self.timestamp_now = QCheckBox(self.tr("Now"))
        self.timestamp_now.setChecked(True)
        self.timestamp = QLineEdit()
        self.timestamp.setObjectName("timestamp")
        self.timestamp.setPlaceholderText(self.tr("milliseconds since 1970"))
        self.timestamp.setEnabled(False)
        self.platform = QComboBox()
        self.platform.setObjectName("platform")
        for p in Platform:
            self.platform.addItem(p.value, p.value)

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("urlPreview")
        self.preview.setReadOnly(True)
        self.preview.setMaximumHeight(80)
        self.error = toned_label("composerError", "error")
        self.copy_url = QPushButton(self.tr("Copy URL"))
        self.copy_curl = QPushButton(self.tr("Copy as curl"))
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("send")
        self.send_button.setDefault(True)
        self.send_button.setToolTip(self.tr("Send the pre-pull (Ctrl+Enter)"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)

        form = QFormLayout()
        form.addRow(self.tr("appid"), self.appid)
        form.addRow(self.tr("Send to"), self.target)
        form.addRow(self.tr("URL"), self.url)
        form.addRow("", self.http_warning)
        form.addRow(self.tr("fetchType"), self.fetch_type)
        form.addRow(self.tr("User"), self.user)
        who = QHBoxLayout()
        who.addWidget(self.identity_kind)
        who.addWidget(self.secret, 1)
        who.addWidget(self.show_secret)
        who.addWidget(self.new_code)
        form.addRow(self.tr("Identity"), who)
        form.addRow(self.tr("Page path"), self.path)
        form.addRow(self.tr("Launch query"), self.query)
        form.addRow(self.tr("Scene"), self.scene)
        form.addRow(self.tr("customMiniprogramVersion"), self.version)
        ts = QHBoxLayout()
        ts.addWidget(self.timestamp_now)
        ts.addWidget(self.timestamp, 1)
        form.addRow(self.tr("timestamp"), ts)
        form.addRow(self.tr("Platform"), self.platform)
        form_widget = QWidget()
        form_widget.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_url)
        buttons.addWidget(self.copy_curl)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(scroll, 1)
        ll.addWidget(QLabel(self.tr("Exact request (P8 encoding)")))
        ll.addWidget(self.preview)
        ll.addWidget(self.error)
        ll.addLayout(buttons)

        self.response = ResponseView()
        self.splitter = splitter = QSplitter()  # horizontal
        splitter.addWidget(left)
        splitter.addWidget(self.response)
        # at 1280 px the form needs about half the width to show every field whole
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([max(660, form_widget.sizeHint().width() + 24), 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        for edit in (self.appid, self.url, self.secret, self.path, self.version, self.timestamp):
            edit.textChanged.connect(self.update_preview)
        for combo in (self.target, self.fetch_type, self.identity_kind, self.platform):
            combo.currentIndexChanged.connect(self.update_preview)
        self.scene.currentTextChanged.connect(self.update_preview)
        self.user.currentTextChanged.connect(self._user_changed)
        self.query.changed.connect(self.update_preview)
        self.timestamp_now.toggled.connect(self._timestamp_mode)
        self.show_secret.toggled.connect(self._show_secret)
        self.identity_kind.currentIndexChanged.connect(self._identity_changed)
        self.new_code.clicked.connect(self.generate_code)
        self.copy_url.clicked.connect(self._copy_url)
        self.copy_curl.clicked.connect(self._copy_curl)
        self.send_button.clicked.connect(self.send)
        self.cancel_button.clicked.connect(self.cancel)
        # Ctrl+Return sends: the main window's Actions › Send Pre-pull (one place for every shortcut)
        services.mockStateChanged.connect(lambda _url: self.update_preview())
        self._restore_launch()
        self._user_changed(self.user.currentText())
        self._target_changed()
        self.target.currentIndexChanged.connect(self._target_changed)
        self._restoring = False
        self.update_preview()

    def layout_widgets(self) -> tuple[list[QSplitter], list[QTabWidget]]:
        """The splitters and inner tabs whose place is kept (splitter_layout), as findChildren
        would find them; named here because findChildren costs milliseconds before the first paint."""
        return [self.splitter], [self.response.tabs]

    # -- the last launch lives in the workspace ---------------------------------------

    def _restore_launch(self) -> None:
        """Show the workspace's last composed launch (issue 9: it survives a restart)."""
        self._restoring = True
        launch = self.services.document.doc.launch
        if launch.user:  # first: a login code the identity asks for is this user's
            self.user.setEditText(launch.user)
        for combo, value in ((self.target, launch.target), (self.fetch_type, launch.fetch_type),
                             (self.identity_kind, launch.identity), (self.platform, launch.platform)):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
        self.path.setText(launch.path)
        self.query.set_text(launch.query)
        scene = str(launch.scene) if launch.scene else ""
        index = self.scene.findData(scene)
        self.scene.setCurrentIndex(index) if index >= 0 else self.scene.setEditText(scene)
        self.version.setText(launch.version)
        self.timestamp_now.setChecked(not launch.fixed_timestamp)
        self.timestamp.setText(launch.fixed_timestamp)

    def _remember_launch(self) -> None:
        """Put the form's launch into the workspace (saved soon); the appid only once it is valid."""
        if getattr(self, "_restoring", True):
            return
        scene = self.scene_text()
        doc = self.services.document
        with contextlib.suppress(InvalidInput):
            doc.edit("launch", target=self.target_kind(), custom_url=self.url.text().strip(),
                     fetch_type=self.fetch_type.currentData(), path=self.path.text().strip(),
                     query=self.query.text(), scene=int(scene) if scene.isdigit() else 0,
                     version=self.version.text().strip(), identity=self.identity_kind.currentData(),
                     platform=self.platform.currentData(), user=self.user.currentText().strip(),
                     fixed_timestamp="" if self.timestamp_now.isChecked() else self.timestamp.text().strip())
        with contextlib.suppress(InvalidInput):
            appid = validate_appid(self.appid.text())
            if appid != doc.doc.appid:
                doc.edit("", appid=appid)

    # -- building the request ------------------------------------------------------------

    def target_kind(self) -> str:
        kind: str = self.target.currentData()  # every item's data is its kind
        return kind

    def target_url(self) -> str:
        kind = self.target_kind()
        if kind == "custom":
            custom = self.url.text().strip()
            if DOUBLED_SCHEME.match(custom):
                raise InvalidInput(self.tr("The address starts with its scheme twice (%1…): remove one.")
                                   .replace("%1", custom[:custom.index(":", custom.index("//")) + 3]))
            return custom
        url = self.services.mock_url(kind)
        if url is None:
            if self.services.mock_starting:
                raise _MockStarting(self.tr("Starting the mock server…"))
            raise InvalidInput(self.tr("The mock server is not running: start it in the Mock server tab, "
                                       "or send to another URL."))
        return url

    def scene_text(self) -> str:
        text = self.scene.currentText().strip()
        if self.scene.currentIndex() >= 0 and self.scene.itemText(self.scene.currentIndex()) == text:
            scene: str = self.scene.currentData()  # every item's data is its number as text
            return scene
        return text.split("·")[0].strip()

    def build_request(self) -> PrefetchRequest:
        """The request the form describes, or InvalidInput saying what to fix."""
        kind = self.identity_kind.currentData()
        if kind == "code" and self.code_coming():
            raise _CodeComing(self.tr("Issuing a login code…"))
        secret = self.secret.text()
        identity = Identity(token=secret if kind == "token" else None, code=secret if kind == "code" else None)
        timestamp = None
        if not self.timestamp_now.isChecked():
            raw = self.timestamp.text().strip()
            if not raw.isdigit():
                raise InvalidInput(self.tr("The fixed timestamp must be a whole number of milliseconds."))
            timestamp = int(raw)
        fetch_type = FetchType(self.fetch_type.currentData())
        # P21: a periodic update has no launch (the launch fields are disabled meanwhile)
        launch = Launch() if fetch_type is FetchType.PERIODIC else Launch(
            path=self.path.text().strip(), query=self.query.text(), scene=parse_scene(self.scene_text()),
            version=self.version.text().strip())
        return PrefetchRequest(
            url=self.target_url(), appid=self.appid.text(), identity=identity, launch=launch,
            fetch_type=fetch_type, timestamp_ms=timestamp, timestamp_unit=self.services.settings.timestamp_unit)

    def update_preview(self) -> None:
        self._remember_launch()
        periodic = self.fetch_type.currentData() == FetchType.PERIODIC
        for widget in (self.path, self.query, self.scene, self.version):
            widget.setEnabled(not periodic)
            widget.setToolTip(self.tr("A periodic update carries only appid, token and timestamp (P21)")
                              if periodic else "")
        host = plain_http_host(self.url.text()) if self.target_kind() == "custom" else None
        self.http_warning.setVisible(host is not None)
        if host is not None:
            self.http_warning.setText(self.tr(
                "WeChat would not accept this address: it uses plain http to %1 (P10). The workbench sends it "
                "for local testing, and the verdict says so.").replace("%1", host))
        try:
            request = self.build_request().stamped()
        except InvalidInput as exc:
            self.error.setText(str(exc))
            set_tone(self.error, "muted" if isinstance(exc, _AMoment) else "error")  # a moment, not a fault
            self.preview.setPlainText("")
            self.send_button.setEnabled(False)
            self.copy_url.setEnabled(False)
            self.copy_curl.setEnabled(False)
            return
        self.error.clear()
        shown = request.full_url()
        if not self.show_secret.isChecked():
            shown = redact.for_request(request).url(shown)
        self.preview.setPlainText("GET " + shown)
        self.send_button.setEnabled(not self.sending)
        self.copy_url.setEnabled(True)
        self.copy_curl.setEnabled(True)

    def _target_changed(self) -> None:
        kind = self.target_kind()
        self.url.setEnabled(kind == "custom")
        if kind == "periodic":
            self.fetch_type.setCurrentIndex(self.fetch_type.findData("periodic"))
        elif kind in ("main", "gray"):
            self.fetch_type.setCurrentIndex(self.fetch_type.findData("pre"))
        self.update_preview()

    def _user_changed(self, name: str) -> None:
        kind = self.identity_kind.currentData()
        if kind == "code" and not self._restoring:  # a code is one user's: the new user gets one
            self._code_coming = True  # (nothing is sent with the last user's code meanwhile)
            self.services.tasks.cancel(self.CODE_TASK)
            self.secret.clear()
            self.secret.setEnabled(False)
            self._code_for_user.start()  # not one per keystroke, for "b", "bo", "bob"
            self.update_preview()
            return
        token = self.services.mock_token(name)
        if token is not None and kind == "token":
            self.secret.setText(token)
        self.update_preview()

    def _identity_changed(self) -> None:
        kind = self.identity_kind.currentData()
        self._forget_code_coming()
        self.secret.setEnabled(kind != "none")
        self.new_code.setEnabled(kind == "code")
        if kind == "code":
            self.generate_code()
        elif kind == "token":
            self._user_changed(self.user.currentText())
        else:
            self.secret.clear()
        self.update_preview()

    CODE_TASK = "login code"

    def generate_code(self) -> None:
        """A fresh login code from the workspace's login authority: the mock server, or `serve`
        on the same workspace, redeems it once at code2session (P4, P6).

        Issued in a thread (the authority's lock and database are shared with the mock server's
        thread and a traffic run): meanwhile the field is empty and disabled and the form says a
        code is coming; a newer request replaces one still on its way. The first window is built
        before the app's loop runs: its code is issued once the loop does, not before the first
        paint (opening the authority's database, waiting for its lock)."""
        self._code_for_user.stop()
        user = self.user.currentText().strip()
        self._code_coming = True
        self.secret.clear()
        self.secret.setEnabled(False)
        self.services.tasks.when_running(lambda: self._ask_for_code(user))
        self.update_preview()

    def _ask_for_code(self, user: str) -> None:
        if self._code_coming:  # (not if another identity or a loaded entry took over meanwhile)
            self.services.tasks.run(self.CODE_TASK, self._issue_code(user))  # the one on its way is cancelled

    def code_coming(self) -> bool:
        """A login code asked for is still on its way."""
        return self._code_coming

    def _forget_code_coming(self) -> None:
        """The form no longer wants the code on its way (another identity, a loaded entry)."""
        self._code_for_user.stop()
        if self._code_coming:
            self._code_coming = False
            self.services.tasks.cancel(self.CODE_TASK)
            self.secret.setEnabled(self.identity_kind.currentData() != "none")

    async def _issue_code(self, user: str) -> None:
        # (cancelled: a newer request or another identity took over, and set the form itself)
        try:
            code = await self.services.issue_code_async(user)
        except Exception:
            self._code_coming = False  # the task runner says why in the status bar
            self.secret.setEnabled(True)
            self.update_preview()
            raise
        self._code_coming = False
        self.secret.setEnabled(True)
        self.secret.setText(code)  # (the preview follows)

    def _timestamp_mode(self, now: bool) -> None:
        self.timestamp.setEnabled(not now)
        if not now and not self.timestamp.text():
            self.timestamp.setText(str(int(time.time() * 1000)))
        self.update_preview()

    def _show_secret(self, show: bool) -> None:
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if show else QLineEdit.EchoMode.Password)
        self.update_preview()

    def _copy_url(self) -> None:
        QGuiApplication.clipboard().setText(self.build_request().stamped().full_url())

    def curl(self) -> str:
        request = self.build_request().stamped()
        return curl_command(request.full_url(), self.services.wire_headers(request.full_url()))

    def _copy_curl(self) -> None:
        QGuiApplication.clipboard().setText(self.curl())

    # -- loading a history entry ---------------------------------------------------------

    def load_record(self, record: HistoryRecord) -> None:
        """Put a stored request into the form (to edit it, or to fix what a replay lacks).

        The appid stays the workspace's: the form's appid is the workspace's, and an entry
        imported from a HAR carries another app's (or none). Plain http is sent with a warning
        (P10), as for any address typed in; nothing else changes about it."""
        self.target.setCurrentIndex(self.target.findData("custom"))
        self.url.setText(record.url)
        appid = self.services.settings_appid()
        self.appid.setText(appid)
        if record.appid != appid:
            self.services.notify(self.tr("Entry #%1 was sent with appid %2; the composer keeps this workspace's "
                                         "appid %3.").replace("%1", str(record.id))
                                 .replace("%2", record.appid or self.tr("(none)")).replace("%3", appid))
        self.fetch_type.setCurrentIndex(max(0, self.fetch_type.findData(record.fetch_type)))
        kind = "token" if record.token is not None else "code" if record.code is not None else "none"
        self._forget_code_coming()  # the entry's own identity is shown
        self.identity_kind.blockSignals(True)
        self.identity_kind.setCurrentIndex(self.identity_kind.findData(kind))
        self.identity_kind.blockSignals(False)
        self.secret.setEnabled(kind != "none")
        self.secret.setText(record.token or record.code or "")
        self.path.setText(record.path)
        self.query.set_text(record.query)
        self.scene.setEditText(str(record.scene) if record.scene is not None else "")
        self.version.setText(record.version)
        self.update_preview()

    # -- sending -------------------------------------------------------------------------

    def send(self) -> None:
        if self.send_task is not None and not self.send_task.done():
            return
        try:
            request = self.build_request()
        except InvalidInput as exc:
            self.error.setText(str(exc))
            return
        # a failure (the database, say) is reported in the status bar by the task runner
        self.send_task = self.services.tasks.run("send", self._send(request), preempt=False)

    async def _send(self, request: PrefetchRequest) -> None:
        import asyncio  # (not at the top: the first window paints before asyncio loads)

        self.sending = True
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.response.show_pending(self.tr("Sending…"))
        user = self.user.currentText().strip()
        platform = self.platform.currentData()
        try:
            stored, outcome = await self.services.send_and_store(request, source="composer", user=user,
                                                                 address_kind=self.target_kind(),
                                                                 replay_of=self.replay_of)
        except asyncio.CancelledError:
            self.response.show_pending(self.tr("Cancelled: nothing was stored."))
            raise
        except WorkbenchError as exc:
            self.response.show_pending(str(exc))
            raise  # the task runner puts it in the status bar too
        finally:
            self.sending = False
            self.cancel_button.setEnabled(False)
            self.send_button.setEnabled(True)
            self.replay_of = None
        # on screen at once; what the Mini Program then reads follows when it is stored
        self.response.show_outcome(outcome, None, platform, self.show_secret.isChecked())
        with contextlib.suppress(WorkbenchError):  # said in the status bar; the cache is as it was
            await asyncio.shield(stored)
        entry = await self.services.query(Store.cache_entry, request.appid, user, request.fetch_type)
        self.response.show_read(outcome, get_background_fetch_data(entry, platform, settings=self.services.settings),
                                platform)
        if request.identity.code is not None and self.target_kind() != "custom":
            self.generate_code()  # a code is good for one exchange: the next launch gets a new one
        self.update_preview()

    def cancel(self) -> None:
        if self.send_task is not None and not self.send_task.done():
            self.send_task.cancel()
