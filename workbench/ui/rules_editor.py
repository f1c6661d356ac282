"""Edit the mock server's response rules while it runs: a list in match order and a form.

Every edit writes straight into the live :class:`RuleSet`, so it applies to the next request.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import InvalidInput
from workbench.core.protocol import SCENES, parse_scene
from workbench.mockserver.rules import (
    MAX_DELAY_MS,
    MAX_NAME_CHARS,
    PLACEHOLDERS,
    Endpoint,
    Fault,
    Rule,
    RuleSet,
    TokenState,
    check_rule,
)
from workbench.ui.texts import endpoint_text, scene_label
from workbench.ui.theme import toned_label

Index = QModelIndex | QPersistentModelIndex


class RulesModel(QAbstractListModel):
    """The rules in match order, the default rule last (it cannot move or be removed)."""

    def __init__(self, rules: RuleSet, parent: Any = None) -> None:
        super().__init__(parent)
        self.rules = rules

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rules.rules) + 1

    def rule(self, row: int) -> Rule:
        return self.rules.rules[row] if row < len(self.rules.rules) else self.rules.default

    def is_default(self, row: int) -> bool:
        return row == len(self.rules.rules)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rule = self.rule(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            prefix = "" if self.is_default(index.row()) else f"{index.row() + 1}. "
            suffix = "" if rule.enabled else self.tr(" (off)")
            return f"{prefix}{rule.name}{suffix} → {rule.status}"
        if role == Qt.ItemDataRole.ToolTipRole and self.is_default(index.row()):
            return self.tr("The default rule answers every request no other rule matches.")
        return None

    def refresh(self, row: int) -> None:
        self.dataChanged.emit(self.index(row), self.index(row))

    def insert(self, row: int, rule: Rule) -> None:
        row = min(row, len(self.rules.rules))
        self.beginInsertRows(QModelIndex(), row, row)
        self.rules.rules.insert(row, rule)
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if self.is_default(row):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rules.rules[row]
        self.endRemoveRows()

    def move(self, row: int, delta: int) -> int:
        target = row + delta
        if self.is_default(row) or not 0 <= target < len(self.rules.rules):
            return row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + (1 if delta > 0 else 0))
        rules = self.rules.rules
        rules[row], rules[target] = rules[target], rules[row]
        self.endMoveRows()
        return target


class RuleForm(QWidget):
    """The fields of one rule. Valid edits go to the rule at once; invalid ones say why.

    The form is validated as a whole with the rules schema (the one a rules file goes through): a
    rule that would not validate is never applied, so the live rule the server reads stays the
    last valid one while the error is shown under the form.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rule: Rule | None = None
        self._loading = False

        self.name = QLineEdit()
        self.enabled = QCheckBox(self.tr("Enabled"))
        self.endpoint = self._combo([("", self.tr("any")), *((e.value, endpoint_text(e.value)) for e in Endpoint)])
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("any; wildcards * and ?, e.g. pages/detail/*"))
        self.query_keys = QLineEdit()
        self.query_keys.setPlaceholderText(self.tr("any; keys that must be in the launch query, e.g. id, from"))
        self.scene = QComboBox()
        self.scene.setEditable(True)
        self.scene.addItem(self.tr("any"), "")
        for number in SCENES:
            self.scene.addItem(scene_label(number), str(number))
        self.token = self._combo([("", self.tr("any valid")),
                                  (TokenState.VALID.value, self.tr("valid token or code")),
                                  (TokenState.INVALID.value, self.tr("invalid token or code")),
                                  (TokenState.MISSING.value, self.tr("no token or code"))])
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("any"))

        self.status = QSpinBox()
        self.status.setRange(200, 599)  # final statuses only, as the schema says
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("Content-Type: application/json")
        self.headers.setMaximumHeight(70)
        self.body = QPlainTextEdit()
        self.body.setObjectName("ruleBody")
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body.setToolTip(self.tr("Placeholders: %1. {{name|json}} inserts a JSON string; "
                                     "{{json_bytes:262144}} makes exactly that many bytes of JSON.")
                             .replace("%1", ", ".join("{{" + p + "}}" for p in PLACEHOLDERS)))
        self.delay = QSpinBox()
        self.delay.setRange(0, MAX_DELAY_MS)
        self.delay.setSuffix(" ms")
        self.delay.setSingleStep(100)
        self.fault = self._combo([(Fault.NONE.value, self.tr("none")),
                                  (Fault.DROP.value, self.tr("drop the connection")),
                                  (Fault.STALL.value, self.tr("stall (headers, then nothing)")),
                                  (Fault.TRUNCATE.value, self.tr("truncate the body"))])
        self.error = toned_label("ruleError", "error")

        match = QGroupBox(self.tr("When the request matches"))
        mf = QFormLayout(match)
        mf.addRow(self.tr("Endpoint"), self.endpoint)
        mf.addRow(self.tr("Page path"), self.path)
        mf.addRow(self.tr("Query keys"), self.query_keys)
        mf.addRow(self.tr("Scene"), self.scene)
        mf.addRow(self.tr("Token"), self.token)
        mf.addRow(self.tr("User"), self.user)
        self.match_box = match
        respond = QGroupBox(self.tr("Respond with"))
        rf = QFormLayout(respond)
        rf.addRow(self.tr("Status"), self.status)
        rf.addRow(self.tr("Headers"), self.headers)
        rf.addRow(self.tr("Body"), self.body)
        rf.addRow(self.tr("Delay"), self.delay)
        rf.addRow(self.tr("Fault"), self.fault)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Name")))
        top.addWidget(self.name, 1)
        top.addWidget(self.enabled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(match)
        layout.addWidget(respond, 1)
        layout.addWidget(self.error)

        for widget in (self.name, self.path, self.query_keys, self.user):
            widget.textEdited.connect(self._apply)
        for text_edit in (self.headers, self.body):
            text_edit.textChanged.connect(self._apply)
        for combo in (self.endpoint, self.token, self.fault):
            combo.currentIndexChanged.connect(self._apply)
        self.scene.currentTextChanged.connect(self._apply)
        self.enabled.toggled.connect(self._apply)
        self.status.valueChanged.connect(self._apply)
        self.delay.valueChanged.connect(self._apply)
        self.setEnabled(False)

    @staticmethod
    def _combo(items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        for value, text in items:
            combo.addItem(text, value)
        return combo

    def load(self, rule: Rule | None, is_default: bool) -> None:
        self._rule = None
        self._loading = True
        try:
            self.setEnabled(rule is not None)
            if rule is None:
                return
            self.name.setText(rule.name)
            self.enabled.setChecked(rule.enabled)
            self.endpoint.setCurrentIndex(max(0, self.endpoint.findData(rule.endpoint)))
            self.path.setText(rule.path)
            self.query_keys.setText(", ".join(rule.query_keys))
            index = self.scene.findData("" if rule.scene is None else str(rule.scene))
            if index >= 0:
                self.scene.setCurrentIndex(index)
            else:
                self.scene.setEditText(str(rule.scene))
            self.token.setCurrentIndex(max(0, self.token.findData(rule.token)))
            self.user.setText(rule.user)
            self.status.setValue(rule.status)
            self.headers.setPlainText("\n".join(f"{k}: {v}" for k, v in rule.headers))
            self.body.setPlainText(rule.body)
            self.delay.setValue(rule.delay_ms)
            self.fault.setCurrentIndex(max(0, self.fault.findData(rule.fault)))
            self.error.clear()
            # the default rule matches everything: only its response is editable
            self.match_box.setEnabled(not is_default)
            self.name.setEnabled(not is_default)
            self.enabled.setEnabled(not is_default)
        finally:
            self._loading = False
            self._rule = rule

    def _scene_value(self) -> int | None:
        data = self.scene.currentData()
        text = self.scene.currentText().strip()
        if data is not None and self.scene.itemText(self.scene.currentIndex()) == text:
            return parse_scene(data)
        return parse_scene(text.split("·")[0].strip())

    def _headers_value(self) -> list[tuple[str, str]]:
        out = []
        for number, line in enumerate(self.headers.toPlainText().splitlines(), 1):
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            if not sep or not name.strip():
                raise InvalidInput(self.tr("Header line %1 must look like 'Name: value'.").replace("%1", str(number)))
            out.append((name.strip(), value.strip()))
        return out

    def _apply(self) -> None:
        rule = self._rule
        if rule is None or self._loading:
            return
        try:
            scene = self._scene_value()
            headers = self._headers_value()
        except InvalidInput as exc:
            self.error.setText(str(exc))
            return
        edited = {
            "name": self.name.text().strip() or rule.name,
            "enabled": self.enabled.isChecked(),
            "endpoint": self.endpoint.currentData(),
            "path": self.path.text().strip(),
            "query_keys": [k.strip() for k in self.query_keys.text().split(",") if k.strip()],
            "token": self.token.currentData(),
            "user": self.user.text().strip(),
            "status": self.status.value(),
            "headers": [[name, value] for name, value in headers],
            "body": self.body.toPlainText(),
            "delay_ms": self.delay.value(),
            "fault": self.fault.currentData(),
        }
        if scene is not None:
            edited["scene"] = scene
        valid, error = check_rule(edited)
        if valid is None:
            self.error.setText(error)  # the live rule keeps its last valid values
            return
        self.error.clear()
        rule.assign(valid)
        self.edited.emit()


class RulesEditor(QWidget):
    """The rule list with add / duplicate / remove / move, and the form of the selected rule."""

    #: Any rule changed, was added, removed or moved.
    changed = Signal()

    def __init__(self, rules: RuleSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RulesModel(rules, self)
        self.list = QListView(self)
        self.list.setObjectName("rulesList")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMaximumHeight(140)
        self.form = RuleForm(self)
        self.add_button = QPushButton(self.tr("Add"))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.up_button = QPushButton(self.tr("Up"))
        self.down_button = QPushButton(self.tr("Down"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.duplicate_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        hint = QLabel(self.tr("The first matching rule answers, top to bottom. Edits apply to the next request."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        # the form is taller than a 720 px window leaves it: it scrolls instead of growing the window
        self.form_scroll = QScrollArea(self)
        self.form_scroll.setObjectName("ruleFormScroll")
        self.form_scroll.setWidget(self.form)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(self.form_scroll, 1)

        self.list.selectionModel().currentRowChanged.connect(self._select)
        self.form.edited.connect(lambda: self.model.refresh(self.current_row()))
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved, self.model.rowsMoved):
            signal.connect(self.changed)
        self.add_button.clicked.connect(self.add_rule)
        self.duplicate_button.clicked.connect(self.duplicate_rule)
        self.remove_button.clicked.connect(self.remove_rule)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.select(self.model.rowCount() - 1)

    def current_row(self) -> int:
        return self.list.currentIndex().row()

    def select(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row))

    def _select(self, index: QModelIndex) -> None:
        row = index.row()
        valid = index.isValid()
        self.form.load(self.model.rule(row) if valid else None, valid and self.model.is_default(row))
        default = valid and self.model.is_default(row)
        self.remove_button.setEnabled(valid and not default)
        self.up_button.setEnabled(valid and not default and row > 0)
        self.down_button.setEnabled(valid and not default and row < self.model.rowCount() - 2)

    def add_rule(self) -> None:
        row = len(self.model.rules.rules)
        self.model.insert(row, Rule(name=self.tr("rule %1").replace("%1", str(row + 1))))
        self.select(row)

    def duplicate_rule(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        source = self.model.rule(row)
        copy = Rule.from_json({**source.to_json(), "name": (source.name + self.tr(" copy"))[:MAX_NAME_CHARS]})
        target = min(row + 1, len(self.model.rules.rules))
        self.model.insert(target, copy)
        self.select(target)

    def remove_rule(self) -> None:
        row = self.current_row()
        self.model.remove(row)
        self.select(min(row, self.model.rowCount() - 1))

    def _move(self, delta: int) -> None:
        self.select(self.model.move(self.current_row(), delta))
