"""P8 through the widget: the launch-query table is a view of the raw query as typed.

Typing a raw query and editing one cell changes only that pair's text in the raw query; every
other byte stays, and the raw query is what the composer sends.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from tests.unit.test_launch_query import CELL, ISSUE, RAW
from workbench.core import launch_query as lq
from workbench.ui.composer import ComposerView, QueryEditor


def edit_cell(editor: QueryEditor, row: int, column: int, text: str) -> None:
    """What the table's delegate does when the user commits an edit: setData on the model."""
    index = editor.table.model().index(row, column)
    editor.table.model().setData(index, text, Qt.ItemDataRole.EditRole)


def table_rows(editor: QueryEditor) -> list[tuple[str, str]]:
    return [(editor.table.item(r, 0).text(), editor.table.item(r, 1).text()) for r in range(editor.table.rowCount())]


def test_p8_issue_example_through_the_table(qtbot):
    editor = QueryEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.raw, ISSUE)
    assert editor.text() == ISSUE
    assert table_rows(editor) == [("a", "1+2"), ("b", "中"), ("c", "x&y=z"), ("", "")]
    edit_cell(editor, 3, 0, "d")  # a new pair in the empty row
    assert editor.text() == ISSUE + "&d="
    edit_cell(editor, 2, 1, "x&y=w")  # c was typed encoded: it stays encoded the same way
    assert editor.text() == "a=1+2&b=%E4%B8%AD&c=x%26y%3Dw&d="
    edit_cell(editor, 0, 0, "")
    edit_cell(editor, 0, 1, "")  # clearing both cells removes the pair
    assert editor.text() == "b=%E4%B8%AD&c=x%26y%3Dw&d="


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=RAW, data=st.data(), text=CELL, column=st.integers(0, 1))
def test_p8_editing_a_cell_changes_only_that_pair_in_the_raw_query(qtbot, raw, data, text, column):
    editor = QueryEditor()
    qtbot.addWidget(editor)
    editor.raw.setText(raw)  # typed (keyClicks in the example test above)
    rows = lq.pairs(raw)
    row = data.draw(st.integers(0, len(rows)))  # len(rows): the empty row that adds a pair
    before = table_rows(editor)
    assert before == [*lq.decoded_pairs(raw), ("", "")]
    edit_cell(editor, row, column, text)
    new = editor.text()
    key, value = before[row]
    key, value = (text, value) if column == 0 else (key, text)
    if row == len(rows):
        assert new == lq.append_pair(raw, key, value) and new.startswith(raw)
    elif key or value:
        seg = rows[row]
        assert new.startswith(raw[:seg.start]) and new.endswith(raw[seg.end:])
        assert lq.decoded_pairs(new)[row] == (key, value)
    # the table always shows the raw query it now holds
    assert table_rows(editor) == [*lq.decoded_pairs(new), ("", "")]


async def test_p8_the_raw_query_as_typed_is_what_the_composer_sends(qtbot, services):
    await services.start_mock()
    composer = ComposerView(services)
    qtbot.addWidget(composer)
    composer.query.raw.setText(ISSUE)
    edit_cell(composer.query, 0, 1, "1+3")
    assert composer.query.text() == "a=1+3&b=%E4%B8%AD&c=x%26y%3Dz"
    request = composer.build_request()
    assert request.launch.query == "a=1+3&b=%E4%B8%AD&c=x%26y%3Dz"
    sent = dict(parse_qsl(urlsplit(request.full_url()).query, keep_blank_values=True))
    assert sent["query"] == "a=1+3&b=%E4%B8%AD&c=x%26y%3Dz"  # decoding once gives it back (P8)
