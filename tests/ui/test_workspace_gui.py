"""The workspace is the document (issue 9): what the GUI edits lives in the file, and comes back."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialogButtonBox

from tests.support.cli import run_cli
from workbench.core.workspace import SUFFIX, Workspace, open_workspace
from workbench.services import Services
from workbench.ui.main_window import MainWindow


async def test_a_restart_keeps_the_launch_appid_and_prepull_switch(qtbot, services, workspace):
    window = MainWindow(services)
    qtbot.addWidget(window)
    c = window.composer
    c.appid.setText("wxabcdef0123456789")
    c.path.setText("pages/detail/index")
    c.query.raw.setText("a=1+2&b=%E4%B8%AD&c=x%26y%3Dz")
    c.scene.setEditText("1089")
    c.version.setText("2.3.4")
    c.identity_kind.setCurrentIndex(c.identity_kind.findData("code"))
    c.platform.setCurrentIndex(c.platform.findData("ios"))
    window.cache_view.prefetch_enabled.setChecked(False)
    await services.aclose()

    ws = open_workspace(workspace)
    launch = ws.doc.launch
    assert (ws.doc.appid, launch.path, launch.query, launch.scene, launch.version, launch.identity,
            launch.platform) == ("wxabcdef0123456789", "pages/detail/index", "a=1+2&b=%E4%B8%AD&c=x%26y%3Dz",
                                 1089, "2.3.4", "code", "ios")
    assert ws.doc.prepull_enabled is False

    again = Services(workspace)
    try:
        window = MainWindow(again)
        qtbot.addWidget(window)
        c = window.composer
        assert c.appid.text() == "wxabcdef0123456789" and c.path.text() == "pages/detail/index"
        assert c.query.text() == "a=1+2&b=%E4%B8%AD&c=x%26y%3Dz" and c.scene_text() == "1089"
        assert c.identity_kind.currentData() == "code" and c.platform.currentData() == "ios"
        assert window.cache_view.prefetch_enabled.isChecked() is False
        assert "wxabcdef0123456789" in window.windowTitle()
    finally:
        await again.aclose()


async def test_settings_dialog_shows_every_protocol_setting_with_its_rule_and_saves_it(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    dialog = window.show_settings()
    assert set(dialog.editors) == {"timestamp_unit", "timeout_s", "follow_redirects", "require_2xx",
                                   "body_limit_bytes", "periodic_interval_h", "periodic_usage_window_days",
                                   "periodic_expiry_h", "accept_encoding", "limit_applies_to", "user_agent"}
    assert "P12" in dialog.editors["body_limit_bytes"].toolTip()
    dialog.editors["body_limit_bytes"].setValue(1000)
    dialog.editors["timeout_s"].setValue(2.5)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert services.settings.max_body_bytes == 1000 and services.settings.timeout_s == 2.5
    await services.aclose()
    ws = Workspace.load(services.workspace.path)
    assert ws.doc.protocol.body_limit_bytes == 1000 and ws.doc.protocol.timeout_s == 2.5


async def test_a_workspace_made_in_the_gui_opens_from_the_cli_and_back(qtbot, services, tmp_path):
    window = MainWindow(services)
    qtbot.addWidget(window)
    target = tmp_path / f"team{SUFFIX}"
    window.composer.appid.setText("wx1111111111111111")
    assert window.save_as(target)
    assert window.next_workspace == target
    code, out, err = await run_cli("workspace", "show", str(target), "--json")
    assert code == 0, err and '"appid": "wx1111111111111111"' in out
    # and the other way round: the CLI changes the rollout, the GUI shows it
    code, _, err = await run_cli("traffic", "--users", "5", "--percent", "12", "--workspace", str(target))
    assert code == 0, err
    other = Services(target)
    try:
        view = MainWindow(other).traffic_view
        qtbot.addWidget(view.window())
        assert view.rollout.percent == 12 and "cannot go below 12%" in view.rollout_label.text()
    finally:
        await other.aclose()


async def test_a_broken_file_is_refused_with_its_sentence_and_left_alone(qtbot, services, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = MainWindow(services)
    qtbot.addWidget(window)
    broken = tmp_path / f"broken{SUFFIX}"
    broken.write_text("[protocol]\ntimeout_s = -1\n")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert window.open_workspace(broken) is False
    assert "protocol.timeout_s (line 2)" in shown[0] and window.next_workspace is None
    await asyncio.sleep(0)
    assert broken.read_text() == "[protocol]\ntimeout_s = -1\n"


async def test_a_failing_store_does_not_swallow_the_composers_answer(qtbot, services, monkeypatch):
    """Issue 9: a failure of the composer's send must not vanish silently."""
    from tests.support.qt_async import signal_emitted
    from workbench.core.errors import StoreError

    await services.start_mock()
    window = MainWindow(services)
    qtbot.addWidget(window)

    def broken(*args, **kwargs):
        raise StoreError("The workspace database is locked by another program.")

    monkeypatch.setattr(services.store, "add_outcome", broken)
    monkeypatch.setattr(services.store, "add_outcomes", broken)
    message = signal_emitted(services.message)
    window.composer.send()
    await window.composer.send_task
    (text,) = await message
    assert "not stored in the history" in text and "locked by another program" in text
    assert window.composer.response.status.text().startswith("200")


