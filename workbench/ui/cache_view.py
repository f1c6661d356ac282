"""The Cache tab: what the Mini Program reads, why an entry is missing, cold starts on a
timeline, and periodic updates on a simulated clock."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core import cache
from workbench.core.diagnose import Cause, expired_cause, why_empty
from workbench.core.errors import WorkbenchError
from workbench.core.periodic import PeriodicDecision
from workbench.core.protocol import SCENES, FetchType, Launch, Platform, parse_scene
from workbench.core.redact import Redactor, mask_secret
from workbench.core.simulator import ColdStart
from workbench.core.store import CacheEntry, Store
from workbench.services import Services
from workbench.ui.elided_label import ElidedLabel, fits_any_width
from workbench.ui.lazy import LazyWidget
from workbench.ui.table_layout import TableLayout
from workbench.ui.table_model import ColumnTableModel
from workbench.ui.texts import cause_text, scene_label
from workbench.workflows.coldstart import ColdStartRequest, EntryBefore, PeriodicClock

if TYPE_CHECKING:
    from workbench.ui.charts import TimelineChart

Index = QModelIndex | QPersistentModelIndex


class CacheModel(ColumnTableModel):
    COLUMNS = ("fetch_type", "user", "data", "time_stamp", "date", "path", "query", "scene", "size", "source",
               "status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CacheEntry] = []
        self._headers = {"fetch_type": "fetchType", "user": self.tr("User"), "data": "fetchedData",
                         "time_stamp": "timeStamp", "date": self.tr("Date"), "path": "path", "query": "query",
                         "scene": "scene", "size": self.tr("Size"), "source": self.tr("Source"),
                         "status": self.tr("Status")}

    @property
    def entries(self) -> list[CacheEntry]:
        return self._rows

    def set_entries(self, entries: list[CacheEntry]) -> None:
        self.beginResetModel()
        self._rows = entries
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text, shown only when the cell is cut
            if self.COLUMNS[index.column()] == "data":
                data = self.entries[index.row()].fetched_data
                return data[:2000] + ("…" if len(data) > 2000 else "")
            role = Qt.ItemDataRole.DisplayRole
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.entries[index.row()]
        match self.COLUMNS[index.column()]:
            case "fetch_type":
                return e.fetch_type
            case "user":
                return e.user
            case "data":
                return e.fetched_data[:120].replace("\n", " ")
            case "time_stamp":
                return str(e.time_stamp)
            case "date":
                return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.time_stamp / 1000))
            case "path":
                return e.path
            case "query":
                return e.query
            case "scene":
                return scene_label(e.scene) if e.scene else ""
            case "size":
                return f"{e.size:,}"
            case "source":
                return f"{e.address_kind} · {Redactor().url(e.url)}"
            case "status":
                return str(e.status)
        return None


def _timeline_chart() -> QWidget:
    from workbench.ui.charts import TimelineChart

    chart = TimelineChart()
    chart.setObjectName("timeline")
    return chart


def stored_tokens(store: Any, appid: str, users: list[str]) -> dict[str, str | None]:
    """The stored token of each user (P20): a database read, for a worker thread."""
    return {u: store.token(appid, u) for u in users}


def entries_and_tokens(store: Any, appid: str, users: list[str]) -> tuple[list[CacheEntry], dict[str, str | None]]:
    """The cache entries and the tokens of every user they or ``users`` name, in one trip to a thread."""
    entries = store.cache_entries()
    names = list(dict.fromkeys([*users, *sorted({e.user for e in entries})]))
    return entries, stored_tokens(store, appid, names)


class TokenSetter(QWidget):
    """Set a user's token where it is needed (the periodic panel, the Token tab), as the Mini
    Program's wx.setBackgroundFetchToken would have (P5, P9, P20). The field starts with the token
    the mock server knows for the user, masked: one click makes client and server agree."""

    #: A token was stored: the user.
    tokenSet = Signal(str)

    def __init__(self, services: Services, appid: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._appid = appid
        self.user = ""
        self.token: str | None = None
        self.task: asyncio.Future[None] | None = None
        self.state = fits_any_width(QLabel())
        self.state.setObjectName("tokenState")
        self.value = QLineEdit()
        self.value.setObjectName("tokenValue")
        self.value.setEchoMode(QLineEdit.EchoMode.Password)
        self.value.setPlaceholderText(self.tr("the token the Mini Program passes to wx.setBackgroundFetchToken"))
        self.show_value = QCheckBox(self.tr("Show"))
        self.set_button = QPushButton(self.tr("Set token"))
        self.set_button.setObjectName("setToken")
        self.set_button.setToolTip(self.tr("Store this token for the user, as wx.setBackgroundFetchToken does (P5, "
                                           "P9): getBackgroundFetchToken then returns it (P20)"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.value, 1)
        row.addWidget(self.show_value)
        row.addWidget(self.set_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(row)
        self.show_value.toggled.connect(lambda on: self.value.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self.set_button.clicked.connect(self.apply)
        self.value.returnPressed.connect(self.apply)

    def set_user(self, user: str) -> asyncio.Future[None]:
        """Show ``user``'s token state; the field gets the token the mock server knows for them."""
        user = user.strip()
        if user != self.user:
            self.user = user
            self.value.setText(self.services.mock_token(user) or "")
        return self.refresh()

    def refresh(self) -> asyncio.Future[None]:
        self.task = self.services.spawn(self._reload(self.user))
        return self.task

    async def _reload(self, user: str) -> None:
        token = await self.services.query(Store.token, self._appid(), user) if user else None
        if shiboken6.isValid(self) and user == self.user:
            self.show_token(token)

    def show_token(self, token: str | None) -> None:
        self.token = token
        if not self.user:
            self.state.setText(self.tr("Choose a user to see or set their token."))
        elif token is None:
            self.state.setText(self.tr("%1 has no token: wx.getBackgroundFetchToken fails (P20), pre-pulls carry a "
                                       "login code (P4) and no periodic update is sent (P21). Next: set one here.")
                               .replace("%1", self.user))
        else:
            self.state.setText(self.tr("%1's token is %2: getBackgroundFetchToken returns it (P20), pre-pulls and "
                                       "periodic updates carry it (P4, P21).")
                               .replace("%1", self.user).replace("%2", mask_secret(token)))

    def apply(self) -> asyncio.Future[None] | None:
        value, user = self.value.text(), self.user
        if not user:
            self.show_token(None)
            return None
        if not value.strip():
            self.state.setText(self.tr("Type the token first: an empty token is not stored."))
            return None
        self.task = self.services.spawn(self._store(user, value))
        return self.task

    async def _store(self, user: str, value: str) -> None:
        try:
            await self.services.query(Store.set_token, self._appid(), user, value, int(time.time() * 1000))
        except WorkbenchError as exc:  # over 1024 characters (P9), a read-only database: one sentence
            if shiboken6.isValid(self):
                self.state.setText(str(exc))
            return
        if not shiboken6.isValid(self):
            return
        if user == self.user:
            self.show_token(value)
        self.services.notify(self.tr("Token set for %1: the next pre-pull and periodic update carry it.")
                             .replace("%1", user))
        self.tokenSet.emit(user)


