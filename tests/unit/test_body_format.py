"""Big bodies are parsed in pieces and pretty-printed only as far as shown (issue 13: the worker's
json.loads of 10 MB held the interpreter lock 230-380 ms, freezing the window): the results are
exactly json's."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.ui import body_format
from workbench.ui.body_format import format_body, loads_in_pieces, pretty

scalars = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.text(max_size=40) | st.floats(
    allow_nan=False)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(
    st.text(max_size=8), inner, max_size=6), max_leaves=60)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, 0, 2]), st.sampled_from([16, 40, 200]))
def test_parsing_in_pieces_gives_exactly_what_json_loads_gives(document, indent, piece_chars):
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    assert loads_in_pieces(text, piece_chars) == json.loads(text)
    assert loads_in_pieces(f" \n{text}\t ", piece_chars) == json.loads(f" \n{text}\t ")


@pytest.mark.parametrize("text", ['[1, 2', '{"a": 1,}', '[1 2]', '{"a" 1}', '{1: 2}', '[1, 2] x', '',
                                  '\ufeff[1]', '{"a": [1, {"b": tru}]}', '[' * 3 + ']' * 2, '"abc'])
def test_malformed_json_is_refused_as_json_refuses_it(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        loads_in_pieces(text, 16)


def test_no_parse_call_gets_more_than_a_piece_of_a_big_document(monkeypatch):
    rows = [{"id": i, "name": f"user-{i}", "tags": ["a", "b"], "nested": {"deep": [i, i + 1]}} for i in range(3000)]
    text = json.dumps({"count": 3000, "data": rows, "tail": "x" * 100})
    biggest = 0
    real = body_format._decoder.raw_decode

    def watched(s, idx=0):
        nonlocal biggest
        value, end = real(s, idx)
        biggest = max(biggest, end - idx)
        return value, end

    monkeypatch.setattr(body_format._decoder, "raw_decode", watched)
    assert loads_in_pieces(text, 4096) == json.loads(text)
    assert len(text) > 200_000 and biggest <= 4096


def test_pretty_is_json_dumps_cut_at_the_limit():
    document = {"data": [{"id": i, "city": "北京", "ok": i % 2 == 0, "v": 1e16} for i in range(500)]}
    full = json.dumps(document, ensure_ascii=False, indent=2)
    assert pretty(document, 10**9) == (full, False)
    assert pretty(document, 1000) == (full[:1000], True)


def test_format_body_shows_json_pretty_and_anything_else_as_it_is():
    assert format_body(b'{"a":[1,2]}', 1000) == ('{\n  "a": [\n    1,\n    2\n  ]\n}', {"a": [1, 2]}, False)
    assert format_body(b"not json \xff", 1000) == ("not json \ufffd", None, False)
    text, document, cut = format_body(json.dumps({"pad": "x" * 2_000_000}).encode(), 1000)
    assert document == {"pad": "x" * 2_000_000} and cut and len(text) == 1000


def test_a_very_deep_document_is_still_parsed():
    depth = min(sys.getrecursionlimit() // 4, 200)
    text = "[" * depth + "]" * depth
    assert loads_in_pieces(text, 16) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=60).map(str.encode),
       st.sampled_from(["strict", "replace", "surrogateescape"]))
def test_decoding_in_pieces_gives_exactly_what_decode_gives(body, errors):
    try:
        expected = body.decode("utf-8", errors)
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            body_format.decode(body, errors, 3)  # a piece of 3 bytes cuts many a character in two
    else:
        assert body_format.decode(body, errors, 3) == expected


@pytest.mark.parametrize("body", [b'{"a": "token-alice-0123 \xe5\x8c\x97", "session_key": "k-123456"}',
                                  b'{"a": "token-alice-0123"} \xff\xfe', b"plain token-alice-0123 \xe4\xba"])
def test_the_view_masks_a_body_as_redacting_its_bytes_would(monkeypatch, body):
    from workbench.core.redact import Redactor
    from workbench.ui import response_view

    monkeypatch.setattr(body_format, "PIECE_CHARS", 4)  # decoded in pieces, as a big body
    redactor = Redactor(["token-alice-0123"])
    expected = format_body(redactor.data(body), response_view.VIEW_LIMIT_CHARS)
    assert response_view.format_body(body, redactor) == expected
    assert "token-alice-0123" not in expected[0]
