"""Light and dark: the app follows the system's colour scheme unless the user chose one in
View › Theme (kept in QSettings as ``theme``: a machine thing).

Views never write a colour: they give a label a tone (``set_tone(label, "error")``), a progress
bar a meter tone (``set_meter(bar, "ok")``), ask ``color("ok")`` for a table cell, or hand a chart
to ``follow_plot`` and a syntax highlighter to ``follow_highlighter``. Each tone has a light and a
dark value, both readable (WCAG AA, 4.5:1) on the window and on a view's base colour; toned labels,
meters, highlighted text and charts are repainted when the scheme changes.
"""

from __future__ import annotations

import weakref
from typing import Any

import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QSyntaxHighlighter
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QStyleFactory, QWidget

#: QSettings key of the chosen theme.
THEME_KEY = "theme"
CHOICES = ("system", "light", "dark")

#: Tone -> (on light, on dark).
TONES: dict[str, tuple[str, str]] = {
    "ok": ("#2e7031", "#81c784"),
    "error": ("#c62828", "#ef9a9a"),
    "warning": ("#9a5b00", "#ffb74d"),
    "muted": ("#555555", "#b0b0b0"),
    "skip": ("#616161", "#a8a8a8"),
    "info": ("#1565c0", "#90caf9"),
}
#: A toned label's text while it is disabled (dimmed, still legible), on light and on dark.
DISABLED_TEXT = {False: "#8a8a8a", True: "#7a7a7a"}
#: A notice band across the window (read-only): background, text.
NOTICE = {False: ("#fff4ce", "#3d2e00"), True: ("#4a3b00", "#fff1c2")}
#: A meter's bar (a progress bar's chunk) by tone, on light and on dark. On each scheme the bar
#: stands out from the empty groove (3:1 on the view's base colour) and one text colour, black on
#: light and white on dark, reads on the bar and on the groove alike (4.5:1): the meter's centred
#: text stays readable however full the bar is, even where it straddles the bar's end.
METER_BARS: dict[str, tuple[str, str]] = {
    "ok": ("#43a047", "#2e7d32"),
    "error": ("#e53935", "#d32f2f"),
    "disabled": ("#9e9e9e", "#5c5c5c"),  # greyed with the rest of what it belongs to
}


def _set(palette: QPalette, colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]) -> None:
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role, value in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(value))


def light_palette() -> QPalette:
    """Fusion's classic light colours (used when Light is chosen on a system that is dark)."""
    R = QPalette.ColorRole  # noqa: N806
    palette = QPalette()
    _set(palette, {R.Window: "#efefef", R.WindowText: "#000000", R.Base: "#ffffff", R.AlternateBase: "#f7f7f7",
                   R.ToolTipBase: "#ffffdc", R.ToolTipText: "#000000", R.PlaceholderText: "#6e6e6e",
                   R.Text: "#000000", R.Button: "#efefef", R.ButtonText: "#000000", R.BrightText: "#ffffff",
                   R.Light: "#ffffff", R.Midlight: "#cacaca", R.Mid: "#b8b8b8", R.Dark: "#9f9f9f",
                   R.Shadow: "#767676", R.Highlight: "#308cc6", R.HighlightedText: "#ffffff",
                   R.Link: "#0000ff", R.LinkVisited: "#ff00ff"},
         {R.WindowText: "#bebebe", R.Text: "#bebebe", R.ButtonText: "#bebebe", R.Base: "#efefef"})
    return palette


