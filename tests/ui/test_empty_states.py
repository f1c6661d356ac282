"""Issue 12 item 10: every view says what to do while it is empty, instead of blank rows."""

from __future__ import annotations

from tests.support.qt_async import signal_emitted, until
from workbench.ui.main_window import MainWindow


async def test_empty_tables_say_what_will_appear_and_how_to_get_it(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    for index in (1, 3, 4):  # mock server, cache, history: built as the user opens them
        window.tabs.setCurrentIndex(index)
    states = window.empty_states
    assert set(states) == {"mockView", "cacheView", "historyView"}
    for name, words in (("mockView", "No requests yet"), ("cacheView", "The cache is empty"),
                        ("historyView", "No pre-pulls yet")):
        await until(states[name].is_shown)
        assert states[name].label.text().startswith(words), name
        assert states[name].label.geometry() == states[name].view.viewport().rect()
    # the composer's answer and the traffic charts say it already (before: blank panes everywhere)
    assert window.composer.response.status.text().startswith("No response yet")
    assert window.traffic_view.chart_hint.text().startswith("Run cold starts")

    await services.start_mock()
    stored = signal_emitted(services.outcomeStored, timeout=10)
    window.tabs.setCurrentIndex(0)
    window.send_action.trigger()
    await stored
    await window.composer.send_task
    await window.history_view.model.reload()
    await window.cache_view.refresh()
    await until(lambda: not states["mockView"].is_shown())  # the request arrived in the log
    assert not states["historyView"].is_shown() and not states["cacheView"].is_shown()

    window.history_view.search.setText("no-such-thing-anywhere")
    await window.history_view.model.reload("no-such-thing-anywhere")
    await until(states["historyView"].is_shown)
    assert states["historyView"].label.text() == "Nothing matches the search."
    window.mock_view.log_view.filter_edit.setText("no-such-thing-anywhere")
    await until(states["mockView"].is_shown)
    assert states["mockView"].label.text() == "Nothing matches the filter."
    await services.stop_mock()
