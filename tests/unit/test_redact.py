"""core/redact.py: one redaction for every export, view and log (issue 11 item 2)."""

from __future__ import annotations

import base64
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.secrets import encodings
from workbench.core import redact
from workbench.core.model import Reason
from workbench.core.redact import (
    REDACTED,
    Redactor,
    find_secrets,
    mask_secret,
    replace_secret,
)

TOKEN = "Tok€n/+= 42&x?secret-9f8e7d"


def test_mask_secret_shows_the_last_four_characters_only():
    assert mask_secret("abcdefghijkl") == "••••••ijkl"
    assert mask_secret("abc") == "•••" and mask_secret("") == "" and mask_secret(None) == ""


@pytest.mark.parametrize("shown", encodings(TOKEN))
def test_a_secret_is_replaced_in_every_encoding(shown):
    text = Redactor([TOKEN], hide=replace_secret).text(f"before {shown} after")
    assert text == f"before {REDACTED} after"


def test_a_secret_in_mixed_encoding_is_replaced_too():
    # encodeURIComponent keeps '(' and ')' that Python's quote encodes, and writes a space as %20
    token = "a(b) c/d€e"
    mixed = "a(b)%20c%2Fd%E2%82%ace"
    assert Redactor([token], hide=replace_secret).text(f"x={mixed}") == f"x={REDACTED}"


def test_views_mask_and_exports_replace():
    token = "abcdefghijkl"
    assert Redactor([token]).text(f"t {token}") == "t ••••••ijkl"
    assert Redactor([token], hide=replace_secret).text(f"t {token}") == f"t {REDACTED}"


def test_a_short_secret_is_replaced_only_where_it_stands_alone():
    r = Redactor(["t2"], hide=replace_secret)
    assert r.text("t2 xt2 t2x") == f"{REDACTED} xt2 t2x"
    assert r.text("next=%2F%3Ftoken%3Dt2%26a%3D1") == f"next=%2F%3Ftoken%3D{REDACTED}%26a%3D1"


def test_structure_hides_secret_parameters_userinfo_and_json_fields_of_unknown_value():
    r = Redactor(hide=replace_secret)
    text = r.text('https://bob:pa55@h/p?a=1&token=abc&CODE=x&js_code=y&session_key=z#f '
                  'next=%2Fcb%3Ftoken%3Dnested%26b%3D1 {"session_key": "k\\u0041y", "code": 0}')
    assert text == (f'https://{REDACTED}:{REDACTED}@h/p?a=1&token={REDACTED}&CODE={REDACTED}&js_code={REDACTED}'
                    f'&session_key={REDACTED}#f next=%2Fcb%3Ftoken%3D{REDACTED}%26b%3D1 '
                    f'{{"session_key": "{REDACTED}", "code": 0}}')


def test_credential_headers_are_hidden_by_structure():
    r = Redactor(hide=replace_secret)
    headers = r.headers([("Authorization", "Bearer abc.def"), ("Cookie", "sid=s1; theme=dark"),
                         ("Set-Cookie", "sid=s2; Path=/; HttpOnly"), ("X-Api-Key", "k"), ("Content-Type", "a/b")])
    assert headers == [("Authorization", f"Bearer {REDACTED}"), ("Cookie", f"sid={REDACTED}; theme={REDACTED}"),
                       ("Set-Cookie", f"sid={REDACTED}; Path=/; HttpOnly"), ("X-Api-Key", REDACTED),
                       ("Content-Type", "a/b")]


def test_secrets_found_by_structure_are_removed_everywhere():
    basic = base64.b64encode(b"alice:correct-horse").decode()
    found = find_secrets(['{"session_key": "sk-123456789"}', "see /cb?token=loc-token-42"],
                         urls=["https://u:pw@h/p?token=base1"],
                         headers=[("Authorization", f"Basic {basic}"), ("Set-Cookie", "sid=cookie-value-1; Path=/"),
                                  ("Cookie", "x=1")])
    assert {"sk-123456789", "loc-token-42", "base1", "pw", basic, "correct-horse", "cookie-value-1"} <= found
    assert "1" not in found  # a short value found by structure is hidden in place, not everywhere


def test_parameters_of_a_secret_name_are_hidden_whatever_their_value():
    r = Redactor(hide=replace_secret)
    assert r.params([("appid", "wx1"), ("token", "t"), ("query", "a=1&token=zz")]) == [
        ("appid", "wx1"), ("token", REDACTED), ("query", f"a=1&token={REDACTED}")]


def test_bodies_keep_bytes_that_are_not_utf8():
    body = b"\xff\xfe" + TOKEN.encode() + b"\x80"
    assert Redactor([TOKEN], hide=replace_secret).data(body) == b"\xff\xfe" + REDACTED.encode() + b"\x80"


