"""The Check server dialog: what to check, a table of results, and from a failed check to its
request in the history. The run itself belongs to the CheckWorkflow; this only renders it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.check import (
    CHECK_TEMPLATES,
    CHECK_TITLES,
    DEFAULT_BUDGET_MS,
    DEFAULT_REQUESTS,
    MAX_REQUESTS,
    WHO,
    CheckOptions,
    CheckResult,
    Why,
)
from workbench.core.errors import InvalidInput
from workbench.ui import theme
from workbench.ui.table_model import ColumnTableModel, Index
from workbench.ui.texts import reason_text
from workbench.workflows.check import CheckWorkflow

# The role holding the history id of the request that shows a check's outcome (int, or None).
HistoryIdRole = Qt.ItemDataRole.UserRole + 1


def why_text(why: Why) -> str:
    """A check's sentence in the user's language, quoting reasons and inner steps the same way."""
    args = dict(why.args)
    if why.reason is not None:
        args["reason"] = reason_text(why.reason)
    if why.inner is not None:
        args["inner"] = why_text(why.inner)
    if why.who:
        args["who"] = QCoreApplication.translate("Checks", WHO[why.who])
    try:
        return QCoreApplication.translate("Checks", CHECK_TEMPLATES[why.key]).format(**args)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field: say it in English
        return why.message


def title_text(name: str) -> str:
    title = CHECK_TITLES.get(name)
    return QCoreApplication.translate("Checks", title) if title else name


class CheckResultsModel(ColumnTableModel):
    """One row per decided check: result, check, why."""

    COLUMNS = ("result", "check", "detail")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CheckResult] = []
        self._headers = {"result": self.tr("Result"), "check": self.tr("Check"), "detail": self.tr("Why")}

    def result(self, row: int) -> CheckResult:
        return self._rows[row]

    def add(self, result: CheckResult) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(result)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def counts(self) -> dict[str, int]:
        return {"passed": sum(r.passed and not r.skipped for r in self._rows),
                "failed": sum(not r.passed for r in self._rows),
                "skipped": sum(r.skipped for r in self._rows)}

    def _result_text(self, r: CheckResult) -> str:
        if r.skipped:
            return self.tr("Not run")
        return self.tr("Passed") if r.passed else self.tr("Failed")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "result":
                return self._result_text(r)
            return title_text(r.name) if column == "check" else why_text(r.why)
        if role == Qt.ItemDataRole.ForegroundRole and column == "result":
            return theme.color("skip" if r.skipped else ("ok" if r.passed else "error"))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = why_text(r.why)
            if r.focus_id is not None:
                tip += "\n" + self.tr("Double-click to open request #%1 in the history.").replace("%1", str(r.focus_id))
            return tip
        if role == HistoryIdRole:
            return r.focus_id
        return None


class CheckDialog(QDialog):
    """Tools > Check server…: the checks of `prepull-workbench check`, with a result table."""

    # carries the id of the history entry the user wants to see (the request behind a check)
    showHistory = Signal(int)

    def __init__(self, workflow: CheckWorkflow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow = workflow
        self.setWindowTitle(self.tr("Check server"))
        self.setObjectName("checkDialog")
        self.resize(900, 600)

        self.url = self._line("checkUrl", self.tr("https://api.example.com/prefetch"))
        self.appid = self._line("checkAppid", "wx0123456789abcdef")
        self.token = self._line("checkToken", self.tr("a token the server accepts"))
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_token = QCheckBox(self.tr("Show"))
        self.code_exchange = self._line("checkCodeExchange", self.tr("optional: code2session stand-in, e.g. the "
                                                                     "mock's /sns/jscode2session"))
        self.code_exchange.setToolTip(self.tr(
            "The code2session address your server redeems login codes at during the check. The check gets a "
            "fresh code from it, sends a launch with it, and confirms that the server redeemed it (P4, P6)."))
        self.gray_url = self._line("checkGrayUrl", self.tr("optional: checked with the same contract (P25)"))
        self.periodic_url = self._line("checkPeriodicUrl", self.tr("optional: appid, token and timestamp only "
                                                                   "(P21)"))
        self.requests = QSpinBox()
        self.requests.setObjectName("checkRequests")
        self.requests.setRange(1, MAX_REQUESTS)
        self.requests.setValue(DEFAULT_REQUESTS)
        self.budget = QSpinBox()
        self.budget.setObjectName("checkBudget")
        self.budget.setRange(1, 600_000)
        self.budget.setValue(int(DEFAULT_BUDGET_MS))
        self.budget.setSuffix(self.tr(" ms"))

        self.run_button = QPushButton(self.tr("Run checks"))
        self.run_button.setObjectName("runChecks")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.show_button = QPushButton(self.tr("Show request"))
        self.show_button.setObjectName("showRequest")
        self.show_button.setToolTip(self.tr("Open the request behind the selected check in the history"))
        self.show_button.setEnabled(False)
        self.summary = QLabel()
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        self.error = theme.toned_label("checkError", "error", hidden=True)

        self.model = CheckResultsModel(self)
        self.table = QTableView()
        self.table.setObjectName("checkTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # rows as tall as their wrapped sentence, recomputed when the dialog is resized
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        form = QFormLayout()
        form.addRow(self.tr("Address"), self.url)
        form.addRow(self.tr("Appid"), self.appid)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.show_token)
        form.addRow(self.tr("Token"), token_row)
        form.addRow(self.tr("Code exchange"), self.code_exchange)
        form.addRow(self.tr("Gray address"), self.gray_url)
        form.addRow(self.tr("Periodic address"), self.periodic_url)
        numbers = QHBoxLayout()
        numbers.addWidget(QLabel(self.tr("Latency over")))
        numbers.addWidget(self.requests)
        numbers.addWidget(QLabel(self.tr("requests, p95 budget")))
        numbers.addWidget(self.budget)
        numbers.addStretch(1)
        form.addRow(numbers)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.show_token.toggled.connect(lambda on: self.token.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(workflow.cancel)
        self.show_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._update_show(current.row()))
        workflow.started.connect(self._started)
        workflow.resultReady.connect(self._result)
        workflow.finished.connect(self._finished)
        workflow.failed.connect(self._failed)

    @staticmethod
    def _line(name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.setClearButtonEnabled(True)
        return line

    def fill(self, values: Mapping[str, Any]) -> None:
        """Start from these values (keys as CheckOptions' fields); the user edits from there."""
        for key, line in (("url", self.url), ("appid", self.appid), ("token", self.token),
                          ("code_exchange_url", self.code_exchange), ("gray_url", self.gray_url),
                          ("periodic_url", self.periodic_url)):
            if values.get(key):
                line.setText(str(values[key]))
        if values.get("requests"):
            self.requests.setValue(int(values["requests"]))
        if values.get("budget_ms"):
            self.budget.setValue(int(values["budget_ms"]))

    def options(self) -> CheckOptions:
        """The form as checked options; raises InvalidInput with the sentence to show."""
        def optional(line: QLineEdit) -> str | None:
            return line.text().strip() or None

        if not self.url.text().strip():
            raise InvalidInput(self.tr("Enter the address of the server to check."))
        return CheckOptions(url=self.url.text(), appid=self.appid.text(), token=self.token.text(),
                            code_exchange_url=optional(self.code_exchange), gray_url=optional(self.gray_url),
                            periodic_url=optional(self.periodic_url), requests=self.requests.value(),
                            budget_ms=float(self.budget.value()), settings=self.workflow.services.settings)

    def run(self) -> Any:
        try:
            options = self.options()
        except InvalidInput as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.error.clear()
        self.error.hide()
        return self.workflow.start(options)

    def open_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        history_id = self.model.index(row, 0).data(HistoryIdRole)
        if history_id is not None:
            self.showHistory.emit(int(history_id))

    def _update_show(self, row: int) -> None:
        ok = 0 <= row < self.model.rowCount() and self.model.index(row, 0).data(HistoryIdRole) is not None
        self.show_button.setEnabled(ok)

    # -- workflow signals ----------------------------------------------------------------

    def _started(self) -> None:
        self.model.clear()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.show_button.setEnabled(False)
        self.summary.setText(self.tr("Checking…"))

    def _result(self, result: CheckResult) -> None:
        self.model.add(result)

    def _finished(self, results: list[CheckResult]) -> None:
        self._idle()
        c = self.model.counts()
        self.summary.setText(self.tr("%1 passed, %2 failed, %3 not run.").replace("%1", str(c["passed"]))
                             .replace("%2", str(c["failed"])).replace("%3", str(c["skipped"])))
        failed = next((row for row, r in enumerate(results) if not r.passed), None)
        if failed is not None:
            self.table.selectRow(failed)

    def _failed(self, message: str) -> None:
        self._idle()
        self.summary.setText(message)

    def _idle(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
