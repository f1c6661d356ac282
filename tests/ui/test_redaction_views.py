"""Views mask secrets (issue 11 item 2), through the real widgets: the history table and its diff
dialog against a server that echoes the token everywhere, the mock tab's "Users and tokens"
table and its live request log. Every encoding of every secret: zero hits unless "Show"."""

from __future__ import annotations

from urllib.parse import quote

import pytest_asyncio
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QStyleOptionViewItem

from tests.support.leaky import APPID, BASE_TOKEN, PASSWORD, PLAIN_TOKEN, TOKEN, USER, make_leaky_app, session_key_for
from tests.support.qt_async import signal_emitted
from tests.support.secrets import leaks
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.mockserver.runner import ServerRunner
from workbench.ui.history_view import HistoryModel, HistoryView
from workbench.ui.mock_view import MockServerView, UsersEditor

SECRETS = (TOKEN, PLAIN_TOKEN, BASE_TOKEN, PASSWORD, *(session_key_for(s) for s in (TOKEN, PLAIN_TOKEN)))


@pytest_asyncio.fixture
async def leaky():
    runner = ServerRunner(make_leaky_app(), "127.0.0.1", 0)
    url = await runner.start()
    yield url
    await runner.stop()


def drawn(view, index) -> str:
    """The text a view draws for a cell: what its delegate puts in the style option."""
    option = QStyleOptionViewItem()
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    return option.text


async def test_history_table_and_diff_dialog_mask_every_echoed_secret(qtbot, services, leaky):
    host = leaky.removeprefix("http://")
    base = f"http://{USER}:{quote(PASSWORD, safe='')}@{host}/leak/302?token={BASE_TOKEN}"
    for token in (TOKEN, PLAIN_TOKEN):
        request = PrefetchRequest(url=base, appid=APPID, identity=Identity(token=token),
                                  launch=Launch(path="pages/a", query=f"ref=/s?token={quote(token, safe='')}"))
        await services.send(request, source="composer", user="alice")
    view = HistoryView(services)
    qtbot.addWidget(view)
    view.show()
    await view.model.load_task  # the rows come from a thread
    assert view.model.rowCount() == 2
    url, verdict = HistoryModel.COLUMNS.index("url"), HistoryModel.COLUMNS.index("verdict")
    cells = [view.model.index(row, col).data(role) for row in range(2)
             for col, role in ((url, Qt.ItemDataRole.DisplayRole), (verdict, Qt.ItemDataRole.ToolTipRole))]
    assert "redirect" in "".join(cells).lower()  # the tooltip quotes the Location...
    assert leaks("\n".join(cells), *SECRETS) == []  # ...masked, like the URL

    view.table.selectAll()
    dialog = await view.show_diff()
    text = dialog.text.toPlainText()
    dialog.close()
    assert "x-echo-token" in text and "set-cookie" in text and "location" in text
    assert leaks(text, *SECRETS) == []
    assert "••••••8e7d" in text and "••••••6789" in text  # masked, still told apart


async def test_users_tab_masks_tokens_until_show_is_ticked(qtbot, services):
    editor = UsersEditor(services)
    qtbot.addWidget(editor)
    editor.show()
    table = editor.table
    tokens = [u.token for u in services.mock.config.users]
    assert tokens == ["token-alice", "token-bob"]
    shown = [drawn(table, table.model().index(row, 1)) for row in range(table.rowCount())]
    assert shown == ["••••••lice", "••••••-bob"] and leaks("".join(shown), *tokens) == []
    # editing a token happens in a password field while hidden; the real value is kept
    table.setCurrentCell(0, 1)
    table.editItem(table.item(0, 1))
    editor_widget = table.findChild(QLineEdit)
    assert editor_widget.echoMode() == QLineEdit.EchoMode.Password and editor_widget.text() == "token-alice"
    table.closePersistentEditor(table.item(0, 1))

    qtbot.mouseClick(editor.show_tokens, Qt.MouseButton.LeftButton)
    assert editor.show_tokens.isChecked()
    assert [drawn(table, table.model().index(row, 1)) for row in range(2)] == tokens


async def test_request_log_masks_a_token_quoted_in_the_launch_query(qtbot, services):
    url = await services.start_mock()
    view = MockServerView(services)
    qtbot.addWidget(view)
    view.show()
    request = PrefetchRequest(url=services.mock.url("main"), appid=APPID, identity=Identity(token="token-alice"),
                              launch=Launch(path="pages/a", query="ref=/share?token=token-alice"))
    logged = signal_emitted(services.mockRequestsLogged)  # the view is connected first: it has the row
    await services.send(request, source="composer", user="alice")
    await logged
    log = view.log_view
    model = log.model
    row_text = " ".join(str(model.index(0, c).data()) for c in range(model.columnCount()))
    assert "token-alice" not in row_text and "••••••lice" in row_text and url.startswith("http://127.0.0.1")
    log.table.selectRow(0)
    assert "token-alice" not in log.detail.toPlainText() and "GET /prefetch" in log.detail.toPlainText()
    qtbot.mouseClick(log.show_secrets, Qt.MouseButton.LeftButton)
    assert "token-alice" in " ".join(str(model.index(0, c).data()) for c in range(model.columnCount()))
    assert "token-alice" in log.detail.toPlainText()
