"""What a traffic run pays per cold start (issue 13, traffic): an address is validated once, not
once per request, and stamping a request checks only what the timestamp changes."""

from __future__ import annotations

import dataclasses

import pytest

from workbench.core import protocol
from workbench.core.errors import InvalidInput
from workbench.core.protocol import Identity, Launch, PrefetchRequest

APPID = "wx0123456789abcdef"


def _request(url: str = "http://127.0.0.1:8765/prefetch", **kw) -> PrefetchRequest:
    kw.setdefault("launch", Launch(path="pages/index/index", query="id=1", scene=1047))
    return PrefetchRequest(url=url, appid=APPID, identity=Identity(token="sim-token-o1"), **kw)


def test_requests_to_the_same_address_parse_it_once(monkeypatch):
    calls = []
    real = protocol.canonical_url
    monkeypatch.setattr(protocol, "canonical_url", lambda url: calls.append(url) or real(url))
    url = "http://127.0.0.1:9/prefetch/once-per-address"
    for _ in range(50):
        _request(url).stamped()
    assert calls == [url]


def test_a_refused_address_is_refused_every_time():
    for _ in range(3):
        with pytest.raises(InvalidInput, match="fragment"):
            _request("http://127.0.0.1:9/prefetch#here")
        with pytest.raises(InvalidInput, match="not valid IDNA"):
            _request("http://xn--zz.example/prefetch")


def test_stamping_gives_what_a_full_validation_gives():
    request = _request()
    stamped = request.stamped(1_700_000_000_123)
    assert stamped == dataclasses.replace(request, timestamp_ms=1_700_000_000_123)
    assert stamped.full_url().endswith("timestamp=1700000000123&path=pages%2Findex%2Findex&query=id%3D1&scene=1047")
    assert request.stamped() is not request and request.stamped().timestamp_ms is not None
    assert stamped.stamped() is stamped  # a fixed timestamp stays
    with pytest.raises(InvalidInput, match="cannot be negative"):
        request.stamped(-1)
    long_query = _request(launch=Launch(query="x" * (protocol.MAX_URL_CHARS - 150)))
    with pytest.raises(InvalidInput, match="characters long"):
        long_query.stamped(10**90)  # the timestamp's length is checked too
