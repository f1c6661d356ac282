"""Issue 12 item 10: light and dark themes follow the system; View › Theme overrides it.

Before, views wrote their colours in: "#555" text on "background: white", charts on a white
"w" background with black axes, red and green text picked for a white page. On a dark desktop
they were unreadable.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QWidget

from tests.ui.windows import open_window
from workbench.ui import theme
from workbench.ui.main_window import MainWindow

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
    """Colours come from the theme: no literal text colour or white background in a view, and no
    style sheet: one keeps the palette of the moment it was set, colours or not (theme.set_meter
    builds the only one, and builds it again on a switch)."""
    patterns = [r"setStyleSheet\(", r"background: white", r'background="w"', r'foreground="k"',
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


# -- the response's size gauge, and colours of their own in any widget ---------------------------


def painted_text_and_background(gauge: QProgressBar) -> tuple[QColor, QColor]:
    """The gauge's text and what is behind it, as painted: the background is the commonest colour
    in the box of the centred text, the text colour the one that stands out most from it."""
    image = gauge.grab().toImage()
    metrics = gauge.fontMetrics()
    half_width, half_height = metrics.horizontalAdvance(gauge.text()) // 2, metrics.height() // 2
    cx, cy = image.width() // 2, image.height() // 2
    xs = range(max(cx - half_width, 3), min(cx + half_width, image.width() - 3))  # inside the frame
    ys = range(max(cy - half_height, 3), min(cy + half_height, image.height() - 3))
    counts = Counter(image.pixel(x, y) for x in xs for y in ys)
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    text = max((QColor.fromRgb(pixel) for pixel in counts), key=lambda c: contrast(c, background))
    return text, background


def painted_bar(gauge: QProgressBar) -> QColor:
    """The colour of the bar (the chunk), at its start."""
    image = gauge.grab().toImage()
    return image.pixelColor(4, image.height() // 2)


async def switch(app: QApplication, window: MainWindow, choice: str) -> None:
    """View › Theme › ``choice``; back when the window has its new palette (Qt hands the
    application's palette to the widgets in events of its own)."""
    theme.choose(app, choice)
    window_color = app.palette().color(QPalette.ColorRole.Window)
    async with asyncio.timeout(10):
        while window.palette().color(QPalette.ColorRole.Window) != window_color:
            await asyncio.sleep(0.01)


async def send(window: MainWindow) -> None:
    composer = window.composer
    composer.send()
    await composer.send_task
    if composer.response.format_task is not None:
        await composer.response.format_task


async def test_the_size_gauge_follows_a_theme_switch_at_once(qtbot, services, app_theme):
    """Issue 13 review: the gauge's style sheet held the colours of the theme in force when the
    response came (black text picked for a white groove, the groove's palette frozen), so after
    View › Theme › Dark it stayed a white bar in a dark window, or showed black on a dark groove,
    until the next response. Now it is restyled with the switch: its text reads (4.5:1) on what is
    behind it, and its bar stands out from the groove (3:1), on light and on dark."""
    theme.choose(app_theme, "light")
    window = await open_window(qtbot, services, size=(1280, 720))
    gauge = window.composer.response.size_gauge
    # a small body: the text on the empty groove; 91.5% full: on the green bar; over: on the red.
    # The second comes in dark, after the gauge was styled in light: it showed black on dark.
    for body, start in ((None, "light"), (None, "dark"), (240_000, "light"), (262_145, "dark")):
        theme.choose(app_theme, start)
        if body is not None:
            services.mock.rules.default.body = f"{{{{json_bytes:{body}}}}}"
        await send(window)
        assert gauge.isVisible() and gauge.text().endswith("%)")
        other = "dark" if start == "light" else "light"
        painted: list[tuple[str, str, str]] = []
        for choice in (start, other, start):
            theme.choose(app_theme, choice)  # no new response
            base = QApplication.palette().color(QPalette.ColorRole.Base)
            text, background = painted_text_and_background(gauge)
            bar = painted_bar(gauge)
            assert contrast(text, background) >= 4.5, (body, choice, text.name(), background.name())
            if body is None:
                assert background == base, (choice, background.name())  # the groove: this scheme's base
            else:
                assert background == bar  # the text sits on the bar
                assert contrast(bar, base) >= 3, (body, choice, bar.name())
                assert bar == QColor(theme.METER_BARS["error" if body > 262_144 else "ok"][choice == "dark"])
            painted.append((text.name(), background.name(), bar.name()))
        assert painted[0] == painted[2] != painted[1], body


def test_a_meter_text_reads_on_its_bar_and_on_the_groove():
    """Whatever the fill, the meter's centred text is on the bar, the groove or both: one colour
    reads on each (and on the grey bar of a previous response), on light and on dark."""
    for dark, base in ((False, theme.light_palette()), (True, theme.dark_palette())):
        groove = base.color(QPalette.ColorRole.Base)
        for tone in ("ok", "error"):
            sheet = theme.meter_style(tone, dark, groove)
            text = QColor(re.search(r"color: (#[0-9a-f]{6})", sheet).group(1))
            for bar in (QColor(theme.METER_BARS[tone][dark]), QColor(theme.METER_BARS["disabled"][dark])):
                assert contrast(text, bar) >= 4.5 and bar.name() in sheet, (dark, tone, bar.name())
            assert contrast(text, groove) >= 4.5
            assert contrast(QColor(theme.METER_BARS[tone][dark]), groove) >= 3
    assert theme.readable_on(QColor("#ffffff")).name() == "#000000"
    assert theme.readable_on(QColor("#202020")).name() == "#ffffff"
    assert theme.readable_on(QColor("#ffffff"), QColor("#000000")).name() in ("#000000", "#ffffff")


#: A colour written into a style sheet: #rgb..#aarrggbb, rgb()/rgba()/hsl()/hsv(), or a named one.
_NAMED = "|".join(sorted((re.escape(n) for n in QColor.colorNames() if n != "transparent"), key=len, reverse=True))
COLOUR_IN_SHEET = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hsva?)\s*\(|"
                             r"(?:color|background|border[\w-]*)\s*:[^;}]*\b(?:" + _NAMED + r")\b", re.IGNORECASE)


