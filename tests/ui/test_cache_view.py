"""The Cache tab through its widgets against the real mock: inspector JSON field for field,
cold starts on the timeline, why empty, periodic cadence on the simulated clock."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.windows import open_window


async def cache_window(qtbot, services):
    window = await open_window(qtbot, services)
    window.tabs.setCurrentWidget(window.cache_view)
    return window.cache_view


def read_json(view) -> tuple[dict, dict]:
    text = view.read_text.toPlainText()
    blocks = [b.split("\n", 1)[1] for b in text.split("\n\n")[:2]]
    return json.loads(blocks[0]), json.loads(blocks[1])


async def test_cold_start_timeline_and_the_inspector_json_field_for_field(qtbot, services, tmp_path):
    view = await cache_window(qtbot, services)
    services.mock.rules.default.delay_ms = 300
    view.cold_user.setEditText("alice")
    view.package_ms.setValue(800)
    qtbot.mouseClick(view.cold_button, Qt.MouseButton.LeftButton)
    result = await view.cold_task
    await view.refresh_task  # the table reloads off the UI thread
    assert result.read == "current" and "this launch's data" in view.cold_summary.text()
    bars = [i for i in view.timeline.getPlotItem().items if i.__class__.__name__ == "BarGraphItem"]
    assert len(bars) >= 3  # package download, request, its measured parts

    assert view.model.rowCount() == 1
    view.table.selectRow(0)
    read, listener = read_json(view)
    entry = services.store.cache_entry(services.settings_appid(), "alice", "pre")
    assert read == {"fetchedData": entry.fetched_data, "timeStamp": entry.time_stamp, "path": entry.path,
                    "query": entry.query, "scene": entry.scene, "errMsg": "getBackgroundFetchData:ok"}  # P16
    assert list(listener) == ["fetchType", "fetchedData", "timeStamp", "path", "query", "scene"]  # P19

    await view.export(tmp_path / "cache.json")
    assert json.loads(Path(tmp_path / "cache.json").read_text())[0]["user"] == "alice"
    view.clear_type.setCurrentIndex(view.clear_type.findData("pre"))
    qtbot.mouseClick(view.clear_type_button, Qt.MouseButton.LeftButton)  # "clear data cache"
    await view.clear_task
    assert view.model.rowCount() == 0


async def test_slow_server_shows_the_previous_entry_and_the_listener(qtbot, services):
    view = await cache_window(qtbot, services)
    view.cold_user.setEditText("bob")
    view.package_ms.setValue(50)
    services.mock.rules.default.delay_ms = 200
    await view.simulate()
    services.mock.rules.default.delay_ms = 2000
    view.package_ms.setValue(800)
    result = await view.simulate()
    assert result.read == "previous" and result.listener_fired
    assert "previous launch's entry" in view.cold_summary.text() and "fired" in view.cold_summary.text()


async def test_why_empty_names_the_oversize_body(qtbot, services):
    view = await cache_window(qtbot, services)
    services.mock.rules.default.body = "{{json_bytes:262145}}"
    view.cold_user.setEditText("alice")
    await view.simulate()
    view.why_user.setEditText("alice")
    qtbot.mouseClick(view.why_button, Qt.MouseButton.LeftButton)
    await services.tasks.idle()  # the store is asked in a thread
    assert "262,145 bytes" in view.why_text.toPlainText()
    view.prefetch_enabled.setChecked(False)
    await view.explain()
    assert view.why_text.toPlainText().startswith("• -10007 no permission")


async def test_periodic_cadence_on_the_simulated_clock(qtbot, services):
    view = await cache_window(qtbot, services)
    view.cold_user.setEditText("alice")
    services.store.set_token(services.settings_appid(), "alice", "token-alice", 0)
    await view._show_clock()
    assert "due: no periodic update yet" in view.clock_label.text()
    await view.fetch_periodic_now()
    assert "fetched now: 200" in view.periodic_text.toPlainText()
    assert "not due before" in view.clock_label.text()
    await view.jump(1)
    assert view.periodic_text.toPlainText().count("\n") == 0  # nothing sent
    await view.jump(12)
    assert "scheduled: 200" in view.periodic_text.toPlainText()
    await view.jump(168)  # a week without opening the Mini Program
    assert "7 days (P23)" in view.clock_label.text()
