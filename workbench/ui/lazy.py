"""A placeholder that builds its widget when first shown: what the first screen does not show
costs nothing at start-up (pyqtgraph's import alone is about a third of a second)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyWidget(QWidget):
    """Holds the place of ``factory()``'s widget; builds it on the first show or on ``widget()``."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory: Callable[[], QWidget] | None = factory
        self._widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def is_built(self) -> bool:
        return self._widget is not None

    def widget(self) -> QWidget:
        """The real widget, built now if it was not yet."""
        if self._widget is None:
            assert self._factory is not None
            factory, self._factory = self._factory, None
            self._widget = factory()
            layout = self.layout()
            assert layout is not None  # made in __init__
            layout.addWidget(self._widget)
            if self.isVisible():
                self._widget.show()  # at once, not on the next turn of the event loop
        return self._widget

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.widget()
        super().showEvent(event)
