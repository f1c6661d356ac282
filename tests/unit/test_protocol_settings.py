"""Every assumed default is a setting that takes effect (P3, P11, P12, P24) and the request
headers are a documented setting too (issue 10 item 11)."""

from __future__ import annotations

import gzip
import math

import pytest

from tests.support.raw_http import raw_server
from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput
from workbench.core.protocol import (
    DEFAULT_USER_AGENT,
    MAX_BODY_BYTES,
    AcceptEncoding,
    Identity,
    LimitBasis,
    PrefetchRequest,
    ProtocolSettings,
    TimestampUnit,
)


def request(url: str) -> PrefetchRequest:
    return PrefetchRequest(url=url, appid=APPID, identity=Identity(token="tok"))


async def prefetch(url: str, settings: ProtocolSettings):
    async with PrefetchClient(settings) as client:
        return await client.prefetch(request(url))


def test_p3_p11_p12_p24_defaults_are_the_protocol_docs():
    s = ProtocolSettings()
    assert (s.timeout_s, s.follow_redirects, s.require_2xx) == (5.0, False, True)
    assert s.body_limit_bytes == s.max_body_bytes == MAX_BODY_BYTES == 262_144
    assert s.timestamp_unit is TimestampUnit.MILLISECONDS
    assert (s.periodic_interval_h, s.periodic_usage_window_days, s.periodic_expiry_h) == (12.0, 7.0, None)
    assert s.accept_encoding is AcceptEncoding.IDENTITY and s.limit_applies_to is LimitBasis.DECODED
    assert s.user_agent == DEFAULT_USER_AGENT


@pytest.mark.parametrize(("field", "value", "words"), [
    ("timeout_s", 0, "more than 0"),
    ("timeout_s", -1.0, "more than 0"),
    ("timeout_s", math.nan, "finite number"),
    ("timeout_s", math.inf, "finite number"),
    ("timeout_s", 10_000, "at most 3600"),
    ("timeout_s", "5", "finite number"),
    ("max_body_bytes", -1, "from 0 to"),
    ("max_body_bytes", 1.5, "whole number"),
    ("max_body_bytes", True, "whole number"),
    ("follow_redirects", "no", "true or false"),
    ("require_2xx", 1, "true or false"),
    ("periodic_interval_h", 0, "more than 0"),
    ("periodic_usage_window_days", math.nan, "finite number"),
    ("periodic_expiry_h", 0, "more than 0"),
    ("periodic_expiry_h", -3, "more than 0"),
    ("periodic_expiry_h", math.inf, "finite number"),
    ("timestamp_unit", "us", "one of 'ms', 's'"),
    ("accept_encoding", "br", "one of 'identity'"),
    ("limit_applies_to", "both", "one of 'decoded', 'wire'"),
    ("user_agent", "a\r\nX-Injected: 1", "printable ASCII"),
    ("user_agent", "", "cannot be empty"),
])
def test_p11_p12_p24_settings_refuse_bad_values_in_one_sentence(field, value, words):
    with pytest.raises(InvalidInput, match=words) as info:
        ProtocolSettings(**{field: value})
    assert str(info.value).count(". ") == 0  # one sentence


def test_settings_are_frozen_and_coerce_enum_strings():
    s = ProtocolSettings(timestamp_unit="s", accept_encoding="gzip", limit_applies_to="wire")
    assert s.timestamp_unit is TimestampUnit.SECONDS and s.accept_encoding is AcceptEncoding.GZIP
    with pytest.raises(AttributeError):
        s.timeout_s = 1  # type: ignore[misc]


async def test_p11_require_2xx_setting_takes_effect(server):
    assert not (await prefetch(server + "/status/404", ProtocolSettings())).verdict.cached
    relaxed = await prefetch(server + "/status/404", ProtocolSettings(require_2xx=False))
    assert relaxed.status == 404 and relaxed.verdict.cached and relaxed.fetched_data == "status"


async def test_p11_follow_redirects_setting_takes_effect(server):
    outcome = await prefetch(server + "/redirect", ProtocolSettings(follow_redirects=True))
    assert outcome.status == 200 and outcome.verdict.cached


async def test_p11_timeout_setting_takes_effect(server, server_app):
    outcome = await prefetch(server + "/slow?s=30", ProtocolSettings(timeout_s=0.3))
    assert [r.code for r in outcome.verdict.reasons] == ["timeout"] and "0.3 s" in outcome.verdict.messages[0]


async def test_headers_sent_are_the_settings_identity_by_default():
    """Item 11: Accept-Encoding and User-Agent are settings; httpx's gzip default is not sent."""
    async with raw_server() as srv:
        await prefetch(srv.base_url + "/p", ProtocolSettings())
        await prefetch(srv.base_url + "/p", ProtocolSettings(accept_encoding="gzip, deflate", user_agent="UA/1"))
    first, second = srv.received
    assert first.header("Accept-Encoding") == b"identity"
    assert first.header("User-Agent") == DEFAULT_USER_AGENT.encode()
    assert second.header("Accept-Encoding") == b"gzip, deflate" and second.header("User-Agent") == b"UA/1"


@pytest.mark.parametrize(("decoded_size", "basis", "cached"), [
    (262_144, "decoded", True),
    (262_145, "decoded", False),
    (262_145, "wire", True),      # the compressed body is far below the limit
])
async def test_p12_limit_counts_the_decoded_body_or_the_wire_as_set(decoded_size, basis, cached):
    """P12 + item 11: a gzip body around the limit; the setting says which size is counted."""
    async with raw_server() as srv:
        srv.response_headers = [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")]
        srv.body = gzip.compress(b"x" * decoded_size)
        outcome = await prefetch(srv.base_url + "/p", ProtocolSettings(accept_encoding="gzip",
                                                                     limit_applies_to=basis))
    assert outcome.body_size == decoded_size and outcome.wire_size == len(srv.body) < 2000
    assert outcome.verdict.cached is cached
    if not cached:
        assert [r.code for r in outcome.verdict.reasons] == ["too_large"]
        assert "262,145 bytes" in outcome.verdict.messages[0]


async def test_p12_wire_basis_refuses_a_compressed_body_over_the_limit():
    async with raw_server() as srv:
        srv.response_headers = [("Content-Encoding", "gzip")]
        srv.body = gzip.compress(bytes(range(32, 127)) * 40)  # 3,800 bytes that compress poorly to > 100
        outcome = await prefetch(srv.base_url + "/p", ProtocolSettings(max_body_bytes=100, limit_applies_to="wire"))
    assert not outcome.verdict.cached
    assert [r.key for r in outcome.verdict.reasons] == ["too_large_wire"]


async def test_a_body_that_does_not_decode_names_the_encoding():
    async with raw_server() as srv:
        srv.response_headers = [("Content-Encoding", "gzip")]
        srv.body = b"not gzip at all"
        outcome = await prefetch(srv.base_url + "/p", ProtocolSettings(accept_encoding="gzip"))
    assert not outcome.verdict.cached and [r.code for r in outcome.verdict.reasons] == ["decoding"]
