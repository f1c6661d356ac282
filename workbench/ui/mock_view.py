"""The Mock server tab: where it listens, start/stop, users and token checks, rules, live log."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.protocol import is_loopback_host
from workbench.core.redact import mask_secret
from workbench.mockserver.server import MockUser
from workbench.services import Services
from workbench.ui.elided_label import ElidedLabel
from workbench.ui.request_log import RequestLogView
from workbench.ui.rules_editor import RulesEditor
from workbench.ui.theme import toned_label


class TokenDelegate(QStyledItemDelegate):
    """Shows a token masked (its last four characters) and edits it as a password field, unless
    ``shown``: the table keeps the real value, only what is drawn changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown = False

    def displayText(self, value: object, locale: QLocale | QLocale.Language) -> str:  # noqa: N802
        text = "" if value is None else str(value)
        return text if self.shown else mask_secret(text)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and not self.shown:
            editor.setEchoMode(QLineEdit.EchoMode.Password)
        return editor


class UsersEditor(QWidget):
    """Simulated users with their valid tokens, and how the server treats a bad or missing one."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = services.mock_config
        self.token_check = QCheckBox(self.tr("Check tokens and codes; on failure answer with status"))
        self.token_check.setChecked(self.config.token_check)
        self.auth_status = QSpinBox()
        self.auth_status.setRange(200, 599)  # final statuses only (the settings schema)
        self.auth_status.setValue(self.config.auth_status)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([self.tr("User"), self.tr("Valid token"), self.tr("openid")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.token_delegate = TokenDelegate(self.table)
        self.table.setItemDelegateForColumn(1, self.token_delegate)
        self.show_tokens = QCheckBox(self.tr("Show tokens"))
        self.show_tokens.setObjectName("showUserTokens")
        self.add_button = QPushButton(self.tr("Add user"))
        self.remove_button = QPushButton(self.tr("Remove user"))
        top = QHBoxLayout()
        top.addWidget(self.token_check)
        top.addWidget(self.auth_status)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_tokens)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._fill()
        self.token_check.toggled.connect(lambda on: setattr(self.config, "token_check", on))
        self.auth_status.valueChanged.connect(lambda v: setattr(self.config, "auth_status", v))
        self.token_check.toggled.connect(self.changed)
        self.auth_status.valueChanged.connect(self.changed)
        self.table.itemChanged.connect(self._edited)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.show_tokens.toggled.connect(self._show_tokens)

    def _fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.config.users))
        for row, user in enumerate(self.config.users):
            for col, value in enumerate((user.name, user.token, user.openid)):
                item = QTableWidgetItem(value)
                if col == 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)

    def _show_tokens(self, show: bool) -> None:
        self.token_delegate.shown = show
        self.table.viewport().update()

    def _edited(self, item: QTableWidgetItem) -> None:
        user = self.config.users[item.row()]
        if item.column() == 0 and item.text().strip():
            user.name = item.text().strip()
        elif item.column() == 1:
            user.token = item.text().strip()
        self.changed.emit()

    def _add(self) -> None:
        n = len(self.config.users) + 1
        self.config.users.append(MockUser(f"user{n}", f"token-user{n}"))
        self._fill()
        self.changed.emit()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.config.users):
            del self.config.users[row]
            self._fill()
            self.changed.emit()


class MockServerView(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        ms = services.mock_settings

        self.host = QComboBox()
        self.host.setObjectName("mockHost")
        self.host.setEditable(True)
        self.host.addItems(["127.0.0.1", "localhost", "::1", "0.0.0.0"])
        self.host.setCurrentText(ms.host)
        self.host.setToolTip(self.tr("127.0.0.1 keeps the server on this machine. 0.0.0.0 opens it to your network."))
        self.port = QSpinBox()
        self.port.setObjectName("mockPort")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText(self.tr("any free"))
        self.port.setValue(ms.port)
        self.tls = QCheckBox(self.tr("HTTPS (local certificate)"))
        self.tls.setChecked(ms.tls)
        self.autostart = QCheckBox(self.tr("Start when the app opens"))
        self.autostart.setChecked(ms.autostart)
        self.start_button = QPushButton()
        self.start_button.setObjectName("mockStartStop")
        self.url_label = ElidedLabel()
        self.url_label.setObjectName("mockUrl")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy URL"))
        self.warning = toned_label("mockWarning", "warning")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Host")))
        bar.addWidget(self.host)
        bar.addWidget(QLabel(self.tr("Port")))
        bar.addWidget(self.port)
        bar.addWidget(self.tls)
        bar.addWidget(self.start_button)
        bar.addWidget(self.url_label, 1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.autostart)

        self.rules_editor = RulesEditor(services.mock_rules)
        self.users_editor = UsersEditor(services)
        left = QTabWidget()
        left.addTab(self.rules_editor, self.tr("Rules"))
        left.addTab(self.users_editor, self.tr("Users and tokens"))
        self.log_view = RequestLogView()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.log_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.warning)
        layout.addWidget(splitter, 1)

        self.start_button.clicked.connect(self._toggle)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url_label.text()))
        self.host.currentTextChanged.connect(self._update_warning)
        self.autostart.toggled.connect(self._set_autostart)
        services.mockStateChanged.connect(self._state_changed)
        services.mockRequestsLogged.connect(self.log_view.add)
        self.rules_editor.changed.connect(services.mock_edited)
        self.users_editor.changed.connect(services.mock_edited)
        self._state_changed(services.mock_base_url())

    def _set_autostart(self, on: bool) -> None:
        if not self.services.mock_settings.update(autostart=on):  # a read-only window: refused, said
            self.autostart.blockSignals(True)
            self.autostart.setChecked(not on)
            self.autostart.blockSignals(False)

    def _update_warning(self) -> None:
        host = self.host.currentText().strip()
        if host and not is_loopback_host(host):
            self.warning.setText(self.tr("Listening on %1 makes the mock server reachable from other machines; "
                                         "it has no access control.").replace("%1", host))
        else:
            self.warning.clear()
        self.warning.setVisible(bool(self.warning.text()))

    def _state_changed(self, url: str) -> None:
        running = bool(url)
        self.start_button.setText(self.tr("Stop") if running else self.tr("Start"))
        self.url_label.setText(self.services.mock_url("main") or self.tr("stopped"))
        self.copy_button.setEnabled(running)
        for widget in (self.host, self.port, self.tls):
            widget.setEnabled(not running)
        self._update_warning()

    def _toggle(self) -> None:
        self.start_button.setEnabled(False)
        self.services.spawn(self._toggle_async())

    async def _toggle_async(self) -> None:
        try:
            if self.services.mock_base_url():
                await self.services.stop_mock()
                self.services.notify(self.tr("Mock server stopped"))
            else:
                url = await self.services.start_mock(self.host.currentText().strip() or "127.0.0.1",
                                                     self.port.value(), self.tls.isChecked())
                self.services.notify(self.tr("Mock server running at %1").replace("%1", url))
        except WorkbenchError as exc:
            self.services.notify(str(exc))
            self.warning.setText(str(exc))
            self.warning.setVisible(True)
        finally:
            self.start_button.setEnabled(True)
