"""A placeholder whose factory is a generator builds its widget a step per turn of the event loop
(issue 13): the Traffic tab's three charts were built at once, one 30-70 ms stall of the UI
thread; now a plot per turn, ~8 ms each."""

from __future__ import annotations

import pyqtgraph  # noqa: F401 (in, as the app has it by the time the charts are built)
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from tests.support.qt_async import until
from workbench.ui.lazy import LazyWidget


@pytest.fixture
def turn():
    """The number of turns the event loop has taken since the test began (a 0 ms timer counts them)."""
    count = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: count.__setitem__(0, count[0] + 1))
    ticker.start()
    yield count
    ticker.stop()


def _staged(done: list[tuple[str, int]], turn: list[int] | None = None):
    """A factory that notes each step it takes, and in which turn of the event loop (``turn``)."""
    def note(step: str) -> None:
        done.append((step, turn[0] if turn else 0))

    def factory():
        box = QWidget()
        note("widget")
        yield box
        note("step 1")
        yield None
        note("step 2")

    return factory


async def test_a_generator_factory_built_in_the_background_takes_a_step_per_turn(qtbot, turn):
    done: list[tuple[str, int]] = []
    lazy = LazyWidget(_staged(done, turn), needs=("pyqtgraph",))  # in already: built on a next turn
    qtbot.addWidget(lazy)
    await until(lazy.is_built)
    assert [step for step, _ in done] == ["widget", "step 1", "step 2"]
    turns = [t for _, t in done]
    assert turns == sorted(set(turns)), turns  # each step in a turn of its own


def test_widget_gives_the_whole_widget_at_once(qtbot):
    done: list[tuple[str, int]] = []
    lazy = LazyWidget(_staged(done))
    qtbot.addWidget(lazy)
    widget = lazy.widget()
    assert [step for step, _ in done] == ["widget", "step 1", "step 2"]
    assert lazy.is_built() and lazy.widget() is widget


async def test_a_plain_factory_is_whole_at_once(qtbot):
    lazy = LazyWidget(lambda: QLabel("x"), needs=("pyqtgraph",))
    qtbot.addWidget(lazy)
    await until(lazy.is_built)
    assert isinstance(lazy.widget(), QLabel)


async def test_the_traffic_charts_come_a_plot_per_turn_and_draw_a_run_that_ended_meanwhile(
        qtbot, services, monkeypatch, turn):
    from workbench.ui.traffic_view import TrafficView

    steps = []
    build = TrafficView._build_charts

    def noting(view):
        for made in build(view):
            plots = [name for name in ("rate_plot", "latency_plot", "cache_plot") if hasattr(view, name)]
            steps.append((turn[0], plots))
            if len(steps) == 1:  # a run's counts as they stand while the charts are being made
                view._chart.total = view._chart.cached = 5
                view.update_charts()  # (a tick meanwhile draws nothing: the charts are not whole)
            yield made

    monkeypatch.setattr(TrafficView, "_build_charts", noting)
    view = TrafficView(services)
    qtbot.addWidget(view)
    view.show()
    await until(view.charts_box.is_built)
    assert [plots for _, plots in steps] == [["rate_plot"], ["rate_plot", "latency_plot"],
                                             ["rate_plot", "latency_plot", "cache_plot"]]
    turns = [t for t, _ in steps]
    assert turns == sorted(set(turns)), turns  # a plot per turn of the event loop
    assert view.cache_bars.opts["height"] == [5, 0]  # the last step drew what the run had counted
    assert len(view.charts.ci.items) == 4  # three plots and the legend
