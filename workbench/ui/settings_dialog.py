"""The Settings dialog: every protocol assumption of the workspace, each with the rule it stands for."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import InvalidInput
from workbench.core.workspace import PROTOCOL_FIELDS, ProtocolConfig
from workbench.ui.theme import toned_label
from workbench.workflows.document import WorkspaceDocument


class SettingsDialog(QDialog):
    """Shows the workspace's [protocol] section; OK writes the changes into the workspace."""

    def __init__(self, document: WorkspaceDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings of %1").replace("%1", document.name))
        labels = {
            "timestamp_unit": self.tr("Unit of the timestamp parameter"),
            "timeout_s": self.tr("Timeout"),
            "follow_redirects": self.tr("Follow redirects"),
            "require_2xx": self.tr("Only a 2xx status is cached"),
            "body_limit_bytes": self.tr("Largest cached body"),
            "periodic_interval_h": self.tr("Periodic update interval"),
            "periodic_usage_window_days": self.tr("Periodic updates only for users active within"),
            "periodic_expiry_h": self.tr("Periodic data expires after"),
            "accept_encoding": self.tr("Accept-Encoding request header"),
            "limit_applies_to": self.tr("The body limit counts"),
            "user_agent": self.tr("User-Agent request header"),
        }
        protocol = document.doc.protocol
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for key, rule, _label in PROTOCOL_FIELDS:
            editor = self._editor(key, getattr(protocol, key))
            editor.setObjectName(f"setting_{key}")
            editor.setToolTip(self.tr("Rule %1 of the protocol; the documentation is silent here, so this "
                                      "is an assumption you can change.").replace("%1", rule))
            self.editors[key] = editor
            form.addRow(f"{labels[key]} ({rule})", editor)
        intro = QLabel(self.tr("WeChat's public documentation leaves these open; the workbench assumes the "
                               "defaults below. They are saved in the workspace file, so your team shares them."))
        intro.setWordWrap(True)
        self.error = toned_label("settingsError", "error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _choices(self, key: str) -> list[tuple[str, str]] | None:
        """The (label, value) choices of a setting that takes one of a few values, else None."""
        return {
            "accept_encoding": [(self.tr("identity (the body travels as it is)"), "identity"),
                                ("gzip", "gzip"), ("gzip, deflate", "gzip, deflate")],
            "limit_applies_to": [(self.tr("the decoded body (the cached string)"), "decoded"),
                                 (self.tr("the bytes received (before decoding)"), "wire")],
            "timestamp_unit": [(self.tr("milliseconds"), "ms"), (self.tr("seconds"), "s")],
        }.get(key)

    def _editor(self, key: str, value: Any) -> QWidget:
        choices = self._choices(key)
        if choices is not None:
            box = QComboBox()
            for label, data in choices:
                box.addItem(label, data)
            box.setCurrentIndex(box.findData(value))
            return box
        if key == "user_agent":
            line = QLineEdit(str(value))
            line.setPlaceholderText(self.tr("the workbench's own"))
            return line
        if isinstance(value, bool):
            check = QCheckBox()
            check.setChecked(value)
            return check
        if key == "body_limit_bytes":
            spin = QSpinBox()
            spin.setRange(0, 64 * 1024 * 1024)
            spin.setGroupSeparatorShown(True)
            spin.setSuffix(self.tr(" bytes"))
            spin.setValue(int(value))
            return spin
        dspin = QDoubleSpinBox()
        dspin.setDecimals(2)
        if key == "timeout_s":
            dspin.setRange(0.01, 600)
            dspin.setSuffix(self.tr(" s"))
        elif key == "periodic_usage_window_days":
            dspin.setRange(0.01, 3650)
            dspin.setSuffix(self.tr(" days"))
        else:
            dspin.setRange(0 if key == "periodic_expiry_h" else 0.01, 24 * 365)
            dspin.setSuffix(self.tr(" h"))
            if key == "periodic_expiry_h":
                dspin.setSpecialValueText(self.tr("never"))
        dspin.setValue(float(value))
        return dspin

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif isinstance(editor, QLineEdit):
                out[key] = editor.text().strip()
            elif isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QDoubleSpinBox):
                out[key] = float(editor.value())
        return out

    def restore_defaults(self) -> None:
        defaults = ProtocolConfig()
        for key, editor in self.editors.items():
            value = getattr(defaults, key)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(editor.findData(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(value)
            elif isinstance(editor, QCheckBox):
                editor.setChecked(value)
            elif isinstance(editor, QSpinBox | QDoubleSpinBox):
                editor.setValue(value)

    def accept(self) -> None:
        values = self.values()
        try:
            # what the core itself refuses too (a line break in a header), before anything changes
            merged = {**self.document.doc.protocol.model_dump(), **values}
            ProtocolConfig.model_validate(merged).to_settings()
            self.document.edit("protocol", **values)
        except ValidationError as exc:
            self.error.setText(str(exc.errors()[0].get("msg", exc)))
            return
        except InvalidInput as exc:
            self.error.setText(str(exc))
            return
        super().accept()
