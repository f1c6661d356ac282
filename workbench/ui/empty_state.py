"""What an empty table says: instead of blank rows, one centred sentence on what will appear
there and how to get it (a first-run user sees what to do in every view)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

from workbench.ui.theme import set_tone


class EmptyState(QObject):
    """Shows ``text()`` over ``view`` while its model has no rows; follows the model and the size."""

    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        super().__init__(view)
        self.view = view
        self.text = text
        self.label = QLabel(view.viewport())
        self.label.setObjectName("emptyState")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        set_tone(self.label, "muted")
        self.label.setContentsMargins(24, 24, 24, 24)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.refresh)
        self.refresh()

    def is_shown(self) -> bool:
        return not self.label.isHidden()

    def refresh(self, *_args: object) -> None:
        empty = self.view.model().rowCount() == 0
        if empty:
            self.label.setText(self.text())
            self.label.setGeometry(self.view.viewport().rect())
        self.label.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.label.setGeometry(self.view.viewport().rect())
        return False
