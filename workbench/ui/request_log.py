"""The live request log of the mock server: a bounded table model, a filter and a detail pane.

The model keeps at most ``capacity`` rows in memory (everything also goes to the workspace
database) and takes requests in batches, so 1,000 requests a second stay smooth.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import deque
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.protocol import parse_scene
from workbench.core.redact import SECRET_PARAMS, Redactor, mask_secret
from workbench.mockserver.server import RequestLog, log_redactor
from workbench.ui import theme
from workbench.ui.table_layout import TableLayout
from workbench.ui.table_model import ColumnTableModel
from workbench.ui.texts import endpoint_text, fault_text, scene_label

Index = QModelIndex | QPersistentModelIndex


def _timestamp_text(raw: str) -> str:
    """A pre-pull timestamp (ms, or s) as a local date, keeping the raw number visible."""
    try:
        value = int(raw)
    except ValueError:
        return raw
    seconds = value / 1000 if value > 10**11 else value
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
    except (OverflowError, OSError, ValueError):
        return raw


def _scene_text(raw: str) -> str:
    try:
        return scene_label(parse_scene(raw)) or raw
    except ValueError:
        return raw


class RequestLogModel(ColumnTableModel):
    """The newest ``capacity`` requests, oldest first."""

    COLUMNS = ("time", "endpoint", "appid", "identity", "timestamp", "path", "query", "scene", "version",
               "user", "rule", "status", "size", "latency")

    def __init__(self, capacity: int = 5000, parent: Any = None) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self._rows: deque[RequestLog] = deque()
        self.show_secrets = False
        self._headers = {
            "time": self.tr("Time"), "endpoint": self.tr("Endpoint"), "appid": self.tr("appid"),
            "identity": self.tr("Token / code"), "timestamp": self.tr("timestamp"), "path": self.tr("path"),
            "query": self.tr("Launch query"), "scene": self.tr("scene"), "version": self.tr("Version"),
            "user": self.tr("User"), "rule": self.tr("Rule"), "status": self.tr("Status"),
            "size": self.tr("Size"), "latency": self.tr("Latency"),
        }

    def record(self, row: int) -> RequestLog:
        return self._rows[row]

    def append(self, records: Sequence[RequestLog]) -> None:
        """Add a batch; drop the oldest rows beyond capacity."""
        if not records:
            return
        records = list(records)[-self.capacity:]
        overflow = len(self._rows) + len(records) - self.capacity
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for _ in range(overflow):
                self._rows.popleft()
            self.endRemoveRows()
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        self._rows.extend(records)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()

    def set_show_secrets(self, show: bool) -> None:
        self.show_secrets = show
        col = self.COLUMNS.index("identity")
        if self._rows:
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def identity_text(self, r: RequestLog) -> str:
        p = r.param
        for key in ("token", "code"):
            if key in p:
                value = p[key] if self.show_secrets else mask_secret(p[key])
                return f"{key} {value}"
        return self.tr("none")

    def _masked(self, r: RequestLog, text: str) -> str:
        """A launch path or query as shown: a token or code quoted in it is masked too."""
        if self.show_secrets or not text:
            return text
        secrets = [v for k, v in r.params if k.lower() in SECRET_PARAMS and v]
        if "=" not in text and not any(s in text for s in secrets):
            return text  # the common case, decided without a regex
        return Redactor(secrets).text(text)

    def display(self, r: RequestLog, column: str) -> str:
        p = r.param
        match column:
            case "time":
                return time.strftime("%H:%M:%S", time.localtime(r.time_ms / 1000)) + f".{r.time_ms % 1000:03d}"
            case "endpoint":
                return endpoint_text(r.endpoint)
            case "appid":
                return p.get("appid", "")
            case "identity":
                return self.identity_text(r)
            case "timestamp":
                return _timestamp_text(p["timestamp"]) if "timestamp" in p else ""
            case "path":
                return self._masked(r, p.get("path", ""))
            case "query":
                return self._masked(r, p.get("query", ""))
            case "scene":
                return _scene_text(p["scene"]) if "scene" in p else ""
            case "version":
                return p.get("customMiniprogramVersion", "")
            case "user":
                return r.user
            case "rule":
                return r.rule if r.fault == "none" else f"{r.rule} ({fault_text(r.fault)})"
            case "status":
                return str(r.status)
            case "size":
                return f"{r.size:,}"
            case "latency":
                return f"{r.latency_ms:.1f} ms"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:  # shown only when the cell is cut (TableLayout)
            if column == "timestamp":
                return r.param.get("timestamp", "")
            return self.display(r, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status" and (r.status >= 400 or r.fault != "none"):
            return theme.color("error")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("status", "size", "latency"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def describe(record: RequestLog, show_secrets: bool) -> str:
    """The raw request and response of one log row, for the detail pane (secrets masked unless
    ``show_secrets``: in the URL, the headers, the body and the decoded parameters)."""
    redactor = None if show_secrets else log_redactor(record)
    request_headers, response_headers = record.request_headers, record.response_headers
    if redactor is not None:
        request_headers, response_headers = redactor.headers(request_headers), redactor.headers(response_headers)
    lines = [f"{record.method} {record.target} HTTP/1.1"]
    lines += [f"{k}: {v}" for k, v in request_headers]
    lines += ["", "# decoded parameters"]
    for key, value in record.params:
        lines.append(f"{key} = {value}")
        if key == "query":
            lines += [f"    {k} = {v}" for k, v in parse_qsl(value, keep_blank_values=True)]
    lines += ["", f"# response (rule: {record.rule}, fault: {record.fault}, {record.latency_ms:.1f} ms)",
              f"HTTP/1.1 {record.status}"]
    lines += [f"{k}: {v}" for k, v in response_headers]
    lines.append("")
    body = record.response_body.decode("utf-8", "replace")
    with contextlib.suppress(ValueError):
        body = json.dumps(json.loads(body), ensure_ascii=False, indent=2) if len(body) < 200_000 else body
    lines.append(body if len(body) <= 100_000 else body[:100_000] + "\n…")
    text = "\n".join(lines)
    return text if redactor is None else redactor.text(text)


class RequestLogView(QWidget):
    """Filter, table and detail pane; follows new requests unless the user scrolled up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RequestLogModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("logFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter: endpoint, path, query, scene, user, rule, status…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_secrets = QCheckBox(self.tr("Show tokens"), self)
        self.show_secrets.toggled.connect(self._toggle_secrets)
        self.clear_button = QPushButton(self.tr("Clear view"), self)
        self.clear_button.setToolTip(self.tr("Empty this view; the workspace database keeps every request."))
        self.clear_button.clicked.connect(self.model.clear)
        self.count_label = QLabel(self)

        self.table = QTableView(self)
        self.table.setObjectName("requestLog")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        # what answered and how is first (status, latency, rule); the request's details follow
        col = RequestLogModel.COLUMNS.index
        fm = self.fontMetrics()
        self.columns = TableLayout(
            self.table,
            widths={col("time"): fm.horizontalAdvance("00:00:00.000") + 16, col("status"): 52, col("latency"): 72,
                    col("rule"): 110, col("endpoint"): 72, col("user"): 70, col("path"): 130, col("query"): 150,
                    col("scene"): 150, col("identity"): 120, col("timestamp"): 140, col("appid"): 150,
                    col("version"): 70, col("size"): 70},
            order=[col(c) for c in ("time", "status", "latency", "rule", "endpoint", "user", "path", "query",
                                    "scene", "identity", "timestamp", "size", "appid", "version")],
            hidden=[col("appid"), col("version")])
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)

        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("requestDetail")
        self.detail.setReadOnly(True)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setPlaceholderText(self.tr("Select a request to see it raw, with its response."))

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.show_secrets)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.model.rowsInserted.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self._update_count()

    def add(self, records: Sequence[RequestLog]) -> None:
        bar = self.table.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 2
        self.model.append(records)
        if follow:
            self.table.scrollToBottom()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n request(s)", "", self.model.rowCount()))

    def _toggle_secrets(self, show: bool) -> None:
        self.model.set_show_secrets(show)
        self._show_detail(self.table.currentIndex())

    def _show_detail(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.detail.clear()
            return
        record = self.model.record(self.proxy.mapToSource(index).row())
        self.detail.setPlainText(describe(record, self.show_secrets.isChecked()))
