"""History: every pre-pull in the workspace, searchable, replayable, comparable, exportable."""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import re
import time
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
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
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core import redact
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.core.model import Outcome, Source
from workbench.core.redact import Redactor
from workbench.core.store import HistoryItem, HistoryRecord, Store
from workbench.services import Services
from workbench.ui import theme
from workbench.ui.elided_label import ElidedLabel, fits_any_width
from workbench.ui.response_view import ResponseView
from workbench.ui.table_layout import TableLayout
from workbench.ui.table_model import ColumnTableModel
from workbench.ui.texts import reason_text, scene_label

Index = QModelIndex | QPersistentModelIndex
PAGE = 200

#: Where an entry came from, as the view says it; the store keeps (and searches) the English word.
SOURCE_LABELS: dict[str, str] = {
    Source.COMPOSER: QT_TRANSLATE_NOOP("History", "composer"),
    Source.CLI: QT_TRANSLATE_NOOP("History", "cli"),
    Source.TRAFFIC: QT_TRANSLATE_NOOP("History", "traffic"),
    Source.REPLAY: QT_TRANSLATE_NOOP("History", "replay"),
    Source.IMPORT: QT_TRANSLATE_NOOP("History", "import"),
    Source.COLDSTART: QT_TRANSLATE_NOOP("History", "coldstart"),
    Source.PERIODIC: QT_TRANSLATE_NOOP("History", "periodic"),
    Source.CHECK: QT_TRANSLATE_NOOP("History", "check"),
}
#: Why an entry was not cached, in a word or two (the verdict column); the tooltip has the sentence.
REASON_LABELS: dict[str, str] = {
    "redirect": QT_TRANSLATE_NOOP("History", "redirect"),
    "status": QT_TRANSLATE_NOOP("History", "status"),
    "too_large": QT_TRANSLATE_NOOP("History", "too_large"),
    "decoding": QT_TRANSLATE_NOOP("History", "decoding"),
    "plain_http": QT_TRANSLATE_NOOP("History", "plain_http"),
    "not_utf8": QT_TRANSLATE_NOOP("History", "not_utf8"),
    "timeout": QT_TRANSLATE_NOOP("History", "timeout"),
    "tls": QT_TRANSLATE_NOOP("History", "tls"),
    "refused": QT_TRANSLATE_NOOP("History", "refused"),
    "dns": QT_TRANSLATE_NOOP("History", "dns"),
    "incomplete": QT_TRANSLATE_NOOP("History", "incomplete"),
    "reset": QT_TRANSLATE_NOOP("History", "reset"),
    "connect": QT_TRANSLATE_NOOP("History", "connect"),
    "network": QT_TRANSLATE_NOOP("History", "network"),
}
#: The search words the store knows for the verdict (core/store.py), as the view says them.
VERDICT_WORDS: dict[str, str] = {
    "cached": QT_TRANSLATE_NOOP("History", "cached"),
    "not-cached": QT_TRANSLATE_NOOP("History", "not cached"),
}


def _translated(text: str) -> str:
    return QCoreApplication.translate("History", text)


def source_label(source: str) -> str:
    """``composer``, ``replay``… in the user's language (an unknown source as it is stored)."""
    return _translated(SOURCE_LABELS[source]) if source in SOURCE_LABELS else source


def reason_label(code: str) -> str:
    return _translated(REASON_LABELS[code]) if code in REASON_LABELS else code


def stored_search(search: str) -> str:
    """The search as the store understands it: a source, reason or verdict typed in the user's
    language becomes the English word the store keeps (typing "重放" finds the replays)."""
    words = {**{str(k): v for k, v in SOURCE_LABELS.items()}, **REASON_LABELS, **VERDICT_WORDS}
    shown = sorted(((_translated(label), stored) for stored, label in words.items()),
                   key=lambda pair: -len(pair[0]))
    for label, stored in shown:
        if label and label != stored and label.casefold() in search.casefold():
            search = re.sub(re.escape(label), stored, search, flags=re.IGNORECASE)
    return search


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
        self.load_task = self._spawn(self._reload(self._generation, stored_search(self.search)))
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
        self.load_task = self._spawn(self._fetch_more(self._generation, stored_search(self.search),
                                                      self._rows[-1].id))

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

    def rows_of(self, history_ids: list[int]) -> list[int]:
        """The loaded rows of these entries (those not loaded are left out), in one pass."""
        wanted = set(history_ids)
        return [i for i, r in enumerate(self._rows) if r.id in wanted]

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
                    return source_label(r.source)
                case "url":
                    return _masked_url(r)
                case "status":
                    return "" if r.status is None else str(r.status)
                case "verdict":
                    if r.cached:
                        return self.tr("cached")
                    codes = self.tr(", ").join(reason_label(x.code) for x in r.reasons)
                    return self.tr("not cached: %1").replace("%1", codes)
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
    same = QCoreApplication.translate("History", "#%1 and #%2 are identical.")
    return text or same.replace("%1", str(a.id)).replace("%2", str(b.id))


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
        theme.follow_highlighter(self._highlighter)  # the dialog stays open across a theme switch
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)




