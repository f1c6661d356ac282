"""Tables show what matters at 1280 px, cut cells explain themselves in a tooltip, and the user's
column layout (hidden, moved, resized) survives a restart of the view (issue 12 item 2)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTableView

from workbench.core.store import CacheEntry
from workbench.mockserver.server import RequestLog
from workbench.ui.cache_view import CacheModel
from workbench.ui.request_log import RequestLogModel, RequestLogView
from workbench.ui.table_layout import CutTextToolTips, TableLayout, settings_key

TIP = Qt.ItemDataRole.ToolTipRole


def _visible_within(table: QTableView, names: list[str], columns: tuple[str, ...], width: int) -> bool:
    header = table.horizontalHeader()
    return all(header.sectionViewportPosition(columns.index(n)) + header.sectionSize(columns.index(n)) <= width
               and not header.isSectionHidden(columns.index(n)) for n in names)


def test_mock_log_shows_status_rule_and_latency_first(qtbot):
    view = RequestLogView()
    qtbot.addWidget(view)
    view.resize(700, 400)  # the log's share of a 1280 px window
    view.show()
    assert _visible_within(view.table, ["time", "status", "latency", "rule"], RequestLogModel.COLUMNS, 700)
    assert view.table.horizontalHeader().sectionsMovable()


def test_cache_table_shows_query_and_scene_and_a_whole_timestamp(qtbot, services):
    from workbench.ui.cache_view import CacheView

    view = CacheView(services)
    qtbot.addWidget(view)
    view.columns.table.resize(700, 300)
    view.show()
    cols = CacheModel.COLUMNS
    assert _visible_within(view.table, ["fetch_type", "user", "query", "scene", "time_stamp"], cols, 700)
    stamp = view.table.horizontalHeader().sectionSize(cols.index("time_stamp"))
    assert view.table.fontMetrics().horizontalAdvance("1700000000000") + 8 < stamp


def _log(n: int, query: str) -> RequestLog:
    return RequestLog(id=n, time_ms=1_700_000_000_000, endpoint="main", method="GET", target="/prefetch",
                      params=[("path", "pages/a"), ("query", query), ("timestamp", "1700000000")],
                      user="alice", openid="o1", token_state="valid", rule="default", status=200, size=10,
                      latency_ms=1.5, fault="none", request_headers=[], response_headers=[], response_body=b"{}")


def test_models_give_the_whole_text_as_tooltip(qtbot):
    cache = CacheModel()
    data = '{"items": [' + ", ".join(str(i) for i in range(200)) + "]}"
    cache.set_entries([CacheEntry(appid="wx1", user="alice", fetch_type="pre", fetched_data=data,
                                  time_stamp=1700000000000, path="pages/a", query="id=1&from=x", scene=1047,
                                  url="http://127.0.0.1:1/p", status=200, address_kind="main", size=len(data),
                                  history_id=None)])
    cols = CacheModel.COLUMNS
    assert cache.index(0, cols.index("data")).data() == data[:120]
    assert cache.index(0, cols.index("data")).data(TIP) == data  # the whole body, not the cut row
    assert cache.index(0, cols.index("query")).data(TIP) == "id=1&from=x"
    assert cache.index(0, cols.index("time_stamp")).data(TIP) == "1700000000000"

    log = RequestLogModel()
    log.append([_log(1, "q=" + "x" * 80)])
    query = log.index(0, RequestLogModel.COLUMNS.index("query"))
    assert query.data(TIP) == query.data() == "q=" + "x" * 80
    assert log.index(0, RequestLogModel.COLUMNS.index("timestamp")).data(TIP) == "1700000000"  # the raw value


def test_tooltip_only_for_cut_cells(qtbot):
    log = RequestLogView()
    qtbot.addWidget(log)
    log.show()
    log.add([_log(1, "q=" + "x" * 200)])
    delegate = log.table.itemDelegate()
    assert isinstance(delegate, CutTextToolTips)
    option = _option(log.table, RequestLogModel.COLUMNS.index("query"))
    assert delegate.is_cut(option, log.proxy.index(0, RequestLogModel.COLUMNS.index("query")))
    option = _option(log.table, RequestLogModel.COLUMNS.index("status"))
    assert not delegate.is_cut(option, log.proxy.index(0, RequestLogModel.COLUMNS.index("status")))


def _option(table, column):
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = table.visualRect(table.model().index(0, column))
    option.widget = table
    return option


def test_column_chooser_hides_shows_and_resets(qtbot):
    view = RequestLogView()
    qtbot.addWidget(view)
    layout: TableLayout = view.columns
    header = view.table.horizontalHeader()
    user = RequestLogModel.COLUMNS.index("user")
    menu = layout.column_menu()
    actions = {a.data(): a for a in menu.actions() if a.isCheckable()}
    assert len(actions) == len(RequestLogModel.COLUMNS)
    assert not actions[RequestLogModel.COLUMNS.index("appid")].isChecked()  # hidden by default
    actions[user].setChecked(False)
    assert header.isSectionHidden(user)
    actions[user].setChecked(True)
    assert not header.isSectionHidden(user)
    for column in range(len(RequestLogModel.COLUMNS)):  # the last visible column cannot be hidden
        layout.set_column_visible(column, False)
    assert sum(not header.isSectionHidden(c) for c in range(len(RequestLogModel.COLUMNS))) == 1
    reset = next(a for a in menu.actions() if a.text() == "Reset columns")
    reset.trigger()
    assert header.isSectionHidden(RequestLogModel.COLUMNS.index("appid"))
    assert not header.isSectionHidden(user)
    assert QSettings().value(settings_key(view.table)) is None


def test_layout_survives_a_restart_of_the_view(qtbot):
    cols = RequestLogModel.COLUMNS
    first = RequestLogView()
    qtbot.addWidget(first)
    header = first.table.horizontalHeader()
    header.resizeSection(cols.index("path"), 233)
    header.moveSection(header.visualIndex(cols.index("user")), 0)
    first.columns.set_column_visible(cols.index("appid"), True)
    first.columns.set_column_visible(cols.index("scene"), False)
    QSettings().sync()

    again = RequestLogView()
    qtbot.addWidget(again)
    header = again.table.horizontalHeader()
    assert header.sectionSize(cols.index("path")) == 233
    assert header.visualIndex(cols.index("user")) == 0
    assert not header.isSectionHidden(cols.index("appid"))
    assert header.isSectionHidden(cols.index("scene"))
    assert header.sectionsMovable() and header.stretchLastSection()


def test_a_saved_layout_for_other_columns_is_ignored(qtbot):
    first = RequestLogView()
    qtbot.addWidget(first)
    first.columns.set_column_visible(RequestLogModel.COLUMNS.index("scene"), False)
    QSettings().setValue("tables/requestLog/columns", len(RequestLogModel.COLUMNS) + 1)  # an older version's
    again = RequestLogView()
    qtbot.addWidget(again)
    assert not again.table.horizontalHeader().isSectionHidden(RequestLogModel.COLUMNS.index("scene"))
