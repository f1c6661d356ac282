"""The Traffic tab's Launches dialog (P7): how a run's simulated users launch the Mini Program,
edited in a table, kept in the workspace file, and sent by a run from the tab."""

from __future__ import annotations

import asyncio
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QDialogButtonBox, QLineEdit

from tests.support.qt_async import signal_emitted, until
from tests.ui.test_traffic_view import traffic_window
from workbench.core.errors import WorkspaceError
from workbench.core.launch_mix import LaunchMix, LaunchVariant
from workbench.core.rollout import Population
from workbench.core.workspace import Workspace
from workbench.ui.launch_mix_dialog import PATH, QUERY, SCENE, SHARE, VERSION, WEIGHT, LaunchMixDialog


async def open_dialog(qtbot, view) -> LaunchMixDialog:
    """Click the tab's Launches button; the dialog it opens."""
    qtbot.mouseClick(view.launches_button, Qt.MouseButton.LeftButton)
    await until(lambda: any(d.isVisible() for d in view.findChildren(LaunchMixDialog)))
    (dialog,) = [d for d in view.findChildren(LaunchMixDialog) if d.isVisible()]
    return dialog


async def type_into(qtbot, dialog: LaunchMixDialog, row: int, column: int, text: str) -> None:
    """Edit a cell as a user does: open its editor, replace the text, press Enter (the delegate
    commits on the next turn of the loop)."""
    table = dialog.table
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    index = table.model().index(row, column)
    editor = table.indexWidget(index)  # the cell's open editor
    assert isinstance(editor, QLineEdit) and editor.isVisible()
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # QTest types Latin-1 only: Chinese arrives as an input method commits it
        editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    await until(lambda: table.indexWidget(index) is None and dialog.text(row, column) == text)


def click(qtbot, dialog: LaunchMixDialog, which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


async def test_the_dialog_edits_rows_refuses_a_bad_row_and_ok_saves_them_in_the_workspace_file(qtbot, services):
    view = await traffic_window(qtbot, services)
    assert view.launches_button.text() == "Launches: pages/index/index · 1001"
    path = services.workspace.path
    dialog = await open_dialog(qtbot, view)
    assert dialog.table.rowCount() == 0 and dialog.total.text() == "No rows: the default launch"
    assert not dialog.remove_button.isEnabled()

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # a new row starts as the default launch
    assert [dialog.text(0, c) for c in (WEIGHT, PATH, QUERY, SCENE, VERSION)] == \
        ["1", "pages/index/index", "", "1001", ""]
    await type_into(qtbot, dialog, 0, WEIGHT, "3")
    await type_into(qtbot, dialog, 0, PATH, "pages/home")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    for column, text in ((PATH, "pages/活动/detail"), (QUERY, "id=7&from=qr"), (SCENE, "abc"), (VERSION, "2.1.0")):
        await type_into(qtbot, dialog, 1, column, text)
    assert [dialog.text(r, SHARE) for r in (0, 1)] == ["75.0 %", "25.0 %"]  # read-only, follows the weights
    assert not dialog.table.item(0, SHARE).flags() & Qt.ItemFlag.ItemIsEditable
    assert dialog.total.text() == "2 launches, total weight 4"

    before = path.read_text(encoding="utf-8")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == ("Row 2: The scene 'abc' is not an integer: enter a scene value such as 1047.")
    assert services.document.doc.traffic.launches == [] and path.read_text(encoding="utf-8") == before

    await type_into(qtbot, dialog, 1, WEIGHT, "0")
    await type_into(qtbot, dialog, 1, SCENE, "1047")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.error.text() == \
        "Row 2: A launch's weight must be a whole number of at least 1, not 0."
    await type_into(qtbot, dialog, 1, WEIGHT, "\u00b2")  # a digit to str.isdigit, not to int(): it crashed the table
    assert [dialog.text(r, SHARE) for r in (0, 1)] == ["100.0 %", "—"]
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.error.text() == \
        "Row 2: A launch's weight must be a whole number of at least 1, not '\u00b2'."
    await type_into(qtbot, dialog, 1, WEIGHT, "1")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    expected = LaunchMix((LaunchVariant(3, "pages/home", "", 1001, ""),
                          LaunchVariant(1, "pages/活动/detail", "id=7&from=qr", 1047, "2.1.0")))
    await until(lambda: Workspace.load(path).launch_mix() == expected)  # in the file, for the team and the CLI
    assert 'path = "pages/活动/detail"' in path.read_text(encoding="utf-8")
    assert view.launch_mix() == expected and view.launches_button.text() == "Launches: 2 kinds"
    assert "75.0 % · pages/home · scene 1001" in view.launches_button.toolTip()
    assert "25.0 % · pages/活动/detail · query id=7&from=qr · scene 1047 · version 2.1.0" in \
        view.launches_button.toolTip()

    # Remove, then Cancel: nothing changes; Remove everything and OK: back to the default launch
    dialog = await open_dialog(qtbot, view)
    assert dialog.table.rowCount() == 2 and dialog.text(1, PATH) == "pages/活动/detail"
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.text(0, SHARE) == "100.0 %"
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert view.launch_mix() == expected
    dialog = await open_dialog(qtbot, view)
    for _ in range(2):
        dialog.table.selectRow(0)
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    await until(lambda: "launches" not in path.read_text(encoding="utf-8"))
    assert view.launch_mix() == LaunchMix.default() and view.launches_button.text() == \
        "Launches: pages/index/index · 1001"


async def test_load_csv_replaces_the_rows_and_a_bad_file_changes_nothing(qtbot, services, tmp_path):
    view = await traffic_window(qtbot, services)
    dialog = await open_dialog(qtbot, view)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    bad = tmp_path / "bad.csv"
    bad.write_text("weight,page\n1,pages/a\n", encoding="utf-8")
    dialog.choose_csv = lambda: str(bad)  # the file the user picks in the file dialog
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    await dialog.csv_task  # read in a thread
    assert dialog.error.text() == (f"The launch mix {bad} must start with the header line "
                                   "weight,path,query,scene,version (weight is required), not weight,page.")
    assert dialog.table.rowCount() == 1 and dialog.text(0, PATH) == "pages/index/index"  # unchanged
    bad.write_text("weight,path,query,scene,version\n2,pages/a,,1001,\nx,pages/b,,,\n", encoding="utf-8")
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    await dialog.csv_task  # read in a thread
    assert dialog.error.text() == (f"The launch mix {bad}, line 3: A launch's weight must be a whole number of at "
                                   "least 1, not 'x'.")
    assert dialog.table.rowCount() == 1

    good = tmp_path / "mix.csv"
    good.write_text("weight,path,query,scene,version\n70,pages/a,x=1,1011,\n30,pages/b,,,3.0\n", encoding="utf-8")
    dialog.choose_csv = lambda: str(good)
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    await dialog.csv_task  # read in a thread
    assert not dialog.error.isVisible() and dialog.table.rowCount() == 2
    assert [dialog.text(1, c) for c in (WEIGHT, PATH, QUERY, SCENE, VERSION, SHARE)] == \
        ["30", "pages/b", "", "", "3.0", "30.0 %"]
    assert services.document.doc.traffic.launches == []  # nothing is kept before OK
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert view.launch_mix() == LaunchMix.load(good)


async def test_a_read_only_window_shows_the_launches_read_only(qtbot, services, workspace):
    from workbench.services import Services
    from workbench.ui.main_window import MainWindow

    view = await traffic_window(qtbot, services)
    view.set_launch_mix(LaunchMix.parse_scene_mix("1001:1,1047:1"))
    services.document.flush()
    second = Services(workspace, read_only=True)
    try:
        window = MainWindow(second)
        qtbot.addWidget(window)
        window.show()
        other = window.traffic_view
        assert other.launches_button.text() == "Launches: 2 kinds"
        dialog = await open_dialog(qtbot, other)
        assert dialog.table.rowCount() == 2
        assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        assert not any(b.isEnabled() for b in (dialog.add_button, dialog.remove_button, dialog.csv_button))
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok) is None
        assert dialog.findChild(type(dialog.total), "launchReadOnly").text() == second.read_only_reason
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Close)
        assert not dialog.isVisible()
        try:
            other.set_launch_mix(None)
        except WorkspaceError as exc:
            assert str(exc) == second.read_only_reason
        else:
            raise AssertionError("a read-only window changed the launches")
        assert other.launch_mix() == view.launch_mix()
    finally:
        await second.aclose()


