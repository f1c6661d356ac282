"""The Cache tab: what the Mini Program reads, why an entry is missing, cold starts on a
timeline, and periodic updates on a simulated clock."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core import cache
from workbench.core.atomic import write_text_atomic
from workbench.core.diagnose import Cause, why_empty
from workbench.core.errors import WorkbenchError
from workbench.core.periodic import HOUR_MS, periodic_decision
from workbench.core.protocol import FetchType, Identity, Platform, PrefetchRequest
from workbench.core.simulator import ColdStart, cold_start
from workbench.core.store import CacheEntry
from workbench.services import Services
from workbench.ui.lazy import LazyWidget
from workbench.ui.table_model import ColumnTableModel
from workbench.ui.texts import cause_text, scene_label

if TYPE_CHECKING:
    from workbench.ui.charts import TimelineChart

Index = QModelIndex | QPersistentModelIndex


class CacheModel(ColumnTableModel):
    COLUMNS = ("fetch_type", "user", "data", "time_stamp", "date", "path", "query", "scene", "size", "source",
               "status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
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
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
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
                return f"{e.address_kind} · {e.url}"
            case "status":
                return str(e.status)
        return None


def _timeline_chart() -> QWidget:
    from workbench.ui.charts import TimelineChart

    chart = TimelineChart()
    chart.setObjectName("timeline")
    return chart


class CacheView(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.cold_task: asyncio.Future | None = None
        self.periodic_task: asyncio.Future | None = None
        self.refresh_task: asyncio.Future | None = None
        self.clear_task: asyncio.Future | None = None
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
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(CacheModel.COLUMNS.index("data"), 220)
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
        self.prefetch_enabled.setChecked(str(QSettings().value("workspace/prefetchEnabled", True)).lower()
                                         in ("true", "1"))
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
        self.cold_summary = QLabel()
        self.cold_summary.setObjectName("coldSummary")
        self.cold_summary.setWordWrap(True)
        self.timeline_box = LazyWidget(_timeline_chart)  # pyqtgraph loads when the chart is first shown

        # -- periodic --
        self.clock_ms = int(time.time() * 1000)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        self.jump_buttons = [(QPushButton(text), hours) for text, hours in (
            (self.tr("+1 hour"), 1), (self.tr("+12 hours"), 12), (self.tr("+1 day"), 24), (self.tr("+7 days"), 168))]
        self.used_now = QPushButton(self.tr("User opens the Mini Program"))
        self.periodic_now = QPushButton(self.tr("Fetch periodic data now"))
        self.periodic_now.setObjectName("periodicNow")
        self.periodic_text = QPlainTextEdit()
        self.periodic_text.setObjectName("periodicText")
        self.periodic_text.setReadOnly(True)
        self._last_used_ms: int | None = self.clock_ms
        self._last_periodic_ms: int | None = None

        # -- layout --
        inspector = QWidget()
        il = QVBoxLayout(inspector)
        bar = QHBoxLayout()
        for w in (self.refresh_button, self.clear_one, self.clear_type, self.clear_type_button, self.clear_all,
                  self.export_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Platform")))
        bar.addWidget(self.platform)
        il.addLayout(bar)
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
        wf.addWidget(self.prefetch_enabled)
        wf.addWidget(self.why_button)
        wl.addLayout(wf)
        wl.addWidget(self.why_text, 1)

        cold = QWidget()
        cl = QVBoxLayout(cold)
        cf = QFormLayout()
        cf.addRow(self.tr("Download address"), self.cold_url)
        cf.addRow(self.tr("User"), self.cold_user)
        cf.addRow(self.tr("Code package download"), self.package_ms)
        cf.addRow(self.tr("Platform"), self.cold_platform)
        trow = QHBoxLayout()
        trow.addWidget(self.set_token)
        trow.addWidget(self.set_token_value, 1)
        cf.addRow(trow)
        cl.addLayout(cf)
        cl.addWidget(self.cold_button)
        cl.addWidget(self.cold_summary)
        cl.addWidget(self.timeline_box, 1)

        periodic = QWidget()
        pl = QVBoxLayout(periodic)
        prow = QHBoxLayout()
        prow.addWidget(self.clock_label, 1)
        for button, _ in self.jump_buttons:
            prow.addWidget(button)
        pl.addLayout(prow)
        prow2 = QHBoxLayout()
        prow2.addWidget(self.used_now)
        prow2.addWidget(self.periodic_now)
        prow2.addStretch(1)
        pl.addLayout(prow2)
        pl.addWidget(self.periodic_text, 1)

        self.tools = QTabWidget()
        self.tools.addTab(cold, self.tr("Cold start"))
        self.tools.addTab(why, self.tr("Why is it empty?"))
        self.tools.addTab(periodic, self.tr("Periodic update"))
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
        self.prefetch_enabled.toggled.connect(lambda on: QSettings().setValue("workspace/prefetchEnabled", on))
        self.cold_button.clicked.connect(self.simulate)
        for button, hours in self.jump_buttons:
            button.clicked.connect(lambda _=False, h=hours: self.jump(h))
        self.used_now.clicked.connect(self._used)
        self.periodic_now.clicked.connect(self.fetch_periodic_now)
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
        if self.services.mock.running:
            self.cold_url.addItem(self.services.mock.url("main"), "main")
            self.cold_url.addItem(self.services.mock.url("gray"), "gray")
        if current:
            self.cold_url.setEditText(current) if self.cold_url.findText(current) < 0 else \
                self.cold_url.setCurrentIndex(self.cold_url.findText(current))
        users = [u.name for u in self.services.mock.config.users]
        for combo in (self.cold_user, self.why_user):
            text = combo.currentText()
            combo.clear()
            combo.addItems(users)
            if text:
                combo.setEditText(text)

    def refresh(self) -> asyncio.Future:
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
            entries = await asyncio.to_thread(self.services.store.cache_entries)
            if not shiboken6.isValid(self):
                return
            selected = self.current_entry()
            self.model.set_entries(entries)
            if selected is not None:
                for row, e in enumerate(self.model.entries):
                    if (e.user, e.fetch_type) == (selected.user, selected.fetch_type):
                        self.table.selectRow(row)
            self.show_read()
            if not self._refresh_again:
                return

    def current_entry(self) -> CacheEntry | None:
        row = self.table.currentIndex().row()
        return self.model.entries[row] if 0 <= row < len(self.model.entries) else None

    def show_read(self) -> None:
        entry = self.current_entry()
        if entry is None:
            self.read_text.setPlainText(self.tr("Select an entry to see what the Mini Program reads."))
            return
        platform = self.platform.currentData()
        success, result = cache.get_background_fetch_data(entry, platform)
        call = "success" if success else "fail"
        self.read_text.setPlainText(
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
        removed = await asyncio.to_thread(self.services.store.clear_cache, **where)
        self.services.message.emit(self.tr("Cleared %n cache entries", "", removed))
        await self.refresh()

    def export(self, path: Path) -> None:
        data = [{"appid": e.appid, "user": e.user, "fetchType": e.fetch_type, "fetchedData": e.fetched_data,
                 "timeStamp": e.time_stamp, "path": e.path, "query": e.query, "scene": e.scene,
                 "address": e.address_kind, "url": e.url, "size": e.size, "status": e.status}
                for e in self.model.entries]
        try:
            write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))
        except WorkbenchError as exc:
            self.services.message.emit(str(exc))
            return
        self.services.message.emit(self.tr("Exported %1 cache entries to %2").replace("%1", str(len(data)))
                                   .replace("%2", str(path)))

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export cache"), "cache.json", "JSON (*.json)")
        if path:
            self.export(Path(path))

    # -- why empty -----------------------------------------------------------------------

    def explain(self) -> list[Cause]:
        user = self.why_user.currentText().strip()
        in_flight = self.cold_task is not None and not self.cold_task.done()
        causes = why_empty(self.services.store, self.appid(), user, self.why_type.currentData(),
                           prefetch_enabled=self.prefetch_enabled.isChecked(), in_flight=in_flight)
        if causes:
            self.why_text.setPlainText("\n".join(f"• {cause_text(c)}" for c in causes))
        else:
            self.why_text.setPlainText(self.tr("Not empty: the cache holds an entry for %1.").replace("%1", user))
        return causes

    # -- cold start ----------------------------------------------------------------------

    def simulate(self) -> asyncio.Future | None:
        if self.cold_task is not None and not self.cold_task.done():
            return None
        self.cold_task = self.services.spawn(self._simulate())
        return self.cold_task

    async def _simulate(self) -> ColdStart | None:
        user = self.cold_user.currentText().strip()
        url = self.cold_url.currentText().strip()
        kind = self.cold_url.currentData() if self.cold_url.currentText() == self.cold_url.itemText(
            self.cold_url.currentIndex()) else "custom"
        token = self.set_token_value.text().strip() if self.set_token.isChecked() else None
        if not self.prefetch_enabled.isChecked():
            self.cold_summary.setText(cause_text(Cause("not_enabled")))
            return None
        self.cold_button.setEnabled(False)
        self.cold_summary.setText(self.tr("Launching…"))
        mock = self.services.mock
        kwargs = {"code_factory": mock.issue_code} if mock.running and url.startswith(mock.base_url) else {}
        try:
            result = await cold_start(self.services.client, self.services.store, url, self.appid(), user,
                                      package_ms=self.package_ms.value(), platform=self.cold_platform.currentData(),
                                      set_token_in_onlaunch=token or None, address_kind=kind or "custom", **kwargs)
        except WorkbenchError as exc:
            self.cold_summary.setText(str(exc))
            return None
        finally:
            self.cold_button.setEnabled(True)
        self.timeline.show_phases(result)
        read = {"current": self.tr("this launch's data"), "previous": self.tr("the previous launch's entry (P17)"),
                "none": self.tr("nothing (P18)")}[result.read]
        fired = self.tr("fired when the data arrived") if result.listener_fired else self.tr("did not fire")
        session = ""
        if result.identity_kind == "code" and user in mock.codes.session_keys:
            session = self.tr(" The login code refreshed the session: session_key is now %1… (P6).").replace(
                "%1", mock.codes.session_keys[user][:6])
        token_note = self.tr(" The token set in onLaunch goes with the next launch (P5).") \
            if result.token_set_in_onlaunch else ""
        self.cold_summary.setText(
            self.tr("onLaunch read %1; onBackgroundFetchData %2; waiting saved: %3 ms. Sent with a %4.")
            .replace("%1", read).replace("%2", fired).replace("%3", f"{result.saved_ms:.0f}")
            .replace("%4", result.identity_kind) + session + token_note)
        self.services.outcomeStored.emit(result.history_id or -1)
        return result

    # -- periodic ------------------------------------------------------------------------

    def _show_clock(self) -> None:
        user = self.cold_user.currentText().strip()
        decision = periodic_decision(self.clock_ms, self._last_periodic_ms, self._last_used_ms,
                                     self.services.store.token(self.appid(), user) is not None,
                                     self.services.settings)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.clock_ms / 1000))
        why = {"never": self.tr("due: no periodic update yet"),
               "interval": self.tr("due: 12 hours have passed since the last success (P22)"),
               "wait": self.tr("not due before %1 (12 hours after the last success, P22)"),
               "inactive": self.tr("not sent: the user has not opened the Mini Program for 7 days (P23)"),
               "no_token": self.tr("not sent: no token (P21)")}[decision.why]
        if decision.next_due_ms is not None:
            why = why.replace("%1", time.strftime("%Y-%m-%d %H:%M", time.localtime(decision.next_due_ms / 1000)))
        self.clock_label.setText(self.tr("Simulated clock: %1 · %2").replace("%1", when).replace("%2", why))
        self.periodic_decision = decision

    def jump(self, hours: int) -> None:
        self.clock_ms += hours * HOUR_MS
        self._show_clock()
        if self.periodic_decision.due:
            self.fetch_periodic_now(scheduled=True)

    def _used(self) -> None:
        self._last_used_ms = self.clock_ms
        self._show_clock()

    def fetch_periodic_now(self, scheduled: bool = False) -> asyncio.Future | None:
        if self.periodic_task is not None and not self.periodic_task.done():
            return None
        self.periodic_task = self.services.spawn(self._periodic(scheduled))
        return self.periodic_task

    async def _periodic(self, scheduled: bool) -> None:
        user = self.cold_user.currentText().strip()
        token = self.services.store.token(self.appid(), user)
        mock = self.services.mock
        if token is None:
            token = next((u.token for u in mock.config.users if u.name == user and u.token), None)
        if token is None:
            self.periodic_text.appendPlainText(cause_text(Cause("no_token")))
            return
        if not mock.running:
            self.periodic_text.appendPlainText(self.tr("The mock server is not running: start it first."))
            return
        try:
            request = PrefetchRequest(url=mock.url("periodic"), appid=self.appid(), identity=Identity(token=token),
                                      fetch_type=FetchType.PERIODIC)
        except WorkbenchError as exc:
            self.periodic_text.appendPlainText(str(exc))
            return
        _, outcome = await self.services.send(request, source="periodic", user=user, address_kind="periodic")
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.clock_ms / 1000))
        verdict = self.tr("cached") if outcome.verdict.cached else self.tr("not cached")
        how = self.tr("scheduled") if scheduled else self.tr("fetched now")
        self.periodic_text.appendPlainText(f"{when}  {how}: {outcome.status} · {verdict}")
        if outcome.verdict.cached:
            self._last_periodic_ms = self.clock_ms
        self._show_clock()


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2) if len(text) < 300_000 else text[:300_000]
    except ValueError:
        return text[:300_000]

