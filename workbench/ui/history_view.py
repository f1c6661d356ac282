"""History: every pre-pull in the workspace, searchable, replayable, comparable, exportable."""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import time
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core import redact
from workbench.core.client import Outcome
from workbench.core.redact import Redactor
from workbench.core.store import HistoryItem, HistoryRecord, Store
from workbench.services import Services
from workbench.ui import theme
from workbench.ui.table_layout import TableLayout
from workbench.ui.table_model import ColumnTableModel
from workbench.ui.texts import reason_text, scene_label

Index = QModelIndex | QPersistentModelIndex
PAGE = 200


class HistoryModel(ColumnTableModel):
    """Newest first, a keyset page at a time as the view scrolls. Every query runs in a thread, so
    typing a filter or scrolling a million rows never waits for SQLite on the UI thread; a newer
    reload makes older answers moot."""

    COLUMNS = ("id", "time", "source", "url", "status", "verdict", "size", "scene", "user", "total")

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self._spawn = services.spawn
        self.search = ""
        self._rows: list[HistoryItem] = []
        self._total = 0
        self._exact = True
        self._more = False
        self._fetching = False
        self._generation = 0
        #: The latest load (reload or next page), for whoever must wait for the rows.
        self.load_task: asyncio.Future[None] | None = None
        self._headers = {"id": "#", "time": self.tr("Time"), "source": self.tr("Source"), "url": self.tr("URL"),
                         "status": self.tr("Status"), "verdict": self.tr("Verdict"), "size": self.tr("Size"),
                         "scene": self.tr("Scene"), "user": self.tr("User"), "total": self.tr("Total")}
        self.reload()

    def reload(self, search: str | None = None) -> asyncio.Future[None]:
        if search is not None:
            self.search = search
        self._generation += 1
        self.load_task = self._spawn(self._reload(self._generation, self.search))
        return self.load_task

    async def _reload(self, generation: int, search: str) -> None:
        def first_page(store: Store) -> tuple[list[HistoryItem], tuple[int, bool]]:
            return store.history_page(search, None, PAGE), store.history_search_count(search)

        rows, (total, exact) = await self.services.query(first_page)
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the view was closed meanwhile, or the user typed on: a newer reload is coming
        self.beginResetModel()
        self._rows, self._total, self._exact = rows, total, exact
        self._more = len(rows) == PAGE
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many entries match (at most the store's cap when not :attr:`exact`)."""
        return self._total

    @property
    def exact(self) -> bool:
        return self._exact

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or not self._more or self._fetching or not self._rows:
            return
        self._fetching = True
        self.load_task = self._spawn(self._fetch_more(self._generation, self.search, self._rows[-1].id))

    async def _fetch_more(self, generation: int, search: str, before_id: int) -> None:
        try:
            more = await self.services.query(Store.history_page, search, before_id, PAGE)
        finally:
            if shiboken6.isValid(self):
                self._fetching = False
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._more = len(more) == PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def history_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, history_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == history_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case "id":
                    return str(r.id) + (f" ↺{r.replay_of}" if r.replay_of else "")
                case "time":
                    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.started_ms / 1000))
                case "source":
                    return r.source
                case "url":
                    return _masked_url(r)
                case "status":
                    return "" if r.status is None else str(r.status)
                case "verdict":
                    if r.cached:
                        return self.tr("cached")
                    return self.tr("not cached: %1").replace("%1", ", ".join(x.code for x in r.reasons))
                case "size":
                    return f"{r.body_size:,}"
                case "scene":
                    return scene_label(r.scene)
                case "user":
                    return r.user
                case "total":
                    return "" if r.total_ms is None else f"{r.total_ms:.1f} ms"
        if role == Qt.ItemDataRole.ForegroundRole and column == "verdict":
            return theme.color("ok" if r.cached else "error")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "verdict" and not r.cached:
                redactor = _row_redactor(r)  # a redirect reason quotes the Location, which may carry a token
                return "\n".join(reason_text(redactor.reason(x)) for x in r.reasons)
            return self.data(index, Qt.ItemDataRole.DisplayRole)  # shown only when the cell is cut
        return None


def _row_redactor(row: HistoryItem) -> Redactor:
    return Redactor.scanning(urls=[row.full_url], secrets=(row.token, row.code))


def _masked_url(row: HistoryItem) -> str:
    return _row_redactor(row).url(row.full_url)


