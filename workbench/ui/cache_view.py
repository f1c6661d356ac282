"""The Cache tab: what the Mini Program reads, why an entry is missing, cold starts on a
timeline, and periodic updates on a simulated clock."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
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
from workbench.core.protocol import FetchType, Launch, Platform
from workbench.core.redact import Redactor, mask_secret
from workbench.core.simulator import ColdStart
from workbench.core.store import CacheEntry, Store
from workbench.services import Services
from workbench.ui.elided_label import ElidedLabel
from workbench.ui.lazy import LazyWidget
from workbench.ui.table_layout import TableLayout
from workbench.ui.table_model import ColumnTableModel
from workbench.ui.texts import cause_text, scene_label
from workbench.workflows.coldstart import ColdStartRequest, PeriodicClock

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


class TokenPanel(QWidget):
    """What wx.getBackgroundFetchToken returns per user and platform (P20); tokens masked unless
    asked. Self-contained: it reads the store off the UI thread and renders text."""

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
        row = QHBoxLayout()
        title = QLabel(self.tr("wx.getBackgroundFetchToken() per user and platform (P20)"))
        title.setWordWrap(True)
        row.addWidget(title, 1)
        row.addWidget(self.show_tokens)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.show_tokens.toggled.connect(lambda _on: self.refresh())

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

        # -- cold start --
        self.cold_url = QComboBox()
        self.cold_url.setObjectName("coldUrl")
        self.cold_url.setEditable(True)
        self.cold_user = QComboBox()
        self.cold_user.setEditable(True)
        self.package_ms = QSpinBox()
        self.package_ms.setObjectName("packageMs")
        self.package_ms.setRange(0, 60_000)
        self.package_ms.setValue(800)
        self.package_ms.setSuffix(" ms")
        self.cold_platform = QComboBox()
        for p in Platform:
            self.cold_platform.addItem(p.value, p.value)
        self.set_token = QCheckBox(self.tr("onLaunch calls setBackgroundFetchToken with"))
        self.set_token_value = QLineEdit()
        self.cold_button = QPushButton(self.tr("Simulate cold start"))
        self.cold_button.setObjectName("coldStart")
        self.cold_launch = QLabel()
        self.cold_launch.setObjectName("coldLaunch")
        self.cold_launch.setWordWrap(True)
        self.cold_summary = QLabel()
        self.cold_summary.setObjectName("coldSummary")
        self.cold_summary.setWordWrap(True)
        self.timeline_box = LazyWidget(_timeline_chart)  # pyqtgraph loads when the chart is first shown

        # -- periodic --
        self.clock_label = ElidedLabel()
        self.clock_label.setObjectName("clockLabel")
        self.jump_buttons = [(QPushButton(text), hours) for text, hours in (
            (self.tr("+1 hour"), 1), (self.tr("+12 hours"), 12), (self.tr("+1 day"), 24), (self.tr("+7 days"), 168))]
        self.used_now = QPushButton(self.tr("User opens the Mini Program"))
        self.periodic_now = QPushButton(self.tr("Fetch periodic data now"))
        self.periodic_now.setObjectName("periodicNow")
        self.periodic_text = QPlainTextEdit()
        self.periodic_text.setObjectName("periodicText")
        self.periodic_text.setReadOnly(True)

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
        for w in (self.clear_one, self.clear_type, self.clear_type_button, self.clear_all):
            clear_bar.addWidget(w)
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
        cf = QFormLayout()
        cf.addRow(self.tr("Download address"), self.cold_url)
        cf.addRow(self.tr("User"), self.cold_user)
        cf.addRow(self.tr("Code package download"), self.package_ms)
        cf.addRow(self.tr("Platform"), self.cold_platform)
        cf.addRow(self.tr("Launch"), self.cold_launch)
        cf.addRow(self.set_token)
        cf.addRow("", self.set_token_value)
        cl.addLayout(cf)
        cl.addWidget(self.cold_button)
        cl.addWidget(self.cold_summary)
        cl.addWidget(self.timeline_box, 1)

        periodic = QWidget()
        pl = QVBoxLayout(periodic)
        pl.addWidget(self.clock_label)  # elided: a long verdict never widens the window
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
        self.tools.addTab(periodic, self.tr("Periodic update"))
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
        for button, hours in self.jump_buttons:
            button.clicked.connect(lambda _=False, h=hours: self.jump(h))
        self.used_now.clicked.connect(self._used)
        self.periodic_now.clicked.connect(self.fetch_periodic_now)
        flow = services.cold_start
        flow.started.connect(self._cold_started)
        flow.finished.connect(self._cold_finished)
        flow.failed.connect(self._cold_failed)
        services.periodic.changed.connect(self._clock_changed)
        services.periodic.logged.connect(self.periodic_text.appendPlainText)
        self.cold_user.currentTextChanged.connect(lambda _t: self._show_clock())
        services.document.changed.connect(self._document_changed)
        self._document_changed("launch")
        services.outcomeStored.connect(lambda _id: self.refresh())
        services.historyChanged.connect(self.refresh)
        services.mockStateChanged.connect(lambda _url: self._fill_targets())
        self._fill_targets()
        self.refresh()
        self._show_clock()

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
        for combo in (self.cold_user, self.why_user):
            text = combo.currentText()
            combo.clear()
            combo.addItems(users)
            if text:
                combo.setEditText(text)

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
        if section != "launch":
            return
        launch = self.services.document.doc.launch
        scene = str(launch.scene) if launch.scene else self.tr("(none)")
        self.cold_launch.setText(self.tr("path %1 · query %2 · scene %3 (from the Composer)")
                                 .replace("%1", launch.path or "—").replace("%2", launch.query or "—")
                                 .replace("%3", scene))

    def simulate(self) -> asyncio.Future[ColdStart | None] | None:
        """One launch through the cold-start workflow; the view shows what it reports."""
        launch = self.services.document.doc.launch
        url = self.cold_url.currentText().strip()
        kind = self.cold_url.currentData() if self.cold_url.currentText() == self.cold_url.itemText(
            self.cold_url.currentIndex()) else "custom"
        token = self.set_token_value.text().strip() if self.set_token.isChecked() else None
        try:
            ask = ColdStartRequest(url=url, user=self.cold_user.currentText().strip(), address_kind=kind or "custom",
                                   package_ms=self.package_ms.value(), platform=self.cold_platform.currentData(),
                                   launch=Launch(path=launch.path, query=launch.query, scene=launch.scene or None,
                                                 version=launch.version),
                                   set_token_in_onlaunch=token or None)
        except WorkbenchError as exc:
            self.cold_summary.setText(str(exc))
            return None
        task = self.services.cold_start.launch(ask)
        if task is not None:
            self.cold_task = task
        return task

    def _cold_started(self) -> None:
        self.cold_button.setEnabled(False)
        self.cold_summary.setText(self.tr("Launching: the code package downloads while the pre-pull runs…"))

    def _cold_failed(self, text: str) -> None:
        self.cold_button.setEnabled(True)
        self.cold_summary.setText(cause_text(Cause("not_enabled")) if text == "not_enabled" else text)

    def _cold_finished(self, result: ColdStart) -> None:
        self.cold_button.setEnabled(True)
        user = self.cold_user.currentText().strip()
        self.timeline.show_phases(result)
        read = {"current": self.tr("this launch's data"), "previous": self.tr("the previous launch's entry (P17)"),
                "none": self.tr("nothing (P18)")}[result.read]
        fired = self.tr("fired when the data arrived") if result.listener_fired else self.tr("did not fire")
        session = ""
        session_key = self.services.session_key(user) if result.identity_kind == "code" else None
        if session_key:
            session = self.tr(" The login code refreshed the session: session_key is now %1… (P6).").replace(
                "%1", session_key[:6])
        token_note = self.tr(" The token set in onLaunch goes with the next launch (P5).") \
            if result.token_set_in_onlaunch else ""
        self.cold_summary.setText(
            self.tr("onLaunch read %1; onBackgroundFetchData %2; waiting saved: %3 ms. Sent with a %4.")
            .replace("%1", read).replace("%2", fired).replace("%3", f"{result.saved_ms:.0f}")
            .replace("%4", result.identity_kind) + session + token_note)

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
        if decision.next_due_ms is not None:
            why = why.replace("%1", time.strftime("%Y-%m-%d %H:%M", time.localtime(decision.next_due_ms / 1000)))
        self.clock_label.setText(self.tr("Simulated clock: %1 · %2").replace("%1", when).replace("%2", why))
        self.periodic_decision = decision
        self.show_read()  # a periodic entry may have expired on the moved clock (P24)

    @property
    def clock_ms(self) -> int:
        return self.services.periodic.clock_ms

    def read_now_ms(self) -> int:
        """When a read happens: the wall clock moved on by the simulated clock's jumps (P24 expiry)."""
        periodic = self.services.periodic
        return int(time.time() * 1000) + (periodic.clock_ms - periodic.start_ms)

    def jump(self, hours: int) -> asyncio.Future[None]:
        self.periodic.user = self.cold_user.currentText().strip()
        self.periodic_task = self.periodic.jump(hours)
        return self.periodic_task

    @property
    def periodic(self) -> PeriodicClock:
        return self.services.periodic

    def _used(self) -> None:
        self.periodic.user = self.cold_user.currentText().strip()
        self.clock_task = self.periodic.used()

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