def all_widgets(window: MainWindow) -> list[QWidget]:
    return [window, *window.findChildren(QWidget)]


async def test_no_widget_keeps_colours_of_its_own_across_a_theme_switch(qtbot, services, app_theme):
    """Generic: in the main window with every view built and a response shown, a widget may hold
    colours of its own (a style sheet with a colour in it, a palette that does not follow the
    application's) only if the theme repaints it on a switch (``theme.follows``). Anything else
    keeps the colours of the scheme it was made in: the size gauge's style sheet did."""
    theme.choose(app_theme, "light")
    window = await open_window(qtbot, services, size=(1280, 720))
    await send(window)
    for view in (window.mock_view, window.traffic_view, window.cache_view, window.history_view):
        window.tabs.setCurrentWidget(view)
    window.traffic_view.charts_box.widget()
    window.tabs.setCurrentWidget(window.composer)
    assert window.composer.response.size_gauge.isVisible()

    sheets = [(w, w.styleSheet()) for w in all_widgets(window) if w.styleSheet()]
    assert any(w is window.composer.response.size_gauge for w, _ in sheets)  # the walk sees it
    coloured = [f"{type(w).__name__} {w.objectName()!r}: {sheet}" for w, sheet in sheets
                if COLOUR_IN_SHEET.search(sheet) and not theme.follows(w)]
    assert coloured == [], "style sheets with colours that do not follow the theme"
    assert not COLOUR_IN_SHEET.search(QApplication.instance().styleSheet() or "")

    roles = (QPalette.ColorRole.Window, QPalette.ColorRole.WindowText, QPalette.ColorRole.Base,
             QPalette.ColorRole.Text, QPalette.ColorRole.Button, QPalette.ColorRole.ButtonText)
    groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)
    for choice in ("dark", "light"):
        await switch(app_theme, window, choice)
        stuck = []
        for widget in all_widgets(window):
            if theme.follows(widget):
                continue
            widget.ensurePolished()
            mine, app = widget.palette(), QApplication.palette(widget)
            stuck += [f"{type(widget).__name__} {widget.objectName()!r} {group.name} {role.name}"
                      for group in groups for role in roles if mine.color(group, role) != app.color(group, role)]
        assert stuck == [], f"colours of the old scheme after switching to {choice}: {stuck}"