class TokenPanel(QWidget):
    """What wx.getBackgroundFetchToken returns per user and platform (P20); tokens masked unless
    asked; and a user's token set right here. Self-contained: it reads the store off the UI thread
    and renders text."""

    def __init__(self, services: Services, appid: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._appid = appid
        #: users with cache entries, shown after the mock server's users
        self.extra_users: list[str] = []
        self.task: asyncio.Future[None] | None = None
        self.show_tokens = QCheckBox(self.tr("Show tokens"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("tokenText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.user = QComboBox()
        self.user.setObjectName("tokenUser")
        self.user.setEditable(True)
        self.user.addItems(services.mock_user_names())
        self.setter = TokenSetter(services, appid)
        row = QHBoxLayout()
        title = QLabel(self.tr("wx.getBackgroundFetchToken() per user and platform (P20)"))
        title.setWordWrap(True)
        row.addWidget(title, 1)
        row.addWidget(self.show_tokens)
        row.addWidget(self.refresh_button)
        who = QHBoxLayout()
        who.addWidget(QLabel(self.tr("User")))
        who.addWidget(self.user, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)
        layout.addLayout(who)
        layout.addWidget(self.setter)
        self.refresh_button.clicked.connect(self.refresh)
        self.show_tokens.toggled.connect(lambda _on: self.refresh())
        self.user.currentTextChanged.connect(self.setter.set_user)
        self.setter.tokenSet.connect(lambda _user: self.refresh())
        self.setter.set_user(self.user.currentText())

    def users(self, extra: list[str]) -> list[str]:
        names = self.services.mock_user_names()
        return list(dict.fromkeys([*names, *extra]))

    def refresh(self) -> asyncio.Future[None]:
        self.task = self.services.spawn(self._reload())
        return self.task

    async def _reload(self) -> None:
        # everything a widget knows is read here, on the UI thread; the thread only asks the store
        tokens = await self.services.query(stored_tokens, self._appid(), self.users(self.extra_users))
        if shiboken6.isValid(self):
            self.render_tokens(tokens)

    def render_tokens(self, tokens: dict[str, str | None]) -> None:
        lines = []
        for user, token in tokens.items():
            lines.append(user)
            for platform in Platform:
                success, result = cache.get_background_fetch_token(token)
                if success and not self.show_tokens.isChecked():
                    result = {**result, "token": mask_secret(result["token"])}
                call = "success" if success else "fail"
                lines.append(f"  {platform.value:8} → {call} {json.dumps(result, ensure_ascii=False)}")
        self.text.setPlainText("\n".join(lines))


class CacheView(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.cold_task: asyncio.Future[ColdStart | None] | None = None
        self.periodic_task: asyncio.Future[None] | None = None
        self.clock_task: asyncio.Future[PeriodicDecision] | None = None
        self.used_task: asyncio.Future[str] | None = None
        self.refresh_task: asyncio.Future[None] | None = None
        self.clear_task: asyncio.Future[None] | None = None
        self._refresh_again = False
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        # -- inspector --
        self.model = CacheModel(self)
        self.table = QTableView()
        self.table.setObjectName("cacheTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # who and what launch first (the cache key and the query and scene it was fetched with),
        # then the data; a 13-digit timeStamp is never cut
        col = CacheModel.COLUMNS.index
        fm = self.fontMetrics()
        self.columns = TableLayout(
            self.table,
            widths={col("fetch_type"): fm.horizontalAdvance("periodic") + 24, col("user"): 70, col("query"): 130,
                    col("scene"): 150, col("time_stamp"): fm.horizontalAdvance("0000000000000") + 24,
                    col("data"): 200, col("date"): fm.horizontalAdvance("0000-00-00 00:00:00") + 24,
                    col("path"): 130, col("size"): 70, col("status"): 55, col("source"): 200},
            order=[col(c) for c in ("fetch_type", "user", "query", "scene", "time_stamp", "data", "date", "path",
                                    "status", "size", "source")])
        self.platform = QComboBox()
        self.platform.setObjectName("cachePlatform")
        for p in Platform:
            self.platform.addItem(p.value, p.value)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.clear_one = QPushButton(self.tr("Clear entry"))
        self.clear_type = QComboBox()
        self.clear_type.addItem(self.tr("Clear data cache: pre"), "pre")
        self.clear_type.addItem(self.tr("Clear data cache: periodic"), "periodic")
        self.clear_type_button = QPushButton(self.tr("Clear"))
        self.clear_all = QPushButton(self.tr("Clear all"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.read_text = QPlainTextEdit()
        self.read_text.setObjectName("cacheRead")
        self.read_text.setReadOnly(True)
        self.read_text.setFont(mono)
        self.copy_read = QPushButton(self.tr("Copy"))

        # -- why empty --
        self.why_user = QComboBox()
        self.why_user.setObjectName("whyUser")
        self.why_user.setEditable(True)
        self.why_type = QComboBox()
        for ft in FetchType:
            self.why_type.addItem(ft.value, ft.value)
        self.prefetch_enabled = QCheckBox(self.tr("Pre-pull enabled for this Mini Program"))
        self.prefetch_enabled.setChecked(services.document.doc.prepull_enabled)
        self.why_button = QPushButton(self.tr("Why is it empty?"))
        self.why_button.setObjectName("whyButton")
        self.why_text = QPlainTextEdit()
        self.why_text.setObjectName("whyText")
        self.why_text.setReadOnly(True)
        self.why_text.setPlaceholderText(self.tr(
            "Choose a user and a fetchType, then press Why is it empty?: every reason getBackgroundFetchData "
            "returns nothing for them is listed here, with its rule."))

        # -- cold start --
        self.cold_state = fits_any_width(QLabel())
        self.cold_state.setObjectName("coldState")
        self.cold_url = QComboBox()
        self.cold_url.setObjectName("coldUrl")
        self.cold_url.setEditable(True)
        self.cold_user = QComboBox()
        self.cold_user.setObjectName("coldUser")
        self.cold_user.setEditable(True)
        self.package_ms = QSpinBox()
        self.package_ms.setObjectName("packageMs")
        self.package_ms.setRange(0, 60_000)
        self.package_ms.setValue(800)
        self.package_ms.setSuffix(" ms")
        self.cold_platform = QComboBox()
        for p in Platform:
            self.cold_platform.addItem(p.value, p.value)
        # the simulator's own launch: it starts as the Composer's and never changes it
        self.cold_path = QLineEdit()
        self.cold_path.setObjectName("coldPath")
        self.cold_path.setPlaceholderText(self.tr("e.g. pages/index/index · empty: no path is sent (P7)"))
        self.cold_query = QLineEdit()
        self.cold_query.setObjectName("coldQuery")
        self.cold_query.setPlaceholderText(self.tr("e.g. id=1&from=qrcode · empty: no query is sent (P7)"))
        self.cold_scene = QComboBox()
        self.cold_scene.setObjectName("coldScene")
        self.cold_scene.setEditable(True)
        self.cold_scene.addItem(self.tr("(none)"), "")
        for number in SCENES:
            self.cold_scene.addItem(scene_label(number), str(number))
        for combo in (self.cold_url, self.cold_scene):  # a long URL or scene name never widens the panel
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.cold_from_composer = QPushButton(self.tr("Use the Composer's launch"))
        self.cold_from_composer.setObjectName("coldFromComposer")
        self.cold_launch = fits_any_width(QLabel(self.tr(
            "This launch is the simulator's own: editing it leaves the Composer's launch as it is.")))
        self.cold_launch.setObjectName("coldLaunch")
        self.set_token = QCheckBox(self.tr("onLaunch calls setBackgroundFetchToken with"))
        self.set_token_value = QLineEdit()
        self.cold_button = QPushButton(self.tr("Simulate cold start"))
        self.cold_button.setObjectName("coldStart")
        self.cold_summary = fits_any_width(QLabel())
        self.cold_summary.setObjectName("coldSummary")
        self.timeline_box = LazyWidget(_timeline_chart, needs=("pyqtgraph",), tasks=services.tasks)
        self.cold_state_task: asyncio.Future[None] | None = None
        self._entry_before: EntryBefore | None = None

        # -- periodic --
        self.clock_label = ElidedLabel()
        self.clock_label.setObjectName("clockLabel")
        self.periodic_state = fits_any_width(QLabel())
        self.periodic_state.setObjectName("periodicState")
        self.periodic_user = QComboBox()  # the same simulated user as the cold start's, shown here too
        self.periodic_user.setObjectName("periodicUser")
        self.periodic_user.setEditable(True)
        self.periodic_token = TokenSetter(services, self.appid)
        self.periodic_token.setObjectName("periodicToken")
        self.jump_buttons = [(QPushButton(text), hours) for text, hours in (
            (self.tr("+1 hour"), 1), (self.tr("+12 hours"), 12), (self.tr("+1 day"), 24), (self.tr("+7 days"), 168))]
        self.used_now = QPushButton(self.tr("User opens the Mini Program"))
        self.used_now.setObjectName("usedNow")
        self.used_now.setToolTip(self.tr("The user opens the Mini Program at the clock's time: periodic updates "
                                         "continue for 7 days (P23); one that is due is sent, and the log says "
                                         "what the Mini Program reads"))
        self.periodic_now = QPushButton(self.tr("Fetch periodic data now"))
        self.periodic_now.setObjectName("periodicNow")
        self.periodic_text = QPlainTextEdit()
        self.periodic_text.setObjectName("periodicText")
        self.periodic_text.setReadOnly(True)
        self.periodic_text.setPlaceholderText(self.tr(
            "What happens on the simulated clock: updates sent or skipped, and what the Mini Program reads."))

        # -- layout --
        inspector = QWidget()
        il = QVBoxLayout(inspector)
        bar = QHBoxLayout()  # two short rows: one long one set the window's minimum width
        for w in (self.refresh_button, self.export_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Platform")))
        bar.addWidget(self.platform)
        il.addLayout(bar)
        clear_bar = QHBoxLayout()
        for clear_widget in (self.clear_one, self.clear_type, self.clear_type_button, self.clear_all):
            clear_bar.addWidget(clear_widget)
        clear_bar.addStretch(1)
        il.addLayout(clear_bar)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        read_box = QWidget()
        rl = QVBoxLayout(read_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rrow = QHBoxLayout()
        rrow.addWidget(QLabel(self.tr("What the Mini Program gets (P16-P19)")), 1)
        rrow.addWidget(self.copy_read)
        rl.addLayout(rrow)
        rl.addWidget(self.read_text)
        split.addWidget(read_box)
        il.addWidget(split, 1)

        why = QWidget()
        wl = QVBoxLayout(why)
        wf = QHBoxLayout()
        wf.addWidget(QLabel(self.tr("User")))
        wf.addWidget(self.why_user, 1)
        wf.addWidget(self.why_type)
        wl.addLayout(wf)
        wf2 = QHBoxLayout()
        wf2.addWidget(self.prefetch_enabled, 1)
        wf2.addWidget(self.why_button)
        wl.addLayout(wf2)
        wl.addWidget(self.why_text, 1)

        cold = QWidget()
        cl = QVBoxLayout(cold)
        cl.addWidget(self.cold_state)
        cf = QFormLayout()
        cf.addRow(self.tr("Download address"), self.cold_url)
        cf.addRow(self.tr("User"), self.cold_user)
        cf.addRow(self.tr("Code package download"), self.package_ms)
        cf.addRow(self.tr("Platform"), self.cold_platform)
        cf.addRow(self.tr("Page path"), self.cold_path)
        cf.addRow(self.tr("Launch query"), self.cold_query)
        cf.addRow(self.tr("Scene"), self.cold_scene)
        launch_row = QHBoxLayout()
        launch_row.addWidget(self.cold_from_composer)
        launch_row.addStretch(1)
        cf.addRow("", launch_row)
        cf.addRow(self.cold_launch)  # a whole row: a wrapped label beside a button was cut
        cf.addRow(self.set_token)
        cf.addRow("", self.set_token_value)
        cl.addLayout(cf)
        cl.addWidget(self.cold_button)
        cl.addWidget(self.cold_summary)
        cl.addWidget(self.timeline_box, 1)

        periodic = QWidget()
        pl = QVBoxLayout(periodic)
        pl.addWidget(self.clock_label)  # elided: a long verdict never widens the window
        pl.addWidget(self.periodic_state)
        urow = QHBoxLayout()
        urow.addWidget(QLabel(self.tr("User")))
        urow.addWidget(self.periodic_user, 1)
        pl.addLayout(urow)
        pl.addWidget(self.periodic_token)
        prow = QHBoxLayout()
        for button, _ in self.jump_buttons:
            prow.addWidget(button)
        prow.addStretch(1)
        pl.addLayout(prow)
        prow2 = QHBoxLayout()
        prow2.addWidget(self.used_now)
        prow2.addWidget(self.periodic_now)
        prow2.addStretch(1)
        pl.addLayout(prow2)
        pl.addWidget(self.periodic_text, 1)

        self.tools = QTabWidget()
        self.tools.addTab(_scrolling(cold), self.tr("Cold start"))
        self.tools.addTab(why, self.tr("Why is it empty?"))
        self.tools.addTab(_scrolling(periodic), self.tr("Periodic update"))
        self.tokens = TokenPanel(services, self.appid)
        self.tools.addTab(self.tokens, self.tr("Token (P20)"))
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(inspector)
        main.addWidget(self.tools)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(main)

        # -- wiring --
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_read())
        self.platform.currentIndexChanged.connect(lambda *_: self.show_read())
        self.clear_one.clicked.connect(self._clear_one)
        self.clear_type_button.clicked.connect(
            lambda: self._clear(fetch_type=self.clear_type.currentData()))
        self.clear_all.clicked.connect(lambda: self._clear())
        self.export_button.clicked.connect(self._export_dialog)
        self.copy_read.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.read_text.toPlainText()))
        self.why_button.clicked.connect(self.explain)
        self.prefetch_enabled.toggled.connect(self._set_prefetch_enabled)
        self.cold_button.clicked.connect(self.simulate)
        self.cold_from_composer.clicked.connect(self.use_composer_launch)
        for button, hours in self.jump_buttons:
            button.clicked.connect(lambda _=False, h=hours: self.jump(h))
        self.used_now.clicked.connect(self._used)
        self.periodic_now.clicked.connect(self.fetch_periodic_now)
        flow = services.cold_start
        flow.started.connect(self._cold_started)
        flow.entryBefore.connect(self._cold_entry_before)
        flow.finished.connect(self._cold_finished)
        flow.failed.connect(self._cold_failed)
        services.periodic.changed.connect(self._clock_changed)
        services.periodic.logged.connect(self.periodic_text.appendPlainText)
        self.cold_user.currentTextChanged.connect(self._user_changed)
        self.periodic_user.currentTextChanged.connect(self._periodic_user_edited)
        self.cold_url.currentTextChanged.connect(lambda _t: self.update_cold_state())
        self.periodic_token.tokenSet.connect(self._token_set)
        self.tokens.setter.tokenSet.connect(self._token_set)
        services.document.changed.connect(self._document_changed)
        self.use_composer_launch()
        services.outcomeStored.connect(lambda _id: self.refresh())
        services.historyChanged.connect(self.refresh)
        services.mockStateChanged.connect(lambda _url: self._fill_targets())
        self._fill_targets()
        self.refresh()

    # -- inspector -----------------------------------------------------------------------


    @property
    def timeline(self) -> TimelineChart:
        """The cold-start timeline chart (built on first use)."""
        return self.timeline_box.widget()  # type: ignore[return-value]

    def appid(self) -> str:
        return self.services.settings_appid()

    def _fill_targets(self) -> None:
        current = self.cold_url.currentText()
        self.cold_url.clear()
        for kind in ("main", "gray"):
            url = self.services.mock_url(kind)
            if url is not None:
                self.cold_url.addItem(url, kind)
        if current:
            self.cold_url.setEditText(current) if self.cold_url.findText(current) < 0 else \
                self.cold_url.setCurrentIndex(self.cold_url.findText(current))
        users = self.services.mock_user_names()
        for combo in (self.cold_user, self.why_user, self.periodic_user, self.tokens.user):
            text = combo.currentText()
            combo.blockSignals(True)  # one change signal below, not one per item
            combo.clear()
            combo.addItems(users)
            if text:
                combo.setEditText(text)
            combo.blockSignals(False)
            combo.currentTextChanged.emit(combo.currentText())
        self.update_cold_state()

    def refresh(self) -> asyncio.Future[None]:
        """Reload the entries off the UI thread (after a traffic run there is one per user);
        refreshes asked for meanwhile are folded into one more pass."""
        if self.refresh_task is not None and not self.refresh_task.done():
            self._refresh_again = True
        else:
            self.refresh_task = self.services.spawn(self._refresh())
        return self.refresh_task


    async def _refresh(self) -> None:
        while True:
            self._refresh_again = False
            # widgets are read here, on the UI thread; the thread only asks the store
            entries, tokens = await self.services.query(entries_and_tokens, self.appid(),
                                                      self.tokens.users([]))
            if not shiboken6.isValid(self):
                return
            self.tokens.extra_users = sorted({e.user for e in entries})
            selected = self.current_entry()
            self.model.set_entries(entries)
            self.tokens.render_tokens(tokens)
            if selected is not None:
                for row, e in enumerate(self.model.entries):
                    if (e.user, e.fetch_type) == (selected.user, selected.fetch_type):
                        self.table.selectRow(row)
            self.show_read()
            if not self._refresh_again:
                return

    def _set_prefetch_enabled(self, on: bool) -> None:
        try:
            self.services.document.edit("", prepull_enabled=on)
        except WorkbenchError:  # a read-only window refuses (and says so in the status bar)
            self.prefetch_enabled.blockSignals(True)
            self.prefetch_enabled.setChecked(not on)
            self.prefetch_enabled.blockSignals(False)

    def current_entry(self) -> CacheEntry | None:
        row = self.table.currentIndex().row()
        return self.model.entries[row] if 0 <= row < len(self.model.entries) else None

    def show_read(self) -> None:
        entry = self.current_entry()
        if entry is None and not self.model.entries:
            self.read_text.setPlainText(self.tr("The cache is empty: send from the Composer, simulate a cold start "
                                                "or fetch periodic data, and the entry appears here."))
            return
        if entry is None:
            self.read_text.setPlainText(self.tr("Select an entry to see what the Mini Program reads."))
            return
        platform = self.platform.currentData()
        settings = self.services.settings
        now = self.read_now_ms()
        success, result = cache.get_background_fetch_data(entry, platform, settings=settings, now_ms=now)
        call = "success" if success else "fail"
        expired = ""
        if cache.is_expired(entry, settings, now):
            expired = "// " + cause_text(expired_cause(entry, settings)) + "\n"
        self.read_text.setPlainText(
            expired +
            f"// wx.getBackgroundFetchData({{fetchType: '{entry.fetch_type}'}}) on {platform} → {call}\n"
            + json.dumps(result, ensure_ascii=False, indent=2)
            + "\n\n// wx.onBackgroundFetchData(callback): callback receives (P19)\n"
            + json.dumps(cache.listener_payload(entry), ensure_ascii=False, indent=2)
            + "\n\n// fetchedData as JSON\n" + _pretty(entry.fetched_data))

    def _clear_one(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._clear(user=entry.user, fetch_type=entry.fetch_type, appid=entry.appid)

    def _clear(self, **where: str) -> None:
        self.clear_task = self.services.spawn(self._clear_async(**where))

    async def _clear_async(self, **where: str) -> None:
        removed = await self.services.query(Store.clear_cache, **where)
        self.services.notify(self.tr("Cleared %n cache entries", "", removed))
        await self.refresh()

    def export(self, path: Path) -> asyncio.Future[int]:
        return self.services.transfer.export_cache(path, list(self.model.entries))

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export cache"), "cache.json", "JSON (*.json)")
        if path:
            self.export(Path(path))

    # -- why empty -----------------------------------------------------------------------

    def explain(self) -> asyncio.Future:
        """Why is it empty? The store is asked in a thread; a new question replaces the last."""
        user = self.why_user.currentText().strip()
        in_flight = self.services.cold_start.running
        ask = self.services.query(why_empty, self.appid(), user, self.why_type.currentData(),
                                  prefetch_enabled=self.prefetch_enabled.isChecked(), in_flight=in_flight,
                                  settings=self.services.settings, now_ms=self.read_now_ms())
        self.why_text.setPlainText(self.tr("Looking…"))
        return self.services.tasks.run("why is it empty", self._explain(ask, user))

    async def _explain(self, ask: Awaitable[list[Cause]], user: str) -> list[Cause]:
        causes = await ask
        if not shiboken6.isValid(self):
            return causes
        if causes:
            self.why_text.setPlainText("\n".join(f"• {cause_text(c)}" for c in causes))
        else:
            self.why_text.setPlainText(self.tr("Not empty: the cache holds an entry for %1.").replace("%1", user))
        return causes

    # -- cold start ----------------------------------------------------------------------

    def _document_changed(self, section: str) -> None:
        if section == "":  # the pre-pull switch, the appid
            self.update_cold_state()

    def use_composer_launch(self) -> None:
        """Copy the Composer's launch into the simulator's own fields (the Composer's stays as it is)."""
        launch = self.services.document.doc.launch
        self.cold_path.setText(launch.path)
        self.cold_query.setText(launch.query)
        scene = str(launch.scene) if launch.scene else ""
        index = self.cold_scene.findData(scene)
        self.cold_scene.setCurrentIndex(index) if index >= 0 else self.cold_scene.setEditText(scene)

    def cold_launch_fields(self) -> Launch:
        """The simulator's launch, or InvalidInput saying what to fix (a scene that is not a number)."""
        combo = self.cold_scene
        text = combo.currentText().strip()
        if combo.currentIndex() >= 0 and combo.itemText(combo.currentIndex()) == text:
            scene = combo.currentData()
        else:
            scene = text.split("·")[0].strip()
        launch = self.services.document.doc.launch
        return Launch(path=self.cold_path.text().strip(), query=self.cold_query.text(), scene=parse_scene(scene),
                      version=launch.version)

    def _user_changed(self, user: str) -> None:
        """The simulated user of the cold start and the periodic clock (one user, shown on both)."""
        if self.periodic_user.currentText() != user:
            self.periodic_user.blockSignals(True)
            self.periodic_user.setEditText(user)
            self.periodic_user.blockSignals(False)
        self.periodic_token.set_user(user)
        self.update_cold_state()
        self._show_clock()

    def _periodic_user_edited(self, user: str) -> None:
        if self.cold_user.currentText() != user:
            self.cold_user.setEditText(user)  # _user_changed follows

    def _token_set(self, user: str) -> None:
        """A token was stored on one of the panels: every panel that shows it follows."""
        self.periodic_token.refresh()
        self.tokens.setter.refresh()
        self.tokens.refresh()
        self.update_cold_state()
        self._show_clock()

    def update_cold_state(self) -> asyncio.Future[None]:
        """Say what a cold start would do now and what to do next (the token is read off the UI thread)."""
        self.cold_state_task = self.services.spawn(self._cold_state(self.cold_user.currentText().strip()))
        return self.cold_state_task

    async def _cold_state(self, user: str) -> None:
        token = await self.services.query(Store.token, self.appid(), user) if user else None
        if not shiboken6.isValid(self) or user != self.cold_user.currentText().strip():
            return
        if not self.services.document.doc.prepull_enabled:
            text = self.tr("Pre-pull is off for this Mini Program, so a launch fetches nothing (-10007). Next: switch "
                           "it on under Why is it empty?.")
        elif not self.cold_url.currentText().strip():
            text = self.tr("No download address: start the mock server or type the address, then press Simulate "
                           "cold start.")
        elif not user:
            text = self.tr("Choose a user, then press Simulate cold start.")
        elif token is None:
            text = self.tr("Ready: %1 has no token, so the pre-pull carries a fresh login code (P4). Next: Simulate "
                           "cold start; the request runs while the code package downloads.").replace("%1", user)
        else:
            text = self.tr("Ready: %1 has a token, so the pre-pull carries it (P4). Next: Simulate cold start; the "
                           "request runs while the code package downloads.").replace("%1", user)
        self.cold_state.setText(text)

    def simulate(self) -> asyncio.Future[ColdStart | None] | None:
        """One launch through the cold-start workflow; the view shows what it reports."""
        url = self.cold_url.currentText().strip()
        kind = self.cold_url.currentData() if self.cold_url.currentText() == self.cold_url.itemText(
            self.cold_url.currentIndex()) else "custom"
        token = self.set_token_value.text().strip() if self.set_token.isChecked() else None
        try:
            ask = ColdStartRequest(url=url, user=self.cold_user.currentText().strip(), address_kind=kind or "custom",
                                   package_ms=self.package_ms.value(), platform=self.cold_platform.currentData(),
                                   launch=self.cold_launch_fields(), set_token_in_onlaunch=token or None)
        except WorkbenchError as exc:
            self.cold_summary.setText(str(exc))
            return None
        task = self.services.cold_start.launch(ask)
        if task is not None:
            self.cold_task = task
        return task

    def _cold_started(self) -> None:
        self.services.tasks.cancel(self.SESSION_TASK)  # the last launch's session is not this one's
        self.cold_button.setEnabled(False)
        self._entry_before = None
        self.cold_summary.setText(self.tr("Launching: the code package downloads while the pre-pull runs…"))

    def _cold_entry_before(self, before: EntryBefore) -> None:
        self._entry_before = before

    def _cold_failed(self, text: str) -> None:
        self.cold_button.setEnabled(True)
        self.cold_summary.setText(cause_text(Cause("not_enabled")) if text == "not_enabled" else text)

    def source_text(self, source: str) -> str:
        """Where a cache entry's pre-pull came from, for a sentence."""
        return {"composer": self.tr("sent from the Composer"), "coldstart": self.tr("from a cold start"),
                "traffic": self.tr("from a traffic run"), "replay": self.tr("from a replay"),
                "import": self.tr("imported"), "cli": self.tr("from the command line"),
                "check": self.tr("from a server check")}.get(source, self.tr("of unknown origin"))

    def replaced_text(self, user: str, before: EntryBefore | None, cached: bool) -> str:
        """What the launch did to the user's pre entry (P15), so it is never replaced silently."""
        entry = before.entry if before is not None else None
        if entry is None:
            return self.tr(" It is %1's first pre entry.").replace("%1", user) if cached else ""
        when = time.strftime("%H:%M:%S", time.localtime(entry.time_stamp / 1000))
        source = self.source_text(before.source if before is not None else "")
        if cached:
            return self.tr(" It replaced %1's pre entry of %2 (%3), as every cached answer does (P15).") \
                .replace("%1", user).replace("%2", when).replace("%3", source)
        return self.tr(" Not cached: %1's pre entry of %2 (%3) stays (P15).") \
            .replace("%1", user).replace("%2", when).replace("%3", source)

    def _cold_finished(self, result: ColdStart) -> None:
        self.cold_button.setEnabled(True)
        user = self.cold_user.currentText().strip()
        self.timeline.show_phases(result)
        read = {"current": self.tr("this launch's data"), "previous": self.tr("the previous launch's entry (P17)"),
                "none": self.tr("nothing (P18)")}[result.read]
        fired = self.tr("fired when the data arrived") if result.listener_fired else self.tr("did not fire")
        token_note = self.tr(" The token set in onLaunch goes with the next launch (P5).") \
            if result.token_set_in_onlaunch else ""
        cached = result.outcome is not None and result.outcome.verdict.cached
        summary = (self.tr("onLaunch read %1; onBackgroundFetchData %2; waiting saved: %3 ms. Sent with a %4.")
                   .replace("%1", read).replace("%2", fired).replace("%3", f"{result.saved_ms:.0f}")
                   .replace("%4", result.identity_kind) + self.replaced_text(user, self._entry_before, cached))
        self.cold_summary.setText(summary + token_note)
        if result.identity_kind == "code":  # the session it started is read off the UI thread (P6)
            self.services.tasks.run(self.SESSION_TASK, self._show_session(user, summary, token_note))
        if result.token_set_in_onlaunch:
            self._token_set(user)
        else:
            self.update_cold_state()

    SESSION_TASK = "cold start session"

    async def _show_session(self, user: str, summary: str, token_note: str) -> None:
        """The login code's new session in the cold start's summary, once read (P6): the login
        authority is shared with the mock server's thread, so it is read in a thread."""
        session_key = await self.services.session_key_async(user)
        if session_key:
            self.cold_summary.setText(summary + self.tr(
                " The login code refreshed the session: session_key is now %1… (P6).").replace(
                "%1", session_key[:6]) + token_note)

    # -- periodic ------------------------------------------------------------------------

    def _show_clock(self) -> asyncio.Future[PeriodicDecision]:
        """Ask the periodic clock what is due for the selected user (the answer comes as a signal)."""
        self.clock_task = self.services.tasks.run(
            "periodic clock", self.services.periodic.refresh(self.cold_user.currentText().strip()))
        return self.clock_task

    def _clock_changed(self, decision: Any, clock_ms: int) -> None:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(clock_ms / 1000))
        why = {"never": self.tr("due: no periodic update yet"),
               "interval": self.tr("due: 12 hours have passed since the last success (P22)"),
               "wait": self.tr("not due before %1 (12 hours after the last success, P22)"),
               "inactive": self.tr("not sent: the user has not opened the Mini Program for 7 days (P23)"),
               "no_token": self.tr("not sent: no token (P21)")}[decision.why]
        next_due = ""
        if decision.next_due_ms is not None:
            next_due = time.strftime("%Y-%m-%d %H:%M", time.localtime(decision.next_due_ms / 1000))
            why = why.replace("%1", next_due)
        self.clock_label.setText(self.tr("Simulated clock: %1 · %2").replace("%1", when).replace("%2", why))
        self.periodic_decision = decision
        self._show_periodic_state(decision, next_due)
        self.show_read()  # a periodic entry may have expired on the moved clock (P24)

    def _show_periodic_state(self, decision: Any, next_due: str) -> None:
        """The panel's state and next step, and a fetch button that does what the state says: it
        needs a token (P21) and an address; outside the 12-hour cadence or the 7-day window
        (P22, P23) it sends anyway, as the DevTools menu does, and is labelled so."""
        user = self.periodic.user or "?"
        address = self.periodic.url()
        now_text = self.tr("Fetch periodic data now")
        tip = self.tr("Sends a periodic update at once, as the DevTools menu \"fetch periodic cache data\" does.")
        if decision.why == "no_token":
            text = self.tr("No periodic update for %1: getBackgroundFetchToken fails (P20) and a periodic request "
                           "carries only a token (P21). Next: set the token below.").replace("%1", user)
            tip = self.tr("Needs a token (P21): set one above.")
        elif not address:
            text = self.tr("No periodic address: set one in the workspace, or start the mock server.")
        elif decision.why == "inactive":
            text = self.tr("WeChat sends %1 nothing now: no visit for 7 days (P23). Next: User opens the Mini "
                           "Program; Fetch now anyway sends one as the DevTools menu does.").replace("%1", user)
            now_text = self.tr("Fetch now anyway (DevTools menu)")
            tip = self.tr("Sends a periodic update at once, as the DevTools menu \"fetch periodic cache data\" does, "
                          "although WeChat would not send one now (P23).")
        elif decision.why == "wait":
            text = self.tr("Up to date: %1's next update is due at %2 (P22). Next: move the clock on (it sends when "
                           "due), or Fetch now anyway as the DevTools menu does.").replace("%1", user) \
                .replace("%2", next_due)
            now_text = self.tr("Fetch now anyway (DevTools menu)")
            tip = self.tr("Sends a periodic update at once, as the DevTools menu \"fetch periodic cache data\" does, "
                          "although it is not due before %1 (P22).").replace("%1", next_due)
        else:
            text = self.tr("Due: WeChat sends %1 a periodic update at its next chance. Next: move the clock (it "
                           "sends), or Fetch periodic data now.").replace("%1", user)
        self.periodic_state.setText(text)
        self.periodic_now.setText(now_text)
        self.periodic_now.setToolTip(tip)
        self.periodic_now.setEnabled(decision.why != "no_token" and bool(address))

    @property
    def clock_ms(self) -> int:
        return self.services.periodic.clock_ms

    def read_now_ms(self) -> int:
        """When a read happens: the wall clock moved on by the simulated clock's jumps (P24 expiry)."""
        return self.services.periodic.read_now_ms()

    def jump(self, hours: int) -> asyncio.Future[None]:
        self.periodic.user = self.cold_user.currentText().strip()
        self.periodic_task = self.periodic.jump(hours)
        return self.periodic_task

    @property
    def periodic(self) -> PeriodicClock:
        return self.services.periodic

    def _used(self) -> asyncio.Future[str]:
        """The user opens the Mini Program: the log says what happened and what it reads."""
        self.periodic.user = self.cold_user.currentText().strip()
        task = self.periodic.used(self.platform.currentData())
        self.used_task = task
        return task

    def fetch_periodic_now(self, scheduled: bool = False) -> asyncio.Future[None] | None:
        self.periodic.user = self.cold_user.currentText().strip()
        task = self.periodic.fetch_now()
        if task is not None:
            self.periodic_task = task
        return task


def _scrolling(widget: QWidget) -> QScrollArea:
    """A dense panel in a scroll area: on a small window it scrolls instead of growing the window."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2) if len(text) < 300_000 else text[:300_000]
    except ValueError:
        return text[:300_000]