class ParamsModel(ColumnTableModel):
    """The query parameters of the entry on show, one a row, as sent (decoded, secrets masked)."""

    COLUMNS = ("name", "value")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str]] = []
        self._headers = {"name": self.tr("Name"), "value": self.tr("Value")}

    def set_pairs(self, pairs: list[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._rows = list(pairs)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None


class HistoryDetail(QWidget):
    """The entry on show in full, as a request tool shows one: the request (method, URL,
    parameters, headers) above, the response with its verdict below. Secrets are masked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDetail")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.empty = QLabel(self.tr("Select a request to see what was sent, what came back and the verdict. "
                                    "Replay sends it again; select two to compare them."))
        self.empty.setObjectName("historyDetailEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(24)
        self.empty.setEnabled(False)  # drawn dimmed: a hint, not content
        fits_any_width(self.empty)

        self.summary = ElidedLabel()
        self.summary.setObjectName("historySummary")
        self.url_label = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.url_label.setObjectName("historyUrl")
        self.url_label.setFont(mono)
        self.params_model = ParamsModel(self)
        self.params = QTableView()
        self.params.setObjectName("historyParams")
        self.params.setModel(self.params_model)
        self.params.verticalHeader().setVisible(False)
        self.params.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.params.setAlternatingRowColors(True)
        self.params.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.params_layout = TableLayout(self.params, widths={0: 170})
        self.request_headers = QPlainTextEdit()
        self.request_headers.setObjectName("historyRequestHeaders")
        self.request_headers.setReadOnly(True)
        self.request_headers.setFont(mono)
        self.request_tabs = QTabWidget()
        self.request_tabs.setDocumentMode(True)
        self.request_tabs.addTab(self.params, self.tr("Query parameters"))
        self.request_tabs.addTab(self.request_headers, self.tr("Request headers"))
        self.response = ResponseView()
        # what the Mini Program reads *now* comes from the cache, which has moved on since this entry
        self.response.tabs.removeTab(self.response.tabs.indexOf(self.response.read_text))
        self.response.read_text.hide()

        request_box = QWidget()
        rl = QVBoxLayout(request_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.url_label)
        rl.addWidget(self.request_tabs, 1)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("historyDetailSplitter")
        self.split.addWidget(request_box)
        self.split.addWidget(self.response)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([210, 340])  # the user's sizes come back with the view (splitter_layout.py)
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.summary)
        pl.addWidget(self.split, 1)
        self.page = page
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        #: The id of the entry on show (None: the empty state, -1: an answer that was not stored).
        self.shown_id: int | None = None

    def clear(self) -> None:
        self.shown_id = None
        self.stack.setCurrentWidget(self.empty)

    def show_record(self, record: HistoryRecord, redactor: Redactor) -> asyncio.Future:
        """Show ``record``; its body is formatted in a thread (the future says when it is done)."""
        self.shown_id = record.id
        parts = ["#" + str(record.id)]
        if record.replay_of is not None:  # (its source says "replay" too)
            parts.append(self.tr("replay of #%1").replace("%1", str(record.replay_of)))
        else:
            parts.append(source_label(record.source))
        parts.append(time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.started_ms / 1000)))
        if record.user:
            parts.append(self.tr("user %1").replace("%1", record.user))
        if record.scene is not None:
            parts.append(self.tr("scene %1").replace("%1", scene_label(record.scene)))
        parts.append(record.fetch_type)
        self._show_request(" · ".join(parts), redactor.url(record.full_url), redactor.params(record.params),
                           redactor.headers(record.request_headers))
        return self.response.show_record(record, redactor)

    def show_unstored(self, outcome: Outcome) -> asyncio.Future:
        """An answer the history could not keep (the database said no): shown all the same."""
        self.shown_id = -1
        redactor = redact.for_outcome(outcome, scan_body=False)
        self._show_request(self.tr("Not stored in the history"), redactor.url(outcome.sent.url),
                           redactor.params(outcome.sent.params), redactor.headers(outcome.sent.headers))
        return self.response.show_outcome(outcome, None, "")

    def _show_request(self, summary: str, url: str, params: list[tuple[str, str]],
                      headers: list[tuple[str, str]]) -> None:
        self.summary.setText(summary)
        self.url_label.setText("GET " + url)
        self.url_label.setToolTip("GET " + url)
        self.params_model.set_pairs(params)
        self.request_headers.setPlainText("\n".join(f"{k}: {v}" for k, v in headers))
        self.stack.setCurrentWidget(self.page)


class ExportDialog(QDialog):
    """Which entries go into the HAR file: all of them, those the filter shows, or those selected.
    The user says so every time: clicking a row to look at it selects it, and an export of that
    one row instead of the history would go unnoticed."""

    def __init__(self, total: str, filtered: str | None, selected: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export HAR"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 48)
        self.all_entries = QRadioButton(self.tr("All entries (%1)").replace("%1", total))
        self.filtered = QRadioButton(self.tr("The %1 filtered").replace("%1", filtered) if filtered is not None
                                     else self.tr("The filtered entries (no filter is set)"))
        self.filtered.setEnabled(filtered is not None)
        if filtered is None:
            self.filtered.setToolTip(self.tr("No filter is set: type in the search box to filter."))
        self.selected = QRadioButton(self.tr("The %n selected", "", selected))
        self.selected.setEnabled(selected > 0)
        self.group = QButtonGroup(self)
        for button in (self.all_entries, self.filtered, self.selected):
            self.group.addButton(button)
        (self.filtered if filtered is not None else self.all_entries).setChecked(True)
        self.include_secrets = QCheckBox(self.tr("Include tokens and other secrets"))
        self.include_secrets.setObjectName("includeSecrets")
        self.include_secrets.setToolTip(self.tr("Unticked, every token, code and password is written as REDACTED."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Export…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Export which entries?")))
        for button in (self.all_entries, self.filtered, self.selected):
            layout.addWidget(button)
        layout.addSpacing(8)
        layout.addWidget(self.include_secrets)
        layout.addWidget(buttons)

    def scope(self) -> str:
        """"all", "filtered" or "selected"."""
        if self.selected.isChecked():
            return "selected"
        return "filtered" if self.filtered.isChecked() else "all"


class HistoryView(QWidget):
    #: The user wants this entry in the composer (an imported entry that lacks an appid, say).
    openInComposer = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = HistoryModel(services, self)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(
            self.tr("Search URL, status, scene, user, source, verdict (cached / not cached)…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(lambda: self.model.reload(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.count = QLabel()
        # says when the view changed the filter by itself (to show a replay), with the way back
        self.notice = QWidget()
        self.notice.setObjectName("historyNotice")
        self.notice_label = ElidedLabel()
        self.notice_label.setObjectName("historyNoticeText")
        theme.set_tone(self.notice_label, "info")
        self.restore_filter_button = QPushButton(self.tr("Restore filter"))
        self._hidden_filter = ""
        nl = QHBoxLayout(self.notice)
        nl.setContentsMargins(0, 0, 0, 0)
        nl.addWidget(self.notice_label, 1)
        nl.addWidget(self.restore_filter_button)
        self.notice.hide()
        self.search.textEdited.connect(self.notice.hide)  # the user chose another filter
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setAlternatingRowColors(True)
        col = HistoryModel.COLUMNS.index
        fm = self.fontMetrics()
        # beside the detail pane, what a glance needs comes first: when, the answer, the verdict
        self.columns = TableLayout(
            self.table,
            widths={col("id"): 60, col("time"): fm.horizontalAdvance("0000-00-00 00:00:00") + 16, col("source"): 80,
                    col("url"): 300, col("status"): 55, col("verdict"): 150, col("size"): 80, col("scene"): 150,
                    col("user"): 70},
            order=[col(c) for c in ("id", "time", "status", "verdict", "source", "url", "user", "scene", "size",
                                    "total")])
        self.table.doubleClicked.connect(lambda index: self.replay(index.row()))
        self.detail = HistoryDetail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("historySplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([660, 600])
        #: The latest detail load (an entry read from the store in a thread, then shown).
        self.detail_task: asyncio.Future[None] | None = None
        self._detail_generation = 0
        self._detail_wanted: int | None = None  # the entry being read for the detail pane
        self._keep_selection: tuple[list[int], int | None] = ([], None)

        self.replay_button = QPushButton(self.tr("Replay"))
        self.replay_button.setObjectName("replay")
        self.replay_button.setToolTip(self.tr("Send the selected entry again, exactly (Enter)"))
        self.edit_button = QPushButton(self.tr("Open in composer"))
        self.edit_button.setToolTip(self.tr("Edit the entry in the composer; the workspace keeps its own appid"))
        self.diff_button = QPushButton(self.tr("Diff"))
        self.diff_button.setToolTip(self.tr("Compare two selected entries: request, headers and body"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.older = QComboBox()
        for label, seconds in ((self.tr("older than 1 hour"), 3600), (self.tr("older than 1 day"), 86400),
                               (self.tr("older than 7 days"), 7 * 86400), (self.tr("older than 30 days"), 30 * 86400)):
            self.older.addItem(label, seconds)
        self.clear_older_button = QPushButton(self.tr("Clear"))
        self.export_button = QPushButton(self.tr("Export HAR…"))
        self.export_button.setToolTip(self.tr("Export all entries, the filtered ones or the selected ones"))
        self.import_button = QPushButton(self.tr("Import HAR…"))
        #: The export dialog while it is open, and the latest export.
        self.export_dialog: ExportDialog | None = None
        self.export_task: asyncio.Future[int] | None = None

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
        actions.addWidget(self.export_button)
        actions.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(actions)

        self.replay_button.clicked.connect(lambda: self.replay(self._current_row()))
        self.edit_button.clicked.connect(self._open_in_composer)
        self.diff_button.clicked.connect(self.show_diff)
        self.delete_button.clicked.connect(self.delete_selected)
        self.clear_older_button.clicked.connect(self.clear_older)
        self.export_button.clicked.connect(self.open_export_dialog)
        self.import_button.clicked.connect(self._import_dialog)
        self.restore_filter_button.clicked.connect(self.restore_filter)
        for keys in ("Return", "Enter"):
            replay_key = QShortcut(QKeySequence(keys), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            replay_key.activated.connect(lambda: self.replay(self._current_row()))
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                               context=Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
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
        """Select one entry and show it in the detail pane. If the filter hides it, the filter is
        cleared and the notice above the table says so, with a button to put it back."""
        return self.services.spawn(self._show_entry(history_id))

    async def _show_entry(self, history_id: int) -> bool:
        if self.model.load_task is not None:
            await self.model.load_task  # the reload that storing the entry started
            if not shiboken6.isValid(self):
                return False  # the view was closed meanwhile
        row = self.model.row_of(history_id)
        if row < 0:
            await self.model.reload()  # the entry was stored after that reload began
            if not shiboken6.isValid(self):
                return False
            row = self.model.row_of(history_id)
        hidden_by = self.model.search if row < 0 and self.model.search.strip() else ""
        if hidden_by:
            self._set_search_quietly("")
            await self.model.reload("")
            if not shiboken6.isValid(self):
                return False
            row = self.model.row_of(history_id)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            if self.model.load_task is not None:
                await self.model.load_task
                if not shiboken6.isValid(self):
                    return False
            row = self.model.row_of(history_id)
        if row < 0:
            return False
        if hidden_by:
            self._hidden_filter = hidden_by
            self.notice_label.setText(self.tr("The filter “%1” would hide #%2, so it was cleared to show it.")
                                      .replace("%1", hidden_by).replace("%2", str(history_id)))
            self.notice.show()
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def restore_filter(self) -> None:
        """Put back the filter that was cleared to show an entry."""
        self.notice.hide()
        self.search.setText(self._hidden_filter)
        self._hidden_filter = ""

    def _set_search_quietly(self, text: str) -> None:
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self._search_timer.stop()

    def _current_row(self) -> int:
        return self.table.currentIndex().row()

    def _update_buttons(self) -> None:
        n = len(self.selected_ids())
        self.replay_button.setEnabled(n >= 1)
        self.edit_button.setEnabled(n == 1)
        self.diff_button.setEnabled(n == 2)
        self.delete_button.setEnabled(n >= 1)

    def _update_count(self) -> None:
        self.count.setText(self._count_text())

    def _count_text(self) -> str:
        if self.model.exact:
            return self.tr("%n entries", "", self.model.total)
        return self.tr("%1+ entries").replace("%1", f"{self.model.total:,}")

    def _stored(self, history_id: int) -> None:
        self.model.reload()
        self._update_buttons()

    # -- the detail pane ---------------------------------------------------------------------

    def _remember_selection(self) -> None:
        current = self.table.currentIndex()
        self._keep_selection = (self.selected_ids(),
                                self.model.history_id(current.row()) if current.isValid() else None)

    def _restore_selection(self) -> None:
        """A reload (a new entry stored, a filter typed) keeps the entries the user selected."""
        ids, current = self._keep_selection
        self._keep_selection = ([], None)
        selection = self.table.selectionModel()
        chosen = QItemSelection()
        last = self.model.columnCount() - 1
        for row in self.model.rows_of(ids):
            chosen.select(self.model.index(row, 0), self.model.index(row, last))
        selection.blockSignals(True)
        try:
            selection.select(chosen, QItemSelectionModel.SelectionFlag.Select)
            row = self.model.row_of(current) if current is not None else -1
            if row >= 0:
                selection.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            selection.blockSignals(False)
        self.table.viewport().update()
        self._selection_changed()

    def _selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        if not rows:
            if self.detail.shown_id != -1:  # an answer that was not stored stays until another is chosen
                self._detail_generation += 1
                self._detail_wanted = None
                self.detail.clear()
            return
        current = self._current_row()
        history_id = self.model.history_id(current if current in rows else min(rows))
        if history_id == self._detail_wanted:
            return  # being read already
        self._detail_generation += 1  # whatever was being read is moot
        self._detail_wanted = None
        if history_id != self.detail.shown_id:
            self._detail_wanted = history_id
            self.detail_task = self.services.spawn(self._load_detail(history_id, self._detail_generation))

    async def _load_detail(self, history_id: int, generation: int) -> None:

        def read(store: Store) -> tuple[HistoryRecord, Redactor] | None:
            record = store.history(history_id)
            # the redactor scans the body for secrets it reveals: off the UI thread too
            return (record, redact.for_record(record)) if record is not None else None

        found = await self.services.query(read)
        if not shiboken6.isValid(self) or generation != self._detail_generation:
            return  # the view was closed, or another entry was selected meanwhile
        self._detail_wanted = None
        if found is None:
            self.detail.clear()  # deleted meanwhile
            return
        await self.detail.show_record(*found)

    # -- actions -------------------------------------------------------------------------

    def replay(self, row: int) -> asyncio.Future[tuple[int, Outcome] | None] | None:
        """Send the entry again through the replay workflow; its answer comes as a signal."""
        if row < 0:
            return None
        return self.services.replay.replay(self.model.history_id(row))

    def _replayed(self, record: HistoryRecord, new_id: int, outcome: Any) -> None:
        """The replay's answer opens in the detail pane, beside the entry it repeats, as a request
        tool shows a response where the request was sent from (and two clicks away from a Diff)."""
        verdict = self.tr("cached") if outcome.verdict.cached else self.tr("not cached")
        self.services.notify(self.tr("Replayed #%1 as #%2: %3").replace("%1", str(record.id))
                             .replace("%2", str(new_id)).replace("%3", verdict))
        if new_id < 0:  # not stored (the status bar says why): shown all the same
            self.table.clearSelection()
            self._detail_generation += 1
            self._detail_wanted = None
            self.detail_task = self.detail.show_unstored(outcome)
            return
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

    # -- HAR -------------------------------------------------------------------------------

    def export_har(self, path: Path, scope: str = "all", include_secrets: bool = False) -> asyncio.Future[int]:
        """Export ``scope``: "all" entries, the "filtered" ones (every match, loaded or not) or the
        "selected" ones. Secrets are written as REDACTED unless ``include_secrets``."""
        if scope == "selected":
            return self.services.transfer.export_har(path, self.selected_ids(), include_secrets)
        search = stored_search(self.model.search) if scope == "filtered" else ""
        return self.services.transfer.export_har(path, None, include_secrets, search=search)

    def import_har(self, path: Path) -> asyncio.Future[int]:
        return self.services.transfer.import_har(path)

    def open_export_dialog(self) -> asyncio.Future[ExportDialog | None]:
        """Ask which entries to export (window-modal, without blocking the loop), then where."""
        return self.services.spawn(self._open_export_dialog())

    async def _open_export_dialog(self) -> ExportDialog | None:
        total = await self.services.query(Store.history_count)  # the filter's count is the model's
        if not shiboken6.isValid(self):
            return None  # the view was closed meanwhile
        if self.export_dialog is not None:
            self.export_dialog.close()
        model = self.model
        filtered = None
        if model.search.strip():
            filtered = f"{model.total:,}" if model.exact else self.tr("%1+").replace("%1", f"{model.total:,}")
        dialog = ExportDialog(f"{total:,}", filtered, len(self.selected_ids()), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._export_chosen(dialog.scope(), dialog.include_secrets.isChecked()))
        dialog.finished.connect(lambda _result: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def ask_export_path(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export HAR"), "prepull.har", self.tr("HAR (*.har)"))
        return Path(path) if path else None

    def _export_chosen(self, scope: str, include_secrets: bool) -> None:
        path = self.ask_export_path()
        if path is not None:
            self.export_task = self.export_har(path, scope, include_secrets)

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import HAR"), "", self.tr("HAR (*.har *.json)"))
        if path:
            self.import_har(Path(path))
