"""Issue 12 item 6: each Cache sub-tab says what state it is in and the next step. The periodic
panel and its fetch button follow the protocol (P20-P24) and agree with the Token tab; "User
opens the Mini Program" says what happened; the token is set where it is needed; the cold-start
simulator has its own path, query and scene and says whose cache entry it replaced (P15).
Real widgets, the real mock server on a free loopback port."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from tests.ui.test_composer_history import send_from_composer
from tests.ui.windows import open_window
from workbench.ui.main_window import MainWindow


async def cache_window(qtbot, services) -> MainWindow:
    window = await open_window(qtbot, services)
    window.tabs.setCurrentWidget(window.cache_view)
    return window


async def settle(view) -> None:
    """The panels read the store off the UI thread: wait for what they asked."""
    await view.services.tasks.idle()
    for task in (view.periodic_token.task, view.tokens.task, view.tokens.setter.task, view.cold_state_task):
        if task is not None:
            await task


def log_lines(view) -> list[str]:
    return view.periodic_text.toPlainText().splitlines()


async def test_p20_p21_the_periodic_state_and_its_button_agree_with_the_stored_token(qtbot, services):
    """It said "not sent: no token" while "Fetch periodic data now" cached with the mock's token."""
    view = (await cache_window(qtbot, services)).cache_view
    view.tools.setCurrentIndex(2)
    view.cold_user.setEditText("alice")  # the mock server accepts token-alice; the client stored none
    await view._show_clock()
    await settle(view)
    assert view.periodic_user.currentText() == "alice"
    assert "not sent: no token (P21)" in view.clock_label.text()
    assert view.periodic_state.text().startswith("No periodic update for alice: getBackgroundFetchToken fails (P20)")
    assert "Next: set the token below" in view.periodic_state.text()
    assert not view.periodic_now.isEnabled()  # the button cannot do what the state says WeChat would not
    assert "alice has no token" in view.periodic_token.state.text()
    await view.refresh()
    alice = view.tokens.text.toPlainText().split("\nbob\n")[0]
    assert alice.count("→ fail") == 2  # the Token tab says the same (P20)
    await view.fetch_periodic_now()  # asked anyway (a script): nothing is sent, and the log says why
    assert log_lines(view)[-1].startswith("Not sent: alice has no token (getBackgroundFetchToken fails, P20)")
    assert services.store.cache_entry(services.settings_appid(), "alice", "periodic") is None

    # the token is set on the same sub-tab: the field holds the token the mock knows, masked
    assert view.periodic_token.value.text() == "token-alice"
    assert view.periodic_token.value.echoMode() != view.periodic_token.value.EchoMode.Normal
    qtbot.mouseClick(view.periodic_token.set_button, Qt.MouseButton.LeftButton)
    await view.periodic_token.task
    await view.clock_task
    await settle(view)
    assert services.store.token(services.settings_appid(), "alice") == "token-alice"
    state = view.periodic_token.state.text()
    assert "alice's token is" in state and "token-alice" not in state  # masked
    assert view.periodic_state.text().startswith("Due: WeChat sends alice a periodic update")
    assert view.periodic_now.isEnabled() and view.periodic_now.text() == "Fetch periodic data now"
    alice = view.tokens.text.toPlainText().split("\nbob\n")[0]
    assert alice.count("→ success") == 2

    qtbot.mouseClick(view.periodic_now, Qt.MouseButton.LeftButton)
    await view.periodic_task
    assert log_lines(view)[-1].endswith("fetched now: 200 · cached")
    # now up to date: the button says it sends outside the schedule, as the DevTools menu does
    assert re.match(r"Up to date: alice's next update is due at \d{4}-\d\d-\d\d \d\d:\d\d \(P22\)",
                    view.periodic_state.text())
    assert view.periodic_now.isEnabled() and view.periodic_now.text() == "Fetch now anyway (DevTools menu)"
    qtbot.mouseClick(view.periodic_now, Qt.MouseButton.LeftButton)
    await view.periodic_task
    assert "fetched now, outside the schedule (as the DevTools menu does): 200 · cached" in log_lines(view)[-1]
    await view.jump(24 * 8)
    assert view.periodic_state.text().startswith("WeChat sends alice nothing now: no visit for 7 days (P23)")
    assert view.periodic_now.text() == "Fetch now anyway (DevTools menu)"