def dark_palette() -> QPalette:
    """A dark palette for Fusion (used where the platform gives none: Linux without a portal,
    offscreen, older Qt)."""
    R = QPalette.ColorRole  # noqa: N806
    palette = QPalette()
    _set(palette, {R.Window: "#2d2d2d", R.WindowText: "#e6e6e6", R.Base: "#1e1e1e", R.AlternateBase: "#262626",
                   R.ToolTipBase: "#3a3a3a", R.ToolTipText: "#e6e6e6", R.PlaceholderText: "#8c8c8c",
                   R.Text: "#e6e6e6", R.Button: "#353535", R.ButtonText: "#e6e6e6", R.BrightText: "#ff6b6b",
                   R.Light: "#4a4a4a", R.Midlight: "#3d3d3d", R.Mid: "#2a2a2a", R.Dark: "#1a1a1a",
                   R.Shadow: "#000000", R.Highlight: "#2f65ca", R.HighlightedText: "#ffffff",
                   R.Link: "#8ab4f8", R.LinkVisited: "#c58af9"},
         {R.WindowText: "#7a7a7a", R.Text: "#7a7a7a", R.ButtonText: "#7a7a7a", R.Base: "#262626"})
    return palette


def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class _State:
    choice = "system"
    dark: bool | None = None  # None: not applied yet, read from the application's palette
    listening = False
    #: We set a palette of our own (the platform gave none of the scheme wanted).
    own_palette = False
    #: We asked the platform for a scheme (Qt 6.8 setColorScheme).
    requested = False


def is_dark() -> bool:
    """Whether the colours in force are dark (what tones and charts pick their values by)."""
    if _State.dark is None:
        app = QGuiApplication.instance()
        return isinstance(app, QGuiApplication) and palette_is_dark(app.palette())
    return _State.dark


def hex_color(tone: str) -> str:
    light, dark = TONES[tone]
    return dark if is_dark() else light


def color(tone: str) -> QColor:
    """A tone's colour for text on the current scheme (table cells, highlighters)."""
    return QColor(hex_color(tone))


