"""Issue 12 item 10: light and dark themes follow the system; View › Theme overrides it.

Before, views wrote their colours in: "#555" text on "background: white", charts on a white
"w" background with black axes, red and green text picked for a white page. On a dark desktop
they were unreadable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from workbench.ui import theme
from workbench.ui.main_window import MainWindow
from workbench.ui.response_view import readable_on

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio."""
    def luminance(c: QColor) -> float:
        def linear(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def app_theme(qapp):
    """The test may switch the theme; the next test gets the system's (light, offscreen) again."""
    yield qapp
    theme.apply(qapp, "system")


def test_views_write_no_colours_of_their_own():
    """Colours come from the theme: no literal text colour or white background in a view."""
    patterns = [r'setStyleSheet\(f?"color: ', r"background: white", r'background="w"', r'foreground="k"',
                r'color="#', r'color="k"', r'QColor\("#(2e7d32|c62828|1565c0|555|757575)"\)']
    offenders = []
    for path in sorted(UI.glob("*.py")):
        if path.name == "theme.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(re.search(p, line) for p in patterns):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_every_tone_is_readable_on_the_window_and_on_a_view(app_theme, choice):
    dark = theme.apply(app_theme, choice)
    assert dark == (choice == "dark") == theme.palette_is_dark(app_theme.palette())
    palette = app_theme.palette()
    for tone in theme.TONES:
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            assert contrast(theme.color(tone), palette.color(role)) >= 4.5, (tone, role)
    label = QLabel("x")
    theme.set_tone(label, "notice")
    label.ensurePolished()
    assert contrast(label.palette().color(QPalette.ColorRole.WindowText),
                    QColor(theme.NOTICE[dark][0])) >= 4.5
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    assert contrast(text, base) >= 7
    stale = QLabel("an answer gone stale")  # a disabled toned label is dimmed, whatever its tone
    theme.set_tone(stale, "ok")
    stale.setEnabled(False)
    stale.ensurePolished()
    dimmed = stale.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    assert dimmed == QColor(theme.DISABLED_TEXT[dark]) != theme.color("ok")


async def test_the_theme_menu_switches_at_once_is_remembered_and_restyles_charts(qtbot, services, app_theme):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    traffic, cache = window.traffic_view, window.cache_view
    hint = traffic.chart_hint
    error = traffic.refusal
    error.setText("refused")
    assert [a.text() for a in window.theme_menu.actions()] == ["Follow the system", "Light", "Dark"]

    window.theme_actions["dark"].trigger()
    assert QSettings().value(theme.THEME_KEY) == "dark" and window.theme_actions["dark"].isChecked()
    assert theme.palette_is_dark(QApplication.palette())
    hint.ensurePolished()
    error.ensurePolished()
    # the traffic charts' place before a run: muted text on the dark base colour, not #555 on white
    assert hint.autoFillBackground()  # it paints its own background: the base colour of a chart
    assert contrast(hint.palette().color(QPalette.ColorRole.WindowText), QApplication.palette().color(
        QPalette.ColorRole.Base)) >= 4.5
    assert contrast(error.palette().color(QPalette.ColorRole.WindowText),
                    QApplication.palette().color(QPalette.ColorRole.Window)) >= 4.5
    # charts: the view's dark base colour behind them, light axes
    traffic.charts_box.widget()  # pyqtgraph's charts, built as the first run would
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert traffic.charts.backgroundBrush().color() == base
    assert traffic.rate_plot.getAxis("bottom").textPen().color() == QApplication.palette().color(
        QPalette.ColorRole.Text)
    timeline = cache.timeline
    assert timeline.backgroundBrush().color() == base
    assert contrast(timeline.empty_text.color, base) >= 4.5

    window.theme_actions["light"].trigger()  # and back, live: the charts follow
    assert not theme.palette_is_dark(QApplication.palette())
    light_base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert traffic.charts.backgroundBrush().color() == light_base
    assert timeline.backgroundBrush().color() == light_base
    assert QSettings().value(theme.THEME_KEY) == "light"
    assert readable_on(QColor("#43a047")) in ("#000000", "#ffffff")


async def test_system_follows_the_platform_scheme_when_it_changes(qtbot, services, app_theme, monkeypatch):
    QSettings().setValue(theme.THEME_KEY, "system")
    theme.apply(app_theme)
    assert not theme.is_dark()
    monkeypatch.setattr(theme, "system_scheme", lambda app: Qt.ColorScheme.Dark)
    app_theme.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop went dark
    assert theme.is_dark() and theme.palette_is_dark(QApplication.palette())
    theme.choose(app_theme, "light")  # a choice wins over the system's
    app_theme.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.is_dark()
    monkeypatch.setattr(theme, "system_scheme", lambda app: Qt.ColorScheme.Light)
    theme.choose(app_theme, "system")
    assert not theme.is_dark()