async def test_a_run_from_the_traffic_tab_sends_each_user_the_launch_the_workspace_keeps(qtbot, services):
    """P7: a 2-row mix set in the dialog; each stored cold start carries its user's pick (by user
    index, so deterministic), about 3:1, and a restart of the app keeps the mix."""
    view = await traffic_window(qtbot, services)
    dialog = await open_dialog(qtbot, view)
    for row, (weight, path, scene) in enumerate((("3", "pages/home", "1001"), ("1", "pages/活动", "1047"))):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        await type_into(qtbot, dialog, row, WEIGHT, weight)
        await type_into(qtbot, dialog, row, PATH, path)
        await type_into(qtbot, dialog, row, SCENE, scene)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    mix = view.launch_mix()
    assert [(v.weight, v.path, v.scene) for v in mix.variants] == [(3, "pages/home", 1001), (1, "pages/活动", 1047)]

    view.run_count.setValue(400)
    changed = signal_emitted(services.historyChanged, timeout=60)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    stats = (await asyncio.wait_for(view.run_task, 60)).stats
    await changed
    await services.tasks.drain_writes()
    assert sum(stats.sent.values()) == 400
    records = [services.store.history(i) for i in services.store.history_ids()]
    assert len(records) == 400
    population = Population(size=view.population_size.value(), seed=services.document.doc.population.seed)
    expected = {u.openid: mix.pick(u.index) for u in population.users()[:400]}
    sent = Counter()
    for record in records:
        params = dict(record.params)
        want = expected[record.user]
        assert (params["path"], int(params["scene"])) == (want.path, want.scene)
        sent[params["path"]] += 1
    assert sent["pages/home"] + sent["pages/活动"] == 400 and 250 < sent["pages/home"] < 350  # about 3:1

    services.document.flush()
    from workbench.services import Services
    from workbench.ui.main_window import MainWindow

    await services.aclose()
    again = Services(services.workspace.path)
    try:
        window = MainWindow(again)
        qtbot.addWidget(window)
        assert window.traffic_view.launch_mix() == mix and window.traffic_view.launches_button.text() == \
            "Launches: 2 kinds"
    finally:
        await again.aclose()


async def test_the_traffic_controls_show_whole_in_chinese_at_1280x720(qtbot, services, chinese):
    """Seen on the 1280×720 screenshots: a CJK font's taller lines left the Cold starts row (with
    the Launches button) cut off under a scroll bar, because the controls' height was measured
    before the window was styled."""
    from workbench.ui.main_window import MainWindow

    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    view = window.traffic_view
    window.tabs.setCurrentWidget(view)
    scroll = view.findChild(QAbstractScrollArea, "trafficControls")
    assert view.launches_button.text() == "启动：pages/index/index · 1001"
    await until(lambda: view.isVisible() and not scroll.verticalScrollBar().isVisible(), timeout=3)
    assert view.launches_button.visibleRegion().boundingRect().height() == view.launches_button.height()
