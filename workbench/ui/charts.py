"""Charts drawn with pyqtgraph. Imported only when a chart is first shown: pyqtgraph (with
numpy) is the costliest import of the app and no chart is on the first screen."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QResizeEvent, QTextOption
from PySide6.QtWidgets import QWidget

from workbench.core.simulator import ColdStart
from workbench.ui import theme


class TimelineChart(pg.PlotWidget):
    """Phases of a cold start as horizontal bars on a millisecond axis: names on the left axis,
    times just after each bar, so no label sits on a bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(200)
        plot = self.getPlotItem()
        plot.getAxis("bottom").setLabel(self.tr("time since launch (ms)"))
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        self.show_empty()
        theme.follow_plot(self)  # the theme's background, axes and text, now and when it changes

    def show_empty(self) -> None:
        """Before the first cold start: say what will appear, not empty axes."""
        plot = self.getPlotItem()
        plot.clear()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        self.empty_text = pg.TextItem(self.tr("Simulate a cold start: its phases (code package download, "
                                              "pre-pull, onLaunch, the data's arrival) appear here on a "
                                              "millisecond timeline."), color=theme.color("muted"), anchor=(0.5, 0.5))
        self.empty_text.textItem.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignCenter))
        self._wrap_empty_text()
        plot.addItem(self.empty_text)
        self.empty_text.setPos(0.5, 0.5)
        plot.setXRange(0, 1, padding=0)
        plot.setYRange(0, 1, padding=0)

    def _wrap_empty_text(self) -> None:
        """The sentence wraps to the chart's width instead of running off both sides."""
        self.empty_text.setTextWidth(max(120, self.width() - 48))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if hasattr(self, "empty_text"):
            self._wrap_empty_text()

    def show_phases(self, result: ColdStart) -> None:
        plot = self.getPlotItem()
        plot.clear()
        plot.showAxis("left")
        plot.showAxis("bottom")
        colors = ["#90a4ae", "#1e88e5", "#7e57c2", "#26a69a", "#42a5f5", "#ef6c00", "#2e7d32"]
        ticks = []
        end = max((p.end_ms for p in result.phases), default=1.0) or 1.0
        for row, phase in enumerate(result.phases):
            y = len(result.phases) - row
            width = max(phase.end_ms - phase.start_ms, 0.0)
            color = colors[row % len(colors)]
            if width > 0:
                plot.addItem(pg.BarGraphItem(x0=[phase.start_ms], width=[width], y=[y], height=0.6, brush=color))
            else:  # an instant: a marker
                plot.addItem(pg.ScatterPlotItem([phase.start_ms], [y], symbol="d", size=14, brush=color))
            ticks.append((y, QCoreApplication.translate("Phases", phase.name)))
            label = pg.TextItem(f"{phase.start_ms:.0f}–{phase.end_ms:.0f} ms", color=theme.plot_colors()[1],
                                anchor=(0, 0.5))
            label.setPos(phase.end_ms + end * 0.01, y)  # just after its bar, never on it
            plot.addItem(label)
        plot.getAxis("left").setTicks([ticks])
        plot.setYRange(0.4, len(result.phases) + 0.6, padding=0)
        plot.setXRange(0, end * 1.45, padding=0)  # room for the last times
