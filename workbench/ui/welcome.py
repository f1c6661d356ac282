"""The first-run tour: a short, non-modal Welcome dialog that says what each tab is for and what to
do first. It opens once per machine (QSettings ``welcome/seen``) and again from Help › Welcome Tour."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.elided_label import fits_any_width
from workbench.ui.theme import set_tone

#: QSettings keys (machine things, not the workspace's): the tour was shown on this machine; the
#: user asked to see it at every start.
SEEN_KEY = "welcome/seen"
ALWAYS_KEY = "welcome/always"


def due_at_start() -> bool:
    """True on this machine's first start, and at every start if the user asked for that."""
    settings = QSettings()
    return not bool(settings.value(SEEN_KEY, False, type=bool)) or bool(settings.value(ALWAYS_KEY, False, type=bool))


class WelcomeDialog(QDialog):
    """What each tab is for, with a button that opens it; ``open_tab(index)`` is the window's."""

    def __init__(self, open_tab: Callable[[int], None], tab_names: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(self.tr("Welcome to Prepull Workbench"))
        self._open_tab = open_tab
        intro = fits_any_width(QLabel(self.tr(
            "Prepull Workbench plays WeChat's part in data pre-pull on your machine: it sends the request a "
            "WeChat client would send, caches the answer by WeChat's rules, and shows what the Mini Program "
            "would read, or why it would read nothing.")))
        steps = (
            self.tr("Compose a launch (page path, query, scene) and press Ctrl+Enter to send it. The answer "
                    "says whether it was cached, and if not, why."),
            self.tr("A live developer server on this machine answers the pre-pulls by its rules; its log shows "
                    "every request it got."),
            self.tr("Cold-start many simulated users under a gray-scale rollout and see where they went, how "
                    "fast, and what was cached."),
            self.tr("What wx.getBackgroundFetchData returns: simulate a cold start, periodic updates on a "
                    "simulated clock, and tokens."),
            self.tr("Every pre-pull, searchable: replay one, compare two, export them as HAR."),
        )
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.tab_buttons: list[QPushButton] = []
        for index, (name, text) in enumerate(zip(tab_names, steps, strict=False)):
            button = QPushButton(name)
            button.setToolTip(self.tr("Open the %1 tab (Ctrl+%2)").replace("%1", name).replace("%2", str(index + 1)))
            button.clicked.connect(lambda _=False, i=index: self._show(i))
            grid.addWidget(button, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(fits_any_width(QLabel(text)), index, 1)
            self.tab_buttons.append(button)
        first = fits_any_width(QLabel(self.tr(
            "To begin: the demo workspace is wired to the built-in mock server, so Ctrl+Enter in the Composer "
            "shows a whole round trip. F1 lists every keyboard shortcut; Help › Welcome Tour opens this again.")))
        set_tone(first, "info")
        self.show_again = QCheckBox(self.tr("Show this at every start"))
        self.show_again.setChecked(bool(QSettings().value(ALWAYS_KEY, False, type=bool)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(first)
        layout.addWidget(self.show_again)
        layout.addWidget(buttons)
        self.resize(620, 420)
        QSettings().setValue(SEEN_KEY, True)  # shown once: not again by itself, unless asked
        self.show_again.toggled.connect(lambda on: QSettings().setValue(ALWAYS_KEY, on))

    def _show(self, index: int) -> None:
        self._open_tab(index)  # the dialog stays open beside the window: the tour goes on
