"""The request as WeChat builds it: rules P1-P10, P21."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.core import redact
from workbench.core.errors import InvalidInput
from workbench.core.protocol import (
    MAX_TOKEN_CHARS,
    FetchType,
    Identity,
    Launch,
    PrefetchRequest,
    TimestampUnit,
    decode_query_string,
    generate_code,
    parse_query,
    parse_scene,
    plain_http_warning,
    scene_meaning,
)

APPID = "wx0123456789abcdef"
URL = "https://example.com/prefetch"


def build(**kw) -> PrefetchRequest:
    kw.setdefault("url", URL)
    kw.setdefault("appid", APPID)
    kw.setdefault("timestamp_ms", 1_700_000_000_123)
    return PrefetchRequest(**kw)


def test_p1_p2_p3_get_with_appid_and_timestamp_in_the_query():
    request = build(identity=Identity(token="t"))
    params = dict(request.params())
    assert params["appid"] == APPID
    assert params["timestamp"] == "1700000000123"
    assert request.full_url().startswith(URL + "?appid=" + APPID)


def test_p3_timestamp_unit_is_a_setting():
    request = build(identity=Identity(token="t"), timestamp_unit=TimestampUnit.SECONDS)
    assert dict(request.params())["timestamp"] == "1700000000"


def test_p3_unstamped_request_gets_the_send_time():
    request = build(timestamp_ms=None, identity=Identity(token="t")).stamped(now_ms=42_000)
    assert request.timestamp_ms == 42_000


def test_p4_token_or_code_exactly_one():
    assert [k for k, _ in build(identity=Identity(token="tok")).params()].count("token") == 1
    code_params = dict(build(identity=Identity(code="c0de")).params())
    assert code_params["code"] == "c0de" and "token" not in code_params
    with pytest.raises(InvalidInput, match="not both"):
        Identity(token="a", code="b")


def test_p4_generated_codes_are_fresh():
    codes = {generate_code() for _ in range(50)}
    assert len(codes) == 50 and all(len(c) == 32 and c.isalnum() for c in codes)


def test_p7_optional_fields_are_sent_only_when_set():
    bare = dict(build(identity=Identity(token="t")).params())
    assert set(bare) == {"appid", "token", "timestamp"}
    full = build(identity=Identity(token="t"),
                 launch=Launch(path="pages/index/index", query="id=1", scene=1047, version="1.2.3"))
    assert [k for k, _ in full.params()] == [
        "appid", "token", "timestamp", "path", "query", "scene", "customMiniprogramVersion"]


def test_p8_launch_query_is_one_encoded_parameter():
    request = build(identity=Identity(token="t"), launch=Launch(query="a=1&b=中"))
    assert "query=a%3D1%26b%3D%E4%B8%AD" in request.full_url()


@given(st.text(max_size=200), st.text(max_size=80))
def test_p8_any_launch_query_survives_the_encoding(query, path):
    request = build(identity=Identity(token="t"), launch=Launch(path=path, query=query))
    received = dict(parse_qsl(urlsplit(request.full_url()).query, keep_blank_values=True))
    assert received.get("query", "") == query
    assert received.get("path", "") == path
    assert decode_query_string(request.query_string()).get("query", "") == query


#: Query strings built mostly of what makes decoding differ: separators, pluses, percent signs
#: (with and without hex digits after them), encoded UTF-8 and text that is not ASCII.
_QUERY_TEXT = st.lists(st.sampled_from(["&", "=", "+", "%", "%2", "%2F", "%3D", "%26", "%E4%B8%AD", "%FF", "%zz",
                                        "a", "b", "中", " ", ";", "\x00"]) | st.text(max_size=3),
                       max_size=30).map("".join)


@given(_QUERY_TEXT)
def test_p8_the_servers_query_parser_decodes_exactly_as_the_standard_library(raw):
    assert parse_query(raw) == parse_qsl(raw, keep_blank_values=True)


def test_p8_existing_query_in_the_address_is_kept():
    request = build(url=URL + "?env=staging", identity=Identity(token="t"))
    assert request.full_url().startswith(URL + "?env=staging&appid=")


def test_p9_token_length_limit():
    Identity(token="x" * MAX_TOKEN_CHARS)
    with pytest.raises(InvalidInput, match="at most 1024"):
        Identity(token="x" * (MAX_TOKEN_CHARS + 1))


@pytest.mark.parametrize("appid", ["", "wx123", "wx0123456789abcdeg", "ab0123456789abcdef", "wx0123456789abcdef0"])
def test_p2_bad_appid_is_refused_with_what_to_fix(appid):
    with pytest.raises(InvalidInput, match="'wx' followed by 16 hexadecimal"):
        build(appid=appid, identity=Identity(token="t"))


def test_scene_must_be_an_integer():
    assert parse_scene("1047") == 1047
    assert parse_scene("") is None
    with pytest.raises(InvalidInput, match="not an integer"):
        Launch(scene="10a7")
    with pytest.raises(InvalidInput, match="not an integer"):
        parse_scene("1047.5")
    assert scene_meaning(1047) == "scan a Mini Program code"


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/prefetch", "file:///etc/passwd"])
def test_p10_only_http_and_https(url):
    with pytest.raises(InvalidInput, match="https://"):
        build(url=url, identity=Identity(token="t"))


def test_p10_plain_http_to_another_host_is_allowed_with_a_warning():
    """P10: plain http elsewhere is sent (with a warning), no longer refused; loopback needs none."""
    for ok in ("http://127.0.0.1:8080/p", "http://localhost/p", "http://[::1]:9/p", "http://127.3.4.5/p"):
        build(url=ok, identity=Identity(token="t"))
        assert plain_http_warning(ok) is None
    for allow in (False, True):  # --allow-plain-http is a no-op now
        request = build(url="http://example.com/p", identity=Identity(token="t"), allow_plain_http=allow)
        assert request.full_url().startswith("http://example.com/p?")
    warning = plain_http_warning("http://example.com/p")
    assert warning is not None and "WeChat would not accept this address" in warning and "example.com" in warning
    assert plain_http_warning("https://example.com/p") is None


def test_p21_periodic_carries_only_appid_token_timestamp():
    request = build(identity=Identity(token="t"), fetch_type=FetchType.PERIODIC,
                    launch=Launch(path="p", query="q=1", scene=1001, version="1"))
    assert [k for k, _ in request.params()] == ["appid", "token", "timestamp"]


def test_p21_periodic_without_token_says_set_the_token_first():
    with pytest.raises(InvalidInput, match="setBackgroundFetchToken first"):
        build(identity=Identity(code="c"), fetch_type=FetchType.PERIODIC)


def test_secrets_are_masked_for_display():
    request = build(identity=Identity(token="supersecrettoken1234"))
    shown = redact.for_request(request).url(request.full_url())
    assert "supersecrettoken1234" not in shown and "token=••••••1234" in shown
    assert redact.mask_secret("abc") == "•••"
