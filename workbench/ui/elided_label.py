"""A one-line label that never widens its window: long text is cut with "…" and shown whole in a
tooltip. Status lines that grow (the periodic clock, a rollout, a path) use it instead of QLabel."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: The narrowest an elided label asks for: room for a few characters and the ellipsis.
MIN_CHARS = 8


class ElidedLabel(QLabel):
    """A QLabel whose ``text()`` stays whole while what is drawn is cut to the width it gets.

    Its minimum width is a few characters, so a layout may shrink it instead of growing the
    window; its size hint is the whole text, so it takes the room it needs when there is some.
    The tooltip shows the whole text while it is cut (an explicit tooltip set by the caller wins).
    """

    def __init__(self, text: str = "", parent: QWidget | None = None,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._mode = mode
        self._own_tip = ""  # a tooltip the caller set, shown instead of ours
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self._update_tip()
        self.updateGeometry()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt API)
        self._own_tip = tip
        super().setToolTip(tip)

    def is_elided(self) -> bool:
        """True while the text is wider than the label (what is drawn ends with "…")."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def displayed_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), self._mode, max(0, self.contentsRect().width()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        fm = self.fontMetrics()
        margins = self.contentsMargins()
        return QSize(fm.horizontalAdvance("x" * MIN_CHARS) + margins.left() + margins.right(),
                     super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        margins = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right() + 2,
                     super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        role = QPalette.ColorRole.WindowText
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                                  self.palette(), self.isEnabled(), self.displayed_text(), role)

    def _update_tip(self) -> None:
        if self._own_tip:
            return
        QLabel.setToolTip(self, self.text() if self.is_elided() else "")


def breakable(text: str, longest: int = 32) -> str:
    """``text`` with invisible break points (U+200B) after / ? & = in words longer than ``longest``,
    so a word-wrapped label wraps a long URL instead of widening its window."""
    words = []
    for word in text.split(" "):
        if len(word) > longest:
            for mark in "/?&=":
                word = word.replace(mark, mark + "\u200b")
        words.append(word)
    return " ".join(words)


def fits_any_width(label: QLabel) -> QLabel:
    """A word-wrapped label whose minimum width the layout ignores (it wraps or clips instead)."""
    label.setWordWrap(True)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)
    return label
