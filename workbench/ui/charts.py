"""Charts drawn with pyqtgraph. Imported only when a chart is first shown: pyqtgraph (with
numpy) is the costliest import of the app and no chart is on the first screen."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from workbench.core.simulator import ColdStart


class TimelineChart(pg.PlotWidget):
    """Phases of a cold start as horizontal bars on a millisecond axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setMinimumHeight(200)
        self.getPlotItem().setLabel("bottom", "ms")
        self.getPlotItem().hideAxis("left")

    def show_phases(self, result: ColdStart) -> None:
        plot = self.getPlotItem()
        plot.clear()
        colors = ["#90a4ae", "#1e88e5", "#7e57c2", "#26a69a", "#42a5f5", "#ef6c00", "#2e7d32"]
        for row, phase in enumerate(result.phases):
            y = len(result.phases) - row
            width = max(phase.end_ms - phase.start_ms, 0.0)
            color = colors[row % len(colors)]
            if width > 0:
                plot.addItem(pg.BarGraphItem(x0=[phase.start_ms], width=[width], y=[y], height=0.6, brush=color))
            else:  # an instant: a marker
                plot.addItem(pg.ScatterPlotItem([phase.start_ms], [y], symbol="d", size=14, brush=color))
            # every label starts at 0 ms (it carries its own times), so none runs off the plot
            name = QCoreApplication.translate("Phases", phase.name)
            label = pg.TextItem(f"{name}  {phase.start_ms:.0f}–{phase.end_ms:.0f} ms", color="k",
                                anchor=(0, 1))
            label.setPos(0, y + 0.45)
            plot.addItem(label)
        plot.setYRange(0, len(result.phases) + 1)
