"""Charts explain themselves (issue 12 item 3): before a run they say what will appear instead
of showing empty axes, axes are labelled, counts never run below 0, the legend covers no data,
and the cold-start timeline's labels sit beside their bars, not on them."""

from __future__ import annotations

import asyncio

import pyqtgraph as pg
from PySide6.QtCore import Qt

from tests.ui.windows import open_window
from workbench.ui.main_window import MainWindow


async def _window(qtbot, services) -> MainWindow:
    return await open_window(qtbot, services)


async def test_traffic_charts_before_and_after_a_run(qtbot, services):
    window = await _window(qtbot, services)
    view = window.traffic_view
    window.tabs.setCurrentWidget(view)
    # before a run: a sentence, not three empty plots
    assert view.chart_stack.currentWidget() is view.chart_hint
    assert "Run cold starts" in view.chart_hint.text() and view.chart_hint.isVisible()
    # (pyqtgraph loads in a thread meanwhile and the charts are made, hidden, for the first run)

    view.run_count.setValue(20)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    await asyncio.wait_for(view.run_task, 60)
    assert view.chart_stack.currentWidget() is view.charts_box
    await view.charts_box.built()  # pyqtgraph loads in a thread: a short run can end before it is in
    assert view.charts.isVisible()
    # labelled axes, the latency chart's x axis too
    assert view.latency_plot.getAxis("bottom").labelText == "latency (ms)"
    assert view.rate_plot.getAxis("bottom").labelText == "seconds since the start"
    for plot in (view.rate_plot, view.latency_plot, view.cache_plot):
        assert plot.getAxis("left").labelText == "requests"
        assert plot.legend is None  # no legend inside a plot: it covered the histogram
    assert view.chart_legend.scene() is view.charts.scene()
    (_x0, _x1), (y0, y1) = view.cache_plot.viewRange()
    assert y0 >= 0 and y1 >= 20  # the cached bar is in view, from 0 up
    # a run shorter than a second: its time axis runs from 0, not from -0.4 to 0.4
    (x0, x1), (y0, y1) = view.rate_plot.viewRange()
    assert -0.1 <= x0 <= 0 and x1 >= 1
    assert y0 == 0 and y1 >= max(view._chart.per_second["main"])  # from 0: not a band zoomed on the curve


async def test_timeline_says_what_will_appear_then_labels_beside_the_bars(qtbot, services):
    window = await _window(qtbot, services)
    view = window.cache_view
    window.tabs.setCurrentWidget(view)
    texts = [i for i in view.timeline.getPlotItem().items if isinstance(i, pg.TextItem)]
    assert len(texts) == 1 and "Simulate a cold start" in texts[0].toPlainText()
    assert not view.timeline.getPlotItem().getAxis("bottom").isVisible()  # no empty axes

    view.cold_user.setEditText("alice")
    view.package_ms.setValue(300)
    qtbot.mouseClick(view.cold_button, Qt.MouseButton.LeftButton)
    result = await view.cold_task
    plot = view.timeline.getPlotItem()
    names = [name for _y, name in plot.getAxis("left")._tickLevels[0]]
    assert len(names) == len(result.phases)  # the phase names are the left axis' labels
    labels = [i for i in plot.items if isinstance(i, pg.TextItem)]
    assert len(labels) == len(result.phases)
    for phase, label in zip(result.phases, labels, strict=True):
        assert label.pos().x() > phase.end_ms  # after its bar's end, never on the bar
        assert f"{phase.end_ms:.0f} ms" in label.toPlainText()
    (_x0, x1), _ = plot.viewRange()
    assert x1 >= max(p.end_ms for p in result.phases) * 1.4  # room for the last label
    assert plot.getAxis("bottom").labelText == "time since launch (ms)"
