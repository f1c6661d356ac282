"""Fuzzing the protocol builder (issue 11 item 8): any launch, query, path, version, token, code,
scene and timestamp either builds a request the client can send, with P8's round trip exact,
or is refused with InvalidInput (one sentence) — never another exception."""

from __future__ import annotations

import httpx
from hypothesis import event
from hypothesis import strategies as st

from tests.reliability.fuzzing import fuzz_pair, hostile_text, mostly, nonempty_tricky_text, tricky_text
from tests.support.secrets import leaks
from workbench.core.errors import InvalidInput
from workbench.core.protocol import (
    MAX_URL_CHARS,
    FetchType,
    Identity,
    Launch,
    PrefetchRequest,
    TimestampUnit,
    check_sendable,
    decode_query_string,
    validate_url,
)
from workbench.core.redact import Redactor, replace_secret

APPID = "wx0123456789abcdef"
#: Addresses of every shape the builder must keep: own query, userinfo, IPv6, IDN, a port, a "?".
URLS = ["http://127.0.0.1:8765/prefetch", "https://api.example.com/p?v=1&token=base", "https://example.com/",
        "https://u:p%40ss@example.com/x", "http://[::1]:9/p?", "https://bücher.example/数据", "https://example.com"]

texts = mostly(st.one_of(tricky_text, st.text(max_size=2000), st.just("")), hostile_text)
secrets = mostly(st.one_of(nonempty_tricky_text, st.text(min_size=1, max_size=1100)), texts)
identities = st.one_of(
    st.builds(lambda t: ("token", t), secrets), st.builds(lambda c: ("code", c), secrets), st.just(("none", None)))
scenes = mostly(st.one_of(st.none(), st.integers(1, 2**31 - 1), st.sampled_from(["1047", " 1047 ", "+1"])),
                st.one_of(st.integers(-5, 2**33), st.text(max_size=12), st.sampled_from(["0", "١٠٤٧", "1e3"])))


def build_property(url: str, appid: str, identity: tuple[str, str | None], path: str, query: str, version: str,
                   scene: object, fetch_type: FetchType, timestamp_ms: int | None, unit: TimestampUnit) -> None:
    kind, secret = identity
    try:
        request = PrefetchRequest(
            url=url, appid=appid,
            identity=Identity(token=secret if kind == "token" else None, code=secret if kind == "code" else None),
            launch=Launch(path=path, query=query, scene=scene, version=version),  # type: ignore[arg-type]
            fetch_type=fetch_type, timestamp_ms=timestamp_ms, timestamp_unit=unit)
    except InvalidInput as exc:
        assert str(exc).strip(), "a refusal says why"
        event("refused: " + " ".join(str(exc).split()[:3]))
        return
    event("built")
    request = request.stamped()
    full = request.full_url()
    assert len(full) <= MAX_URL_CHARS
    sent = httpx.URL(full)  # what we accept, the client can send
    assert sent.host
    decoded = decode_query_string(request.query_string())
    params = dict(request.params())
    assert decoded == params  # every parameter survives one decoding exactly
    if fetch_type is FetchType.PRE and query:
        assert decoded["query"] == query  # P8
    if kind == "token":
        assert decoded["token"] == secret
        shown = Redactor.scanning(urls=[request.url], secrets=[secret], hide=replace_secret).url(full)
        if len(secret) >= 6:  # shorter ones are hidden where they stand alone (core/redact.py)
            assert leaks(shown, secret) == []


test_builder_builds_a_sendable_request_or_says_why, test_builder_fuzz = fuzz_pair(
    build_property, url=st.sampled_from(URLS), appid=mostly(st.just(APPID), hostile_text), identity=identities,
    path=texts, query=texts, version=texts, scene=scenes,
    fetch_type=mostly(st.just(FetchType.PRE), st.just(FetchType.PERIODIC)),
    timestamp_ms=st.one_of(st.none(), st.integers(-5, 2**63)), unit=st.sampled_from(TimestampUnit))


def address_property(url: str) -> None:
    try:
        check_sendable(validate_url(url, allow_plain_http=True))
    except InvalidInput as exc:
        assert str(exc).strip()
        event("refused")
        return
    event("accepted")
    assert httpx.URL(url.strip()).host


good_hosts = st.sampled_from(["127.0.0.1", "[::1]", "localhost", "example.com", "xn--bcher-kva.example",
                               "bücher.example", "例子.测试", "u:p@example.com", "example.com:8443"])
bad_hosts = st.one_of(st.sampled_from(["xn--zz.example", "😀.example", "a..b", "x" * 64 + ".example", "host:99999",
                                       "host:-1", "[::1", "", "exa mple.com", "xn--e28h.example"]), hostile_text)
addresses = mostly(
    st.builds(lambda scheme, host, rest: f"{scheme}://{host}/{rest}", mostly(st.sampled_from(["http", "https"]),
              st.sampled_from(["ftp", "", "HTTP", "javascript"])), mostly(good_hosts, bad_hosts), tricky_text),
    hostile_text)


test_an_address_is_sendable_or_refused_in_one_sentence, test_address_fuzz = fuzz_pair(address_property, url=addresses)