async def test_a_crashing_task_is_reported_in_the_status_bar(qtbot, services):
    from tests.support.qt_async import signal_emitted

    window = MainWindow(services)
    qtbot.addWidget(window)

    async def boom():
        raise RuntimeError("disk on fire")

    message = signal_emitted(services.message)
    task = services.tasks.run("demo task", boom())
    await asyncio.gather(task, return_exceptions=True)
    (text,) = await message
    assert text == "demo task failed unexpectedly: RuntimeError: disk on fire"


async def test_p11_p12_header_settings_are_in_the_dialog_and_take_effect(qtbot, services):
    """Issue 10 item 7/11: every assumption is a workspace setting shown with its rule, and used."""
    window = MainWindow(services)
    qtbot.addWidget(window)
    dialog = window.show_settings()
    assert {"accept_encoding", "limit_applies_to", "user_agent"} <= set(dialog.editors)
    dialog.editors["accept_encoding"].setCurrentIndex(dialog.editors["accept_encoding"].findData("gzip"))
    dialog.editors["user_agent"].setText("bad\r\nInjected: yes")
    dialog.accept()
    assert "User-Agent" in dialog.error.text() and services.settings.accept_encoding == "identity"
    dialog.editors["user_agent"].setText("MyProbe/1.0")
    dialog.accept()
    assert services.settings.accept_encoding == "gzip" and services.settings.user_agent == "MyProbe/1.0"
    assert services.client.settings.request_headers()["User-Agent"] == "MyProbe/1.0"


async def test_the_first_start_opens_the_demo_and_one_click_makes_a_round_trip(qtbot, tmp_path, monkeypatch):
    """Issue 9 item 7: a new user presses Send and sees the response, the cache and the history."""
    from PySide6.QtCore import Qt

    from tests.support.qt_async import signal_emitted
    from workbench import app as app_module
    from workbench.core import workspace as ws_module
    from workbench.ui.main_window import RECENT_KEY

    monkeypatch.setattr(ws_module, "default_workspace_dir", lambda: tmp_path / "userdata")
    from PySide6.QtCore import QSettings

    QSettings().remove(RECENT_KEY)
    demo = app_module.demo_workspace()
    assert demo.path == tmp_path / "userdata" / f"demo{SUFFIX}"
    demo.doc.mock.port = 0  # tests bind free ports only
    demo.save()
    assert app_module.initial_workspace(None) == demo.path
    services = Services(demo.path)
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        await services.autostart_mock()
        composer = window.composer
        assert composer.target.currentData() == "main" and composer.path.text() == "pages/index/index"
        stored = signal_emitted(services.outcomeStored)
        qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)  # the one click
        (history_id,) = await stored
        await composer.send_task
        assert composer.response.status.text().startswith("200")
        record = services.store.history(history_id)
        assert record.cached and record.query == "id=42&from=demo" and record.scene == 1047
        await window.cache_view.refresh()
        assert window.cache_view.model.rowCount() == 1
        await window.history_view.model.load_task
        assert window.history_view.model.total == 1
    finally:
        await services.aclose()


async def test_the_workspace_joins_open_recent_after_the_first_paint(qtbot, services):
    """Writing the settings file took ~5 ms before the first paint (issue 13): the window is
    built without it, and finish_opening (after the first paint) adds the workspace."""
    from PySide6.QtCore import QSettings

    from workbench.app import finish_opening
    from workbench.ui.main_window import RECENT_KEY, recent_workspaces

    QSettings().remove(RECENT_KEY)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert str(services.workspace.path) not in recent_workspaces()
    await finish_opening(window, services)
    assert recent_workspaces()[0] == str(services.workspace.path)