class _DiffHighlighter(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:  # noqa: N802
        fmt = QTextCharFormat()
        if text.startswith("+") and not text.startswith("+++"):
            fmt.setForeground(theme.color("ok"))
        elif text.startswith("-") and not text.startswith("---"):
            fmt.setForeground(theme.color("error"))
        elif text.startswith("@@"):
            fmt.setForeground(theme.color("info"))
        else:
            return
        self.setFormat(0, len(text), fmt)


def diff_text(a: HistoryRecord, b: HistoryRecord, show_secrets: bool = False) -> str:
    """A unified diff of two entries: request, status and headers, then bodies (pretty JSON).

    Tokens, codes and every other secret of either entry are masked unless ``show_secrets``.
    """
    redactor = None if show_secrets else redact.for_records([a, b])

    def lines(r: HistoryRecord) -> list[str]:
        url, params, headers, data = r.full_url, r.params, r.response_headers, r.body
        if redactor is not None:
            url, params = redactor.url(url), redactor.params(params)
            headers, data = redactor.headers(headers), redactor.data(data)
        out = [f"GET {url}", *(f"{k}={v}" for k, v in params), f"status {r.status}",
               *(f"{k}: {v}" for k, v in headers), "", "# body"]
        body = data.decode("utf-8", "replace")
        with contextlib.suppress(ValueError):
            body = json.dumps(json.loads(body), ensure_ascii=False, indent=2, sort_keys=True)
        if redactor is not None:
            body = redactor.text(body)  # pretty-printing can undo a JSON escape
        return out + body.splitlines()

    diff = difflib.unified_diff(lines(a), lines(b), f"#{a.id}", f"#{b.id}", lineterm="", n=3)
    text = "\n".join(diff)
    return text or f"#{a.id} and #{b.id} are identical."


class DiffDialog(QDialog):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 650)
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("diffText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._highlighter = _DiffHighlighter(self.text.document())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class HistoryView(QWidget):
    #: The user wants this entry in the composer (an imported entry that lacks an appid, say).
    openInComposer = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = HistoryModel(services, self)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("Search URL, status, scene, user, verdict (cached / not-cached)…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(lambda: self.model.reload(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.count = QLabel()
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        col = HistoryModel.COLUMNS.index
        fm = self.fontMetrics()
        self.columns = TableLayout(
            self.table,
            widths={col("id"): 60, col("time"): fm.horizontalAdvance("0000-00-00 00:00:00") + 16, col("source"): 80,
                    col("url"): 360, col("status"): 55, col("verdict"): 150, col("size"): 80, col("scene"): 150,
                    col("user"): 70})
        self.table.doubleClicked.connect(lambda index: self.replay(index.row()))

        self.replay_button = QPushButton(self.tr("Replay"))
        self.replay_button.setObjectName("replay")
        self.replay_button.setToolTip(self.tr("Send the selected entry again, exactly (Enter)"))
        self.edit_button = QPushButton(self.tr("Open in composer"))
        self.diff_button = QPushButton(self.tr("Diff"))
        self.diff_button.setToolTip(self.tr("Compare two selected entries: request, headers and body"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.older = QComboBox()
        for label, seconds in ((self.tr("older than 1 hour"), 3600), (self.tr("older than 1 day"), 86400),
                               (self.tr("older than 7 days"), 7 * 86400), (self.tr("older than 30 days"), 30 * 86400)):
            self.older.addItem(label, seconds)
        self.clear_older_button = QPushButton(self.tr("Clear"))
        self.export_button = QPushButton(self.tr("Export HAR…"))
        self.import_button = QPushButton(self.tr("Import HAR…"))
        self.include_secrets = QCheckBox(self.tr("Include tokens in exports"))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        actions = QHBoxLayout()
        for w in (self.replay_button, self.edit_button, self.diff_button, self.delete_button):
            actions.addWidget(w)
        actions.addSpacing(16)
        actions.addWidget(self.older)
        actions.addWidget(self.clear_older_button)
        actions.addStretch(1)
        actions.addWidget(self.include_secrets)
        actions.addWidget(self.export_button)
        actions.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.replay_button.clicked.connect(lambda: self.replay(self._current_row()))
        self.edit_button.clicked.connect(self._open_in_composer)
        self.diff_button.clicked.connect(self.show_diff)
        self.delete_button.clicked.connect(self.delete_selected)
        self.clear_older_button.clicked.connect(self.clear_older)
        self.export_button.clicked.connect(self._export_dialog)
        self.import_button.clicked.connect(self._import_dialog)
        for keys in ("Return", "Enter"):
            replay_key = QShortcut(QKeySequence(keys), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            replay_key.activated.connect(lambda: self.replay(self._current_row()))
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                               context=Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        services.outcomeStored.connect(self._stored)
        services.replay.replayed.connect(self._replayed)
        services.replay.refused.connect(self._replay_refused)
        services.historyChanged.connect(lambda: self._stored(-1))
        self._update_buttons()
        self._update_count()

    # -- state ---------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.history_id(r) for r in rows]

    def show_entry(self, history_id: int) -> asyncio.Future[bool]:
        """Select one entry, clearing a filter that hides it (the rows load in a thread)."""
        return self.services.spawn(self._show_entry(history_id))

    async def _show_entry(self, history_id: int) -> bool:
        if self.search.text():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self._search_timer.stop()
            await self.model.reload("")
            if not shiboken6.isValid(self):
                return False  # the view was closed meanwhile
        elif self.model.load_task is not None:
            await self.model.load_task  # the reload that storing the entry started
            if not shiboken6.isValid(self):
                return False  # the view was closed meanwhile
        row = self.model.row_of(history_id)
        if row < 0:
            await self.model.reload()
            if not shiboken6.isValid(self):
                return False  # the view was closed meanwhile
            row = self.model.row_of(history_id)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            if self.model.load_task is not None:
                await self.model.load_task
                if not shiboken6.isValid(self):
                    return False  # the view was closed meanwhile
            row = self.model.row_of(history_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _current_row(self) -> int:
        return self.table.currentIndex().row()

    def _update_buttons(self) -> None:
        n = len(self.selected_ids())
        self.replay_button.setEnabled(n >= 1)
        self.edit_button.setEnabled(n == 1)
        self.diff_button.setEnabled(n == 2)
        self.delete_button.setEnabled(n >= 1)

    def _update_count(self) -> None:
        if self.model.exact:
            self.count.setText(self.tr("%n entries", "", self.model.total))
        else:
            self.count.setText(self.tr("%1+ entries").replace("%1", f"{self.model.total:,}"))

    def _stored(self, history_id: int) -> None:
        self.model.reload()
        self._update_buttons()

    # -- actions -------------------------------------------------------------------------

    def replay(self, row: int) -> asyncio.Future[tuple[int, Outcome] | None] | None:
        """Send the entry again through the replay workflow; its answer comes as a signal."""
        if row < 0:
            return None
        return self.services.replay.replay(self.model.history_id(row))

    def _replayed(self, record: HistoryRecord, new_id: int, outcome: Any) -> None:
        verdict = self.tr("cached") if outcome.verdict.cached else self.tr("not cached")
        self.services.notify(self.tr("Replayed #%1 as #%2: %3").replace("%1", str(record.id))
                             .replace("%2", str(new_id)).replace("%3", verdict))
        self.show_entry(new_id)  # the result is shown even when the filter would hide it

    def _replay_refused(self, record: HistoryRecord, text: str) -> None:
        self.services.notify(self.tr("Entry #%1 cannot be sent as it is (%2) Fix it in the composer.")
                             .replace("%1", str(record.id)).replace("%2", text))
        self.openInComposer.emit(record)

    def _open_in_composer(self) -> asyncio.Future[None] | None:
        ids = self.selected_ids()
        return self.services.spawn(self._open_id(ids[0])) if ids else None

    async def _open_id(self, history_id: int) -> None:
        record = await self.services.query(Store.history, history_id)
        if not shiboken6.isValid(self):
            return None  # the view was closed meanwhile
        if record is not None:
            self.openInComposer.emit(record)

    def show_diff(self) -> asyncio.Future[DiffDialog | None] | None:
        ids = sorted(self.selected_ids())  # older -> newer
        if len(ids) != 2:
            return None
        return self.services.spawn(self._diff(*ids))

    async def _diff(self, a_id: int, b_id: int) -> DiffDialog | None:
        def read_and_diff(store: Store) -> str | None:
            a, b = store.history(a_id), store.history(b_id)
            # an entry deleted meanwhile: nothing to show (as replay and "open in composer" do)
            return diff_text(a, b) if a is not None and b is not None else None

        # reading two records and diffing big bodies: both off the UI thread
        text = await self.services.query(read_and_diff)
        if not shiboken6.isValid(self):
            return None  # the view was closed meanwhile
        if text is None:
            return None
        dialog = DiffDialog(self.tr("Diff #%1 → #%2").replace("%1", str(a_id)).replace("%2", str(b_id)), text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def delete_selected(self) -> asyncio.Future[None] | None:
        ids = self.selected_ids()
        return self.services.spawn(self._delete(ids)) if ids else None

    async def _delete(self, ids: list[int]) -> None:
        await self.services.query(Store.delete_history, ids)  # a traffic run's worth is slow
        await self.model.reload()
        if not shiboken6.isValid(self):
            return None  # the view was closed meanwhile
        self.services.notify(self.tr("Deleted %n entries", "", len(ids)))

    def clear_older(self) -> asyncio.Future[None]:
        cutoff = int(time.time() * 1000) - self.older.currentData() * 1000
        return self.services.spawn(self._clear_older(cutoff))

    async def _clear_older(self, cutoff: int) -> None:
        removed = await self.services.query(Store.delete_history_before, cutoff)
        if not shiboken6.isValid(self):
            return None  # the view was closed meanwhile
        await self.model.reload()
        if not shiboken6.isValid(self):
            return None  # the view was closed meanwhile
        self.services.notify(self.tr("Cleared %n entries", "", removed))

    def export_har(self, path: Path, ids: list[int] | None = None) -> asyncio.Future[int]:
        return self.services.transfer.export_har(path, ids, self.include_secrets.isChecked())

    def import_har(self, path: Path) -> asyncio.Future[int]:
        return self.services.transfer.import_har(path)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export HAR"), "prepull.har", self.tr("HAR (*.har)"))
        if path:
            self.export_har(Path(path), self.selected_ids() or None)

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import HAR"), "", self.tr("HAR (*.har *.json)"))
        if path:
            self.import_har(Path(path))
