"""Splitters keep the sizes the user dragged them to across restarts (QSettings: a machine thing),
as tables keep their columns (table_layout.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QObject, QSettings
from PySide6.QtWidgets import QSplitter


def settings_key(splitter: QSplitter) -> str:
    return f"splitters/{splitter.objectName()}/state"


class SplitterLayout(QObject):
    """Gives ``splitter`` its default ``sizes``, then the saved ones if there are; saves each move."""

    def __init__(self, splitter: QSplitter, sizes: Sequence[int]) -> None:
        super().__init__(splitter)
        if not splitter.objectName():
            raise ValueError("a splitter whose sizes are kept needs an objectName")
        self.splitter = splitter
        splitter.setSizes(list(sizes))
        self.restore()
        splitter.splitterMoved.connect(self.save)

    def save(self) -> None:
        QSettings().setValue(settings_key(self.splitter), self.splitter.saveState())

    def restore(self) -> bool:
        state = QSettings().value(settings_key(self.splitter))
        return isinstance(state, QByteArray) and self.splitter.restoreState(state)
