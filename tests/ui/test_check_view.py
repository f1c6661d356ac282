"""Tools > Check server…: the result model role by role, and the dialog running the checks
against the mock through its workflow, from a failed check to its request in the history."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QModelIndex, Qt

from tests.support.locustfile import load_locustfile
from tests.support.qt_async import signal_emitted
from tests.ui.windows import open_window
from workbench.core.check import CHECK_NAMES, CheckResult, Why, skipped
from workbench.core.launch_mix import LaunchMix
from workbench.core.model import Reason
from workbench.core.protocol import Launch
from workbench.mockserver.rules import Rule
from workbench.ui import theme
from workbench.ui.check_view import CheckResultsModel, HistoryIdRole

D, FG, TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole


def sample_results() -> list[CheckResult]:
    return [
        CheckResult("status", True, Why.of("status_ok", status="200 OK"), (1,), 1),
        CheckResult("scenes", False, Why.of("scenes_bad", failed=1, n=21, scene=1047,
                                            reason=Reason.of("status", status=500)), (2, 3, 4), 3),
        skipped("gray"),
    ]


def test_the_result_model_role_by_role(qtmodeltester):
    model = CheckResultsModel()
    qtmodeltester.check(model)
    for result in sample_results():
        model.add(result)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 3
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Result", "Check", "Why"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None

    def cell(row, column, role=D):
        return model.index(row, CheckResultsModel.COLUMNS.index(column)).data(role)

    assert (cell(0, "result"), cell(1, "result"), cell(2, "result")) == ("Passed", "Failed", "Not run")
    assert cell(0, "check") == "Typical launch gets 2xx (P11)" and cell(2, "check") == "Gray address (P25)"
    assert cell(1, "detail") == ("1 of 21 common scenes were not cached, the first being scene 1047: The server "
                                 "answered 500; only a 2xx status is cached (P11).")
    assert cell(2, "detail") == "Not run: no gray address was given (P25)."
    assert [cell(r, "result", FG) for r in range(3)] == [theme.color("ok"), theme.color("error"), theme.color("skip")]
    assert cell(0, "detail", FG) is None
    assert cell(1, "check", TIP).endswith("Double-click to open request #3 in the history.")
    assert cell(2, "check", TIP) == "Not run: no gray address was given (P25)."
    assert [cell(r, "result", HistoryIdRole) for r in range(3)] == [1, 3, None]
    assert model.index(5, 0).data(D) is None and model.data(QModelIndex()) is None
    assert model.counts() == {"passed": 1, "failed": 1, "skipped": 1}
    model.clear()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


async def check_window(qtbot, services):
    return await open_window(qtbot, services)


async def test_check_server_runs_every_check_and_a_failed_one_leads_to_its_request(qtbot, services):
    window = await check_window(qtbot, services)
    services.mock.rules.rules.append(Rule(name="broken 1047", scene=1047, status=500, body="boom"))
    window.check_action.trigger()
    dialog = window.check_dialog
    assert dialog.isVisible()
    mock = services.mock
    assert dialog.url.text() == mock.url("main") and dialog.gray_url.text() == mock.url("gray")
    assert dialog.periodic_url.text() == mock.url("periodic") and dialog.token.text() == "token-alice"
    assert dialog.token.echoMode() == dialog.token.EchoMode.Password  # a secret is not shown by default
    dialog.requests.setValue(3)
    dialog.budget.setValue(4000)  # the latency check is not what this test is about

    started = signal_emitted(dialog.workflow.started, timeout=10)
    done = signal_emitted(dialog.workflow.finished, timeout=60)
    history_changed = signal_emitted(services.historyChanged, timeout=60)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    await started
    assert not dialog.run_button.isEnabled() and dialog.summary.text() == "Checking…"
    (results,) = await done
    await history_changed
    assert len(results) == len(CHECK_NAMES)
    model = dialog.model
    assert [model.result(r).name for r in range(model.rowCount())] == list(CHECK_NAMES)
    assert dialog.summary.text() == "10 passed, 1 failed, 0 not run."
    row = list(CHECK_NAMES).index("scenes")
    assert model.index(row, 0).data() == "Failed"
    assert "scene 1047" in model.index(row, 2).data()
    assert dialog.table.currentIndex().row() == row and dialog.show_button.isEnabled()  # the failure is selected

    shown = signal_emitted(dialog.showHistory)
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    (history_id,) = await shown
    record = services.store.history(history_id)
    assert record.source == "check" and record.scene == 1047 and record.status == 500

    shown = signal_emitted(dialog.showHistory)
    dialog.table.doubleClicked.emit(model.index(0, 1))  # a passing check opens its request too
    (first_id,) = await shown
    assert services.store.history(first_id).status == 200
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()


async def test_bad_input_is_one_sentence_in_the_dialog_and_nothing_is_sent(qtbot, services):
    window = await check_window(qtbot, services)
    dialog = window.show_check_dialog()
    dialog.token.clear()
    before = services.store.history_count()
    assert dialog.run() is None
    assert "Give a token the server accepts" in dialog.error.text()
    dialog.token.setText("token-alice")
    dialog.appid.setText("wx123")
    assert dialog.run() is None and "is not valid" in dialog.error.text()
    dialog.url.clear()
    assert dialog.run() is None and dialog.error.text() == "Enter the address of the server to check."
    assert services.store.history_count() == before and dialog.model.rowCount() == 0


async def test_cancelling_a_check_stops_it_and_says_so(qtbot, services):
    window = await check_window(qtbot, services)
    dialog = window.show_check_dialog()
    services.mock.rules.default.delay_ms = 200
    dialog.requests.setValue(50)
    first = signal_emitted(dialog.workflow.resultReady, timeout=30)
    failed = signal_emitted(dialog.workflow.failed, timeout=30)
    task = dialog.run()
    await first  # the typical launch's three checks are decided; the latency requests are under way
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    (message,) = await failed
    assert message == "The check was cancelled; the requests sent so far are in the history."
    await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled() and dialog.run_button.isEnabled() and dialog.summary.text() == message
    assert dialog.model.rowCount() == 3


async def test_the_traffic_tab_exports_the_same_scenario_as_a_locust_file(qtbot, services, tmp_path, monkeypatch):
    window = await check_window(qtbot, services)
    view = window.traffic_view
    assert view.launch_mix() == LaunchMix.default()  # what a run from this tab sends when given no mix
    mix = LaunchMix.parse_scene_mix("1001:70,1047:20,1089:10", Launch(path="pages/x", query="k=v"))
    view.set_launch_mix(mix)
    view.population_size.setValue(200)
    view.token_share.setValue(50)
    view.run_count.setValue(150)
    view.rate.setValue(25)
    await view.index_task
    view.percent.setValue(30)
    view.confirm_apply = lambda percent: True  # the user confirms the percentage
    view.apply()
    path = tmp_path / "exported.py"
    message = signal_emitted(services.message, timeout=30)
    await view.export_locust(str(path))
    (text,) = await message
    assert text.startswith(f"Wrote {path}: 150 users, main ") and "keep it private" in text
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    source = path.read_text(encoding="utf-8")
    mock = services.mock
    assert f"MAIN_URL = {mock.url('main')!r}" in source and f"GRAY_URL = {mock.url('gray')!r}" in source
    assert f"CODE_EXCHANGE_URL = {mock.base_url + '/sns/jscode2session'!r}" in source
    assert "PERCENT = 30.0" in source and "RATE = 25.0" in source and source.count("'release'),\n") == 150
    # the tab's launch mix, picked per user exactly as the tab's run picks it
    module = load_locustfile(source)
    assert [module["launch_for"](i)[3] for i in range(150)] == [mix.pick(i).scene for i in range(150)]
    runs = []
    monkeypatch.setattr(services.traffic, "run", lambda *args, **kwargs: runs.append(kwargs))
    view.run()
    assert runs[0]["launch_mix"] == mix  # a run takes the same mix from the same place (the workspace)

    view.main_url.setText("ftp://nowhere.invalid/")
    assert view.export_locust(str(tmp_path / "not.py")) is None and "https://" in view.refusal.text()


def test_check_sentences_are_translated_with_their_quoted_reasons_and_steps(qapp):
    import string

    from PySide6.QtCore import QLocale

    from workbench.app import install_translators
    from workbench.core.check import CHECK_TEMPLATES, WHO
    from workbench.ui.check_view import title_text, why_text

    translators = install_translators(qapp, QLocale("zh_CN"))
    try:
        assert translators, "the zh_CN translation did not load"
        inner = Why.of("refused_bad", who="missing", status="200 OK", size="144")
        why = Why.of("gray_bad", inner=inner)
        assert why_text(why) == ("灰度地址上：既没有 token 也没有 code 的启动得到 200 OK 和 144 字节：服务器把用户数据"
                                 "提供给任何请求者；请拒绝这类请求（例如返回 401）。")
        scenes = Why.of("scenes_bad", failed=1, n=21, scene=1047, reason=Reason.of("status", status=500))
        assert why_text(scenes).startswith("21 个常见场景值中有 1 个未被缓存，第一个是场景值 1047：服务器")
        assert title_text("missing_token") == "拒绝缺少 token 的请求"
        for key, template in CHECK_TEMPLATES.items():  # every translation keeps the template's fields
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            args = {f: "x" for f in fields - {"reason", "inner", "who"}}
            sample = Why.of(key, reason=Reason.of("status", status=500) if "reason" in fields else None,
                            inner=Why.of("status_ok", status="200") if "inner" in fields else None,
                            who=next(iter(WHO)) if "who" in fields else "", **args)
            assert why_text(sample) != sample.message, key
    finally:
        for t in translators:
            qapp.removeTranslator(t)