async def test_user_opens_the_mini_program_says_what_happened(qtbot, services):
    view = (await cache_window(qtbot, services)).cache_view
    view.tools.setCurrentIndex(2)
    view.cold_user.setEditText("alice")
    await settle(view)
    await view.periodic_token.apply()
    await view._show_clock()

    qtbot.mouseClick(view.used_now, Qt.MouseButton.LeftButton)  # due: it is fetched
    await view.used_task
    lines = log_lines(view)
    assert "alice opened the Mini Program: periodic updates continue for 7 days (P23)." in lines[0]
    assert lines[-1].startswith("  → Fetched: an update was due, so WeChat sends it now (200, cached).")
    assert "getBackgroundFetchData({fetchType: 'periodic'}) on android is served from the cache" in lines[-1]

    qtbot.mouseClick(view.used_now, Qt.MouseButton.LeftButton)  # an hour later: served from the cache
    await view.used_task
    assert re.match(r"  → Skipped: the last update is recent; the next is due at .* \(P22\)\. "
                    r"getBackgroundFetchData\(\{fetchType: 'periodic'\}\) on android is served from the cache: the "
                    r"entry with timeStamp \d{4}-", log_lines(view)[-1])

    view.cold_user.setEditText("bob")  # no token: skipped, and nothing to read
    await settle(view)
    view.platform.setCurrentIndex(view.platform.findData("ios"))
    qtbot.mouseClick(view.used_now, Qt.MouseButton.LeftButton)
    await view.used_task
    assert log_lines(view)[-1] == (
        "  → Skipped: bob has no token (P20), and a periodic request carries only a token (P21). "
        "getBackgroundFetchData({fetchType: 'periodic'}) finds nothing: fail on Android, an empty fetchedData on "
        "iOS (P18).")


async def test_the_token_tab_sets_a_token_and_refuses_one_over_1024_characters(qtbot, services):
    """P9, P20: set where it is shown; a refused token is one sentence and nothing is stored."""
    view = (await cache_window(qtbot, services)).cache_view
    view.tools.setCurrentIndex(3)
    panel = view.tokens
    panel.user.setEditText("bob")
    await settle(view)
    assert panel.setter.state.text().startswith("bob has no token")
    panel.setter.value.setText("x" * 1025)
    qtbot.mouseClick(panel.setter.set_button, Qt.MouseButton.LeftButton)
    await panel.setter.task
    assert "1024" in panel.setter.state.text() and "Traceback" not in panel.setter.state.text()
    assert services.store.token(services.settings_appid(), "bob") is None
    panel.setter.value.setText("tok-bob-123456")
    qtbot.mouseClick(panel.setter.set_button, Qt.MouseButton.LeftButton)
    await panel.setter.task
    await settle(view)
    bob = panel.text.toPlainText().split("\nbob\n")[1]
    assert bob.count("→ success") == 2 and "tok-bob-123456" not in bob  # masked
    assert services.store.token(services.settings_appid(), "bob") == "tok-bob-123456"


async def test_the_cold_start_has_its_own_launch_and_says_whose_entry_it_replaced(qtbot, services):
    """It took the Composer's launch, read-only, and replaced the Composer's cache entry silently."""
    services.document.edit("launch", path="pages/x/index", query="k=v&中=文", scene=1047)
    window = await cache_window(qtbot, services)
    view = window.cache_view
    assert (view.cold_path.text(), view.cold_query.text(), view.cold_scene.currentData()) == (
        "pages/x/index", "k=v&中=文", "1047")  # starts as the Composer's
    assert "leaves the Composer's launch as it is" in view.cold_launch.text()
    assert view.cold_path.placeholderText().startswith("e.g. ")

    window.tabs.setCurrentWidget(window.composer)
    await send_from_composer(qtbot, window)  # alice's pre entry, from the Composer
    window.tabs.setCurrentWidget(view)
    view.cold_user.setEditText("alice")
    await settle(view)
    assert view.cold_state.text().startswith("Ready: alice has no token, so the pre-pull carries a fresh login code")
    view.cold_path.setText("pages/cold/index")
    view.cold_query.setText("from=cold")
    view.cold_scene.setCurrentIndex(view.cold_scene.findData("1011"))
    view.package_ms.setValue(100)
    result = await view.simulate()
    record = services.store.history(result.history_id)
    assert (record.path, record.query, record.scene) == ("pages/cold/index", "from=cold", 1011)
    launch = services.document.doc.launch  # the Composer's launch is untouched
    assert (launch.path, launch.query, launch.scene) == ("pages/x/index", "k=v&中=文", 1047)
    assert window.composer.path.text() == "pages/x/index"
    assert re.search(r"It replaced alice's pre entry of \d\d:\d\d:\d\d \(sent from the Composer\), as every cached "
                     r"answer does \(P15\)\.", view.cold_summary.text()), view.cold_summary.text()

    qtbot.mouseClick(view.cold_from_composer, Qt.MouseButton.LeftButton)
    assert (view.cold_path.text(), view.cold_query.text(), view.cold_scene.currentData()) == (
        "pages/x/index", "k=v&中=文", "1047")
    view.cold_scene.setEditText("10x7")
    assert view.simulate() is None and "not an integer" in view.cold_summary.text()

    view.prefetch_enabled.setChecked(False)
    await settle(view)
    assert view.cold_state.text().startswith("Pre-pull is off for this Mini Program")


async def test_every_cache_panel_says_what_to_do_first(qtbot, services):
    view = (await cache_window(qtbot, services)).cache_view
    await view.refresh()
    assert view.read_text.toPlainText().startswith("The cache is empty: send from the Composer")
    assert view.why_text.placeholderText().startswith("Choose a user and a fetchType")
    assert view.periodic_text.placeholderText().startswith("What happens on the simulated clock")