def test_reasons_and_json_trees():
    r = Redactor(["secret-token-1"], hide=replace_secret)
    reason = Reason.of("redirect", status=302, where=" to /login?token=secret-token-1")
    hidden = r.reason(reason)
    assert "secret-token-1" not in hidden.message and "secret-token-1" not in str(hidden.args)
    tree = r.tree({"a": ["x secret-token-1", 3, None], "b": ("secret-token-1",)})
    assert tree == {"a": [f"x {REDACTED}", 3, None], "b": (REDACTED,)}


def test_a_longer_secret_wins_over_one_it_contains():
    r = Redactor(["abcdefgh", "abcdefgh-longer"], hide=lambda s: f"<{len(s)}>")
    assert r.text("abcdefgh-longer abcdefgh") == "<15> <8>"


@pytest.mark.parametrize("offset", range(-14, 2))
@pytest.mark.parametrize("name", ["Session_Key", "TOKEN", "code", "session_\u212aey"])  # \u212a: Kelvin sign
def test_a_long_text_is_lowercased_in_pieces_and_answers_as_the_whole_text(monkeypatch, name, offset):
    """Issue 13: lowercasing a 10 MB body in one call held the interpreter lock ~50 ms (the window
    froze while a worker redacted it); pieces must still find a name that straddles a cut."""
    monkeypatch.setattr(redact, "NAMES_PIECE_CHARS", 64, raising=False)
    lowered = []
    real = redact._names_secret

    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") == "lower":
            lowered.append(len(arg.__self__))

    text = "x" * (3 * 64 + offset) + name + "y" * 300
    sys.setprofile(profile)
    try:
        found = real(text)
    finally:
        sys.setprofile(None)
    assert found is (name.lower() in text.lower()) is True
    assert not real("x" * 1000 + "tokeN"[:-1] + "y" * 100)
    assert lowered and max(lowered) <= 64 + len("refresh_token") - 1


_FRAGMENTS = ["token", "TOKEN", "Tok", "en", "code", "js_code", "session_key", "session_\u212aey", "\u017fecret",
              "se\u017fsion_key", "\u0130", "\u0131", "access_token", "password", "?", "&", "=", "%3F", "%26", "%3D",
              '"', ":", " ", "\\", "\\\"", "abc", "123", "x", "#", "'", "\n", "%"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=0, max_size=120))
def test_structure_in_pieces_finds_exactly_what_the_whole_text_regex_finds(fragments):
    """Issue 13: a long body is matched where a secret name stands, in short calls; the matches
    (and so what is hidden) are exactly those of one regex over the whole text."""
    text = "".join(fragments)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redact, "NAMES_PIECE_CHARS", 16)
        for regex in (redact._QUERY_RE, redact._NESTED_QUERY_RE, redact._JSON_RE):
            assert [m.span() for m in redact._structural_matches(regex, text)] == \
                [m.span() for m in regex.finditer(text)]
            assert redact._structural_sub(regex, lambda m: "<" + m[0] + ">", text) == \
                regex.sub(lambda m: "<" + m[0] + ">", text)


class _Spy:
    """A compiled pattern that records how much text each call scans."""

    def __init__(self, regex, scanned):
        self.regex, self.scanned = regex, scanned

    def __getattr__(self, name):
        method = getattr(self.regex, name)

        def call(text, *args, **kwargs):
            self.scanned.append((name, len(text) if name in ("sub", "finditer", "findall", "search") else 0))
            return method(text, *args, **kwargs)

        return call if name in ("sub", "finditer", "findall", "search", "match") else method


def test_a_big_body_naming_a_token_is_never_scanned_by_one_regex_call(monkeypatch):
    """A 2 MB JSON body with "token" and "code" fields: the JSON pattern over it was one C call of
    ~70 ms for 10 MB, holding the interpreter lock from the UI while a worker masked the body."""
    scanned: list[tuple[str, int]] = []
    spies = {name: _Spy(getattr(redact, name), scanned) for name in ("_QUERY_RE", "_NESTED_QUERY_RE", "_JSON_RE")}
    for name, spy in spies.items():
        monkeypatch.setattr(redact, name, spy)
    monkeypatch.setattr(redact, "_LEAD", {spy: redact._LEAD[spy.regex] for spy in spies.values()})
    record = '{"id": 1, "code": 0, "token": "tok-%d-secret", "next": "https://x.example/?token=t%d&a=b"},'
    body = "[" + "".join(record % (i, i) for i in range(25_000)) + "{}]"
    masked = Redactor([]).text(body)
    assert "tok-24999-secret" not in masked and "token=t24999" not in masked
    assert masked.count('"token": "') == 25_000
    assert scanned and max(size for _, size in scanned) <= redact.NAMES_PIECE_CHARS