def test_an_open_diff_is_highlighted_again_on_a_theme_switch(qtbot, app_theme):
    """The history's diff dialog stays open (it is not modal) while the theme changes: its lines
    kept the green and red of the old scheme (light's dark green on a dark page: 2.9:1)."""
    from workbench.ui.history_view import DiffDialog

    theme.choose(app_theme, "light")
    dialog = DiffDialog("Diff", "--- #1\n+++ #2\n@@ -1 +1 @@\n-old\n+new")
    qtbot.addWidget(dialog)
    dialog.show()

    def line_colors() -> list[str]:
        block, colors = dialog.text.document().firstBlock(), []
        while block.isValid():
            formats = block.layout().formats()
            colors.append(formats[0].format.foreground().color().name() if formats else "")
            block = block.next()
        return colors

    qtbot.waitUntil(lambda: line_colors()[2] != "")  # Qt highlights a new document on its next turn
    for choice in ("light", "dark", "light"):
        theme.choose(app_theme, choice)
        base = QApplication.palette().color(QPalette.ColorRole.Base)
        assert line_colors() == ["", "", theme.color("info").name(), theme.color("error").name(),
                                 theme.color("ok").name()], choice
        assert all(contrast(QColor(c), base) >= 4.5 for c in line_colors() if c)


async def test_the_stale_note_reads_after_a_theme_switch(qtbot, services, app_theme):
    """"Below, greyed: the previous response..." was italic by a style sheet, which froze its
    palette: after a switch to dark it was black on the dark window (1.5:1)."""
    theme.choose(app_theme, "light")
    window = await open_window(qtbot, services, size=(1280, 720))
    response = window.composer.response
    await send(window)
    for choice in ("dark", "light", "dark"):
        await switch(app_theme, window, choice)
        response.show_pending("Sending…")  # the response shown is now the previous one
        note = response.stale_note
        assert note.isVisible() and note.font().italic()
        image = window.grab(note.rect().translated(note.mapTo(window, note.rect().topLeft()))).toImage()
        counts = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
        background = QColor.fromRgb(counts.most_common(1)[0][0])
        text = max((QColor.fromRgb(pixel) for pixel in counts), key=lambda c: contrast(c, background))
        assert background == QApplication.palette().color(QPalette.ColorRole.Window), choice
        assert contrast(text, background) >= 4.5, (choice, text.name(), background.name())


@pytest.mark.parametrize("choice", ["light", "dark"])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_timing_bars_labels_read_on_their_segments(qtbot, app_theme, choice, enabled):
    """White labels on the teal and blue segments were ~2.6:1 (WCAG AA asks 4.5:1 for text)."""
    from workbench.ui.response_view import TimingBar

    theme.apply(app_theme, choice)
    bar = TimingBar()
    qtbot.addWidget(bar)
    bar.resize(900, 22)
    bar.set_timings(10.0, 20.0, 30.0)  # three equal segments, each wide enough for its label
    bar.setEnabled(enabled)
    image = bar.grab().toImage()
    third = image.width() // 3
    for i in range(3):
        pixels = Counter(image.pixel(x, y) for x in range(i * third + 2, (i + 1) * third - 2)
                         for y in range(4, image.height() - 4))
        fill = QColor(pixels.most_common(1)[0][0])
        text = max((QColor(p) for p in pixels), key=lambda c: contrast(c, fill))  # the label's ink
        assert contrast(text, fill) >= 4.5, (i, fill.name(), text.name())
