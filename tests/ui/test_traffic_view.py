"""The Traffic tab: slider preview, the non-retractable floor (P26), promotion (P27), a real run."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt

from tests.support.qt_async import signal_emitted
from workbench.ui.main_window import MainWindow


async def traffic_window(qtbot, services):
    await services.start_mock()
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    view = window.traffic_view
    asked = []
    view.confirm_apply = lambda percent: asked.append(percent) or True  # the user says yes
    view.asked = asked
    window.tabs.setCurrentWidget(view)
    await view.index_task  # the population's buckets, hashed off the UI thread
    return view


async def test_moving_the_slider_previews_the_split_and_lowering_is_refused(qtbot, services):
    view = await traffic_window(qtbot, services)
    assert view.main_url.text() == services.mock.url("main") and view.gray_url.text() == services.mock.url("gray")
    assert view.split_label.text() == "main 10,000 (100.00%) · gray 0 (0.00%)"
    view.slider.setValue(3000)  # dragging: the preview follows at once, nothing is applied yet
    assert view.percent.value() == 30.0
    expected = view.index.split(30)
    assert view.split_label.text().startswith(f"main {expected['main']:,} ")
    assert 2800 < expected["gray"] < 3200 and view.rollout.percent == 0
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert view.rollout.percent == 30 and view.slider.floor == 3000
    assert "cannot go below 30%" in view.rollout_label.text()

    view.slider.setValue(2000)
    assert "Apply will be refused" in view.refusal.text()
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert "cannot go back from 30% to 20% (P26)" in view.refusal.text()
    assert view.rollout.percent == 30 and view.slider.value() == 3000  # snapped back

    view.percent.setValue(100)
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert not view.rollout.active and view.main_url.text() == services.mock.url("gray")  # P27


async def test_version_toggles_and_develop_users_always_gray(qtbot, services):
    view = await traffic_window(qtbot, services)
    view.develop_share.setValue(10)
    await view.index_task
    gray_at_zero = view.index.split(0)["gray"]
    assert 800 < gray_at_zero < 1200  # P28: develop clients get gray even at 0%
    view.include["develop"].setChecked(False)
    assert view.split_label.text().endswith("gray 0 (0.00%)")


async def test_a_run_of_2000_users_matches_the_preview_and_fills_the_charts(qtbot, services):
    view = await traffic_window(qtbot, services)
    view.percent.setValue(30)
    view.apply()
    view.run_count.setValue(2000)
    changed = signal_emitted(services.historyChanged, timeout=60)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    stats = (await asyncio.wait_for(view.run_task, 60)).stats
    await changed
    assert sum(stats.sent.values()) == 2000 and stats.cached == 2000
    assert "the run matches it (P29)" in view.run_summary.text()
    assert view.progress.value() == 2000
    _, y = view.rate_curves["gray"].getData()
    assert y.sum() == stats.sent["gray"]
    assert services.store.history_count() == 2000
    assert await window_history_total(view) == 2000


async def window_history_total(view) -> int:
    model = view.window().history_view.model
    await model.load_task  # the history reloads in a thread
    return model.total


async def test_applying_asks_first_and_the_floor_survives_a_restart(qtbot, services, workspace):
    """P26 (issue 9): the applied percentage is the workspace's, so a restart keeps the floor."""
    from workbench.services import Services

    view = await traffic_window(qtbot, services)
    view.confirm_apply = lambda percent: False  # the user declines
    view.percent.setValue(10)
    view.apply()
    assert view.rollout.percent == 0 and services.document.doc.rollout.percent == 0
    view.confirm_apply = lambda percent: True
    view.apply()
    assert view.rollout.percent == 10
    await services.aclose()

    again = Services(workspace)
    try:
        window = MainWindow(again)
        qtbot.addWidget(window)
        restored = window.traffic_view
        assert restored.rollout.percent == 10 and restored.slider.floor == 1000
        assert "10% applied" in restored.rollout_label.text() and "cannot go below 10%" in restored.rollout_label.text()
        restored.confirm_apply = lambda percent: True
        restored.percent.setValue(0)
        restored.apply()
        assert "cannot go back from 10% to 0% (P26)" in restored.refusal.text()
    finally:
        await again.aclose()


