"""P8: the launch query as typed is the truth; the key/value view edits one pair in place."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core import launch_query as lq

ISSUE = "a=1+2&b=%E4%B8%AD&c=x%26y%3Dz"

# raw launch queries as people type them: escapes valid and not, +, CJK, separators
_RAW_PIECE = st.sampled_from(["a", "b", "k", "1", "+", " ", "中", "%E4%B8%AD", "%26", "%3D", "%25", "%zz", "%",
                              "=", "&", "&&", "é", "%20", "~", "#", "?", "/"])
RAW = st.lists(_RAW_PIECE, max_size=14).map("".join)
# what someone types into a cell
CELL = st.lists(st.sampled_from([*"ab1 +%&=#?中é~\t", "%E4", "%41"]), max_size=8).map("".join)


def test_p8_the_issue_example_keeps_every_other_byte():
    rows = lq.decoded_pairs(ISSUE)
    assert rows == [("a", "1+2"), ("b", "中"), ("c", "x&y=z")]
    edited = lq.replace_pair(ISSUE, 0, "a", "1+3")
    assert edited == "a=1+3&b=%E4%B8%AD&c=x%26y%3Dz"
    # b was typed percent-encoded: a new value is encoded the same way
    assert lq.replace_pair(ISSUE, 1, "b", "中文") == "a=1+2&b=%E4%B8%AD%E6%96%87&c=x%26y%3Dz"
    # a plain value gets only what must be encoded
    assert lq.replace_pair("a=1&b=2", 1, "b", "x&y=50%") == "a=1&b=x%26y=50%25"
    assert lq.append_pair(ISSUE, "d", "") == ISSUE + "&d="


def test_p8_delete_and_add_pairs():
    assert lq.replace_pair("a=1&b=2&c=3", 1, "", "") == "a=1&c=3"
    assert lq.replace_pair("a=1&b=2", 1, "", "") == "a=1"
    assert lq.replace_pair("a=1", 0, "", "") == ""
    assert lq.append_pair("", "k", "v") == "k=v" and lq.append_pair("a=1&", "k", "v") == "a=1&k=v"
    assert lq.replace_pair("flag&b=2", 0, "flag2", "") == "flag2&b=2"  # no '=' stays no '='


@given(RAW)
def test_p8_segments_cover_the_raw_query_exactly(raw):
    segs = lq.segments(raw)
    assert "&".join(raw[s.start:s.end] for s in segs) == raw
    for s in segs:
        assert raw[s.start:s.end] == s.raw_key + ("" if s.raw_value is None else "=" + s.raw_value)


@settings(max_examples=300)
@given(RAW, st.data(), CELL, CELL)
def test_p8_editing_one_pair_changes_only_that_pairs_text(raw, data, key, value):
    rows = lq.pairs(raw)
    if not rows or (not key and not value):
        return
    row = data.draw(st.integers(0, len(rows) - 1))
    seg = rows[row]
    new = lq.replace_pair(raw, row, key, value)
    # every byte before and after the edited pair is identical
    assert new.startswith(raw[:seg.start]) and new.endswith(raw[seg.end:])
    assert len(new) >= seg.start + len(raw) - seg.end
    # the edited pair now decodes to exactly what was typed; the others are untouched
    after = lq.pairs(new)
    assert len(after) == len(rows)
    assert (after[row].key, after[row].value) == (key, value)
    for i, old in enumerate(rows):
        if i != row:
            assert new[after[i].start:after[i].end] == raw[old.start:old.end]


@given(RAW, st.data())
def test_p8_writing_back_what_the_table_shows_changes_nothing(raw, data):
    rows = lq.pairs(raw)
    if not rows:
        return
    row = data.draw(st.integers(0, len(rows) - 1))
    assert lq.replace_pair(raw, row, rows[row].key, rows[row].value) == raw


@given(CELL, st.booleans(), st.booleans())
def test_p8_encoding_decodes_back_exactly(text, key, full):
    encoded = lq.encode(text, key=key, full=full)
    assert lq.decode(encoded) == text and "&" not in encoded
    assert not key or "=" not in encoded
