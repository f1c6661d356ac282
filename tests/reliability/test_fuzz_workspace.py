"""Fuzzing the workspace loader and the launch-query table mapping (issue 11 item 8).

The loader meets hand-edited files: any TOML, any text. It either loads a document that
round-trips byte for byte, or raises WorkspaceError with one sentence; nothing else escapes.
"""

from __future__ import annotations

import tomli_w
from hypothesis import strategies as st

from tests.reliability.fuzzing import fuzz_pair, tricky_text
from tests.unit.test_launch_query import CELL, RAW
from workbench.core import launch_query
from workbench.core.errors import WorkspaceError
from workbench.core.workspace import WorkspaceFile, dumps, loads

_SECTIONS = ("addresses", "protocol", "rollout", "population", "traffic", "mock", "launch")
_KEYS = sorted({k for name in _SECTIONS for k in getattr(WorkspaceFile(), name).model_dump()})
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=True),
                     tricky_text, st.datetimes())
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(_KEYS) | tricky_text, inner, max_size=3), max_leaves=8)
_documents = st.dictionaries(
    st.sampled_from(["version", "appid", "prepull_enabled", *_SECTIONS]) | tricky_text,
    st.one_of(_values, st.dictionaries(st.sampled_from(_KEYS) | tricky_text, _values, max_size=6)), max_size=8)


def _toml(doc: dict) -> str | None:
    def clean(v):  # TOML has no null
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [clean(x) for x in v if x is not None]
        return v
    try:
        return tomli_w.dumps(clean(doc))
    except (TypeError, ValueError):
        return None


def _loads_or_one_sentence(text: str) -> None:
    try:
        doc = loads(text)
    except WorkspaceError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        return
    again = dumps(doc)
    assert dumps(loads(again)) == again  # what loads saves the same way twice


def prop_workspace_documents(doc: dict) -> None:
    text = _toml(doc)
    if text is not None:
        _loads_or_one_sentence(text)


def prop_workspace_text(text: str) -> None:
    _loads_or_one_sentence(text)


test_workspace_documents, test_workspace_documents_fuzz = fuzz_pair(prop_workspace_documents, doc=_documents)
test_workspace_text, test_workspace_text_fuzz = fuzz_pair(
    prop_workspace_text, text=st.one_of(tricky_text, st.text(max_size=300),
                                        st.sampled_from([dumps(WorkspaceFile())]).map(lambda t: t[: len(t) // 2])))


def prop_query_table_edit(raw: str, row: int, key: str, value: str) -> None:
    """P8: editing one pair of the table changes only that pair's text in the raw query."""
    rows = launch_query.pairs(raw)
    if not rows or (not key and not value):
        return
    row %= len(rows)
    seg = rows[row]
    new = launch_query.replace_pair(raw, row, key, value)
    assert new.startswith(raw[:seg.start]) and new.endswith(raw[seg.end:])
    after = launch_query.pairs(new)
    assert len(after) == len(rows)
    assert (after[row].key, after[row].value) == (key, value)
    for i, old in enumerate(rows):
        if i != row:
            assert new[after[i].start:after[i].end] == raw[old.start:old.end]


test_query_table_edit, test_query_table_edit_fuzz = fuzz_pair(
    prop_query_table_edit, raw=RAW, row=st.integers(0, 20), key=CELL, value=CELL)