#: Widgets that have a tone: repainted when the theme changes (weakly held: they die as usual).
_TONED: weakref.WeakSet[QWidget] = weakref.WeakSet()
#: The margins of the tones that are bands, not just text.
_BAND_MARGINS = {"notice": (10, 6, 10, 6), "hint": (24, 24, 24, 24)}


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Colour a label's text by meaning ("ok", "error", "warning", "muted", "skip", "info"), or make
    it a band ("notice": the read-only notice; "hint": a chart's place before its first run); None
    for the normal text colour. A disabled toned label is dimmed. Follows the theme when it changes.

    Done with the widget's palette, not a style sheet: an app-wide style sheet made every widget's
    construction and first paint slower (~20 ms at start-up)."""
    widget.setProperty("tone", tone)
    _TONED.add(widget)
    _paint(widget)


def tone_colors(tone: str, dark: bool) -> tuple[str, str | None]:
    """(text, band background or None) of a tone on a light or a dark scheme."""
    if tone == "notice":
        background, text = NOTICE[dark]
        return text, background
    if tone == "hint":
        return TONES["muted"][1 if dark else 0], "base"
    light, dark_value = TONES[tone]
    return (dark_value if dark else light), None


def _paint(widget: QWidget) -> None:
    tone = widget.property("tone")
    palette = QPalette()  # nothing set: every role follows the parent and the application
    palette.setResolveMask(0)
    if isinstance(tone, str) and (tone in TONES or tone in _BAND_MARGINS):
        text, background = tone_colors(tone, is_dark())
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.WindowText, QColor(text))
            palette.setColor(group, QPalette.ColorRole.Text, QColor(text))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT[is_dark()]))
        if background is not None:
            app = QGuiApplication.instance()
            base = app.palette().color(QPalette.ColorRole.Base) if isinstance(app, QGuiApplication) else QColor()
            palette.setColor(QPalette.ColorRole.Window, base if background == "base" else QColor(background))
            widget.setAutoFillBackground(True)
            widget.setContentsMargins(*_BAND_MARGINS[tone])
    widget.setPalette(palette)
    widget.update()


def toned_label(name: str, tone: str, text: str = "", *, hidden: bool = False) -> QLabel:
    """A wrapped label toned by meaning (an error, a warning, a notice), named ``name`` for tests
    and style; ``hidden`` until there is something to say."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    set_tone(label, tone)
    if hidden:
        label.hide()
    return label


def luminance(c: QColor) -> float:
    """WCAG 2 relative luminance."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio (1 to 21; text wants 4.5)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(*backgrounds: QColor) -> QColor:
    """Black or white, whichever reads better on the worst of ``backgrounds`` (text that may sit
    on any of them)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return max((black, white), key=lambda text: min(contrast(text, b) for b in backgrounds))


# -- meters (progress bars) ---------------------------------------------------------------------

#: Progress bars that have a meter tone: restyled when the theme changes (weakly held).
_METERS: weakref.WeakSet[QProgressBar] = weakref.WeakSet()


def set_meter(bar: QProgressBar, tone: str) -> None:
    """Colour a progress bar by meaning ("ok" or "error"), its text readable on the bar and on the
    empty groove; greyed while disabled. Follows the theme when it changes.

    A style sheet, not the palette: only a style sheet colours a bar's chunk with every platform's
    style (Windows' and macOS' ignore the palette there). It is built from the theme's colours
    and the view's base colour, and built again by ``apply``: a style sheet keeps the colours it
    was given, and the palette of the moment it was set."""
    bar.setProperty("meter", tone)
    _METERS.add(bar)
    _paint_meter(bar)


def meter_style(tone: str, dark: bool, base: QColor) -> str:
    """The style sheet of a meter of ``tone`` on a scheme whose view base colour is ``base``."""
    bar, disabled = (QColor(METER_BARS[t][1 if dark else 0]) for t in (tone, "disabled"))
    text = readable_on(bar, disabled, base)
    return (f"QProgressBar {{ color: {text.name()}; text-align: center; }} "
            f"QProgressBar::chunk {{ background: {bar.name()}; }} "
            f"QProgressBar::chunk:disabled {{ background: {disabled.name()}; }}")


def _paint_meter(bar: QProgressBar, *, again: bool = False) -> None:
    """Style ``bar`` for its tone; ``again``: even if its style sheet stays the same, so it takes
    the application's new palette (a widget with a style sheet keeps the one it had when set)."""
    tone = bar.property("meter")
    app = QGuiApplication.instance()
    base = app.palette().color(QPalette.ColorRole.Base) if isinstance(app, QGuiApplication) else QColor("#ffffff")
    sheet = meter_style(tone if tone in ("ok", "error") else "ok", is_dark(), base)
    if again or bar.styleSheet() != sheet:  # setting it re-polishes the bar: not for every response
        bar.setStyleSheet(sheet)


def follows(widget: QWidget) -> bool:
    """Whether the theme repaints ``widget`` itself when the scheme changes (a toned label, a
    meter): only such a widget may hold colours of its own (a palette, a style sheet)."""
    return widget in _TONED or widget in _METERS


# -- highlighted text ----------------------------------------------------------------------------

#: Syntax highlighters whose formats take tones: highlighted again when the theme changes.
_HIGHLIGHTERS: weakref.WeakSet[QSyntaxHighlighter] = weakref.WeakSet()


def follow_highlighter(highlighter: QSyntaxHighlighter) -> None:
    """Highlight again whenever the theme changes: a highlighter's formats keep the colours of the
    scheme they were made in (a diff's green on a light page is unreadable on a dark one)."""
    _HIGHLIGHTERS.add(highlighter)


def system_scheme(app: QApplication) -> Qt.ColorScheme:
    """The platform's colour scheme (Qt 6.5+; Unknown where the platform does not say)."""
    return app.styleHints().colorScheme()


def chosen() -> str:
    value = str(QSettings().value(THEME_KEY, "system") or "system")
    return value if value in CHOICES else "system"


def apply(app: QApplication, choice: str | None = None) -> bool:
    """Apply ``choice`` (default: the one kept in QSettings); returns whether the result is dark.

    "system" follows the platform's colour scheme, and keeps following it (Qt's
    ``colorSchemeChanged``). Where the platform cannot give the scheme asked for (no dark palette
    from the platform theme, or offscreen), Fusion with our own palette does.
    """
    choice = chosen() if choice is None else choice
    if choice not in CHOICES:
        choice = "system"
    _State.choice = choice
    hints = app.styleHints()
    wanted = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(choice)
    # Nothing is touched that need not be: at a start that follows the system, nothing at all.
    if hasattr(hints, "setColorScheme") and (wanted is not None or _State.requested):
        hints.setColorScheme(wanted if wanted is not None else Qt.ColorScheme.Unknown)  # Qt 6.8: title bars too
        _State.requested = wanted is not None
    if not _State.listening:
        hints.colorSchemeChanged.connect(lambda _scheme: _system_changed(app))
        _State.listening = True
    if _State.own_palette:
        app.setPalette(QPalette())  # back to the platform's palette, to see what it gives
        _State.own_palette = False
    platform_dark = palette_is_dark(app.palette())
    if wanted is None:
        scheme = system_scheme(app)
        dark = scheme == Qt.ColorScheme.Dark or (scheme == Qt.ColorScheme.Unknown and platform_dark)
    else:
        dark = wanted == Qt.ColorScheme.Dark
    _State.dark = dark
    if platform_dark != dark:  # the platform did not give the scheme wanted: Fusion with ours does
        if app.style().name().lower() != "fusion":  # native styles ignore palettes (Windows, macOS)
            fusion = QStyleFactory.create("Fusion")
            if fusion is not None:
                app.setStyle(fusion)
        app.setPalette(dark_palette() if dark else light_palette())
        _State.own_palette = True
    for widget in list(_TONED):
        if shiboken6.isValid(widget):
            _paint(widget)
    for bar in list(_METERS):
        if shiboken6.isValid(bar):
            _paint_meter(bar, again=True)
    for highlighter in list(_HIGHLIGHTERS):
        if shiboken6.isValid(highlighter) and highlighter.document() is not None:
            highlighter.rehighlight()
    for plot in list(_PLOTS):
        if shiboken6.isValid(plot):
            style_plot(plot)
    return dark


def _system_changed(app: QApplication) -> None:
    if _State.choice == "system":
        apply(app, "system")


def choose(app: QApplication, choice: str) -> bool:
    """The user's choice in View › Theme: kept, and applied at once."""
    QSettings().setValue(THEME_KEY, choice)
    return apply(app, choice)


# -- charts ------------------------------------------------------------------------------------


def plot_colors() -> tuple[QColor, QColor]:
    """(background, foreground) for a chart: the view's base colour and its text colour."""
    app = QGuiApplication.instance()
    palette = app.palette() if isinstance(app, QGuiApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


#: Charts that follow the theme (weakly held).
_PLOTS: weakref.WeakSet[Any] = weakref.WeakSet()


def style_plot(widget: Any) -> None:
    """Give a pyqtgraph PlotWidget or GraphicsLayoutWidget the theme's colours: background, axes,
    titles, legends and text items."""
    import pyqtgraph as pg

    background, foreground = plot_colors()
    widget.setBackground(background)
    fg = foreground.name()
    items = [widget.getPlotItem()] if hasattr(widget, "getPlotItem") else list(widget.ci.items)
    for item in items:
        if isinstance(item, pg.PlotItem):
            for name in ("left", "bottom", "top", "right"):
                axis = item.getAxis(name)
                axis.setPen(foreground)
                axis.setTextPen(foreground)
            title = item.titleLabel
            title.opts["color"] = fg
            title.setText(title.text)
            for child in item.items:
                if isinstance(child, pg.TextItem):
                    child.setColor(foreground)
        elif isinstance(item, pg.LegendItem):
            item.setLabelTextColor(foreground)
            for _sample, label in item.items:
                label.setText(label.text, color=fg)


def follow_plot(widget: Any) -> None:
    """Style a chart now and whenever the theme changes."""
    style_plot(widget)
    _PLOTS.add(widget)