async def test_p26_a_changed_gray_address_needs_a_new_rollout(qtbot, services):
    view = await traffic_window(qtbot, services)
    view.percent.setValue(5)
    view.apply()
    rollout_id = services.document.doc.rollout.id
    view.gray_url.setText("http://127.0.0.1:9/other-gray")
    view.percent.setValue(6)
    view.apply()
    assert "use New rollout" in view.refusal.text()
    assert services.document.doc.rollout.percent == 5 and services.document.doc.rollout.id == rollout_id
    view.new_rollout()
    assert services.document.doc.rollout.id != rollout_id and view.rollout.percent == 0
    assert services.document.doc.rollout.gray == "http://127.0.0.1:9/other-gray"


async def test_the_run_summary_names_its_users_and_applied_percentage_and_how_the_preview_differs(qtbot, services):
    """Issue 12 item 7: a run reported "main 440, gray 60 (matches the preview)" while the slider
    showed 7.68%. The preview is the slider's percentage over the whole population; a run is the
    applied percentage (the rollout's floor in the workspace, P26) over its first N users (P29)."""
    from workbench.core.rollout import Population

    view = await traffic_window(qtbot, services)
    seed = services.document.doc.population.seed
    view.percent.setValue(5)
    view.apply()
    users = f'over all 10,000 simulated users (seed "{seed}")'
    assert view.preview_note.text().startswith(f"Preview: the applied 5% {users}")
    view.percent.setValue(7.68)  # moved, not applied
    note = view.preview_note.text()
    assert note.startswith(f"Preview: the slider's 7.68% (not applied) {users}")
    assert "Runs use the applied 5% (the rollout's floor, P26) until you press Apply." in note
    view.run_count.setValue(200)
    assert view.preview_note.text().endswith("A run of 200 users sends the first 200 of them.")
    slider = view.index.split(7.68)

    changed = signal_emitted(services.historyChanged, timeout=60)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    result = await asyncio.wait_for(view.run_task, 60)
    await changed
    assert result.seed == seed and result.percent == 5 and result.count == 200
    text = view.run_summary.text()
    assert f'Users: the first 200 of 10,000 simulated users (seed "{seed}").' in text
    assert f"Percentage: the applied 5% of rollout {result.rollout_id}, the floor in the workspace (P26)" in text
    expected = result.preview
    assert (f"Expected for these 200 users at 5%: main {expected['main']:,}, gray {expected['gray']:,}; "
            "the run matches it (P29).") in text
    assert (f"The slider's preview answers another question: 7.68% over all 10,000 users gives main "
            f"{slider['main']:,}, gray {slider['gray']:,}.") in text
    # the run drew the workspace's population (the CLI's `traffic` draws the same users)
    openids = {u.openid for u in Population(size=10_000, seed=seed).users(200)}
    assert {e.user for e in services.store.cache_entries()} == openids


async def test_a_run_gets_its_users_login_codes_in_windows_off_the_ui_thread(qtbot, services, monkeypatch):
    """The worker asks the app for login codes 512 users at a time (the mock server must know
    them). The app issued them on its UI thread, one database transaction each: 37 ms per window,
    the run's longest UI stalls. Now a window is issued at once, in a thread."""
    import threading

    view = await traffic_window(qtbot, services)
    mock = services.mock
    windows: list[tuple[int, bool]] = []
    issue_codes = mock.issue_codes

    def recording(users):
        windows.append((len(users), threading.current_thread() is threading.main_thread()))
        return issue_codes(users)

    monkeypatch.setattr(mock, "issue_codes", recording)
    monkeypatch.setattr(mock, "issue_code", lambda user: pytest.fail("one code at a time"))
    view.token_share.setValue(50)  # half the users never set a token: their pre-pulls carry a code
    view.percent.setValue(30)
    view.apply()
    view.run_count.setValue(1500)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    stats = (await asyncio.wait_for(view.run_task, 60)).stats
    assert stats.cached == 1500  # every code the mock issued was redeemed
    assert windows and all(not on_ui for _, on_ui in windows)
    assert max(n for n, _ in windows) > 100  # a window at a time, not a user at a time
