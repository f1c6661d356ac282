"""Issue 11 items 5 and 6: what the mock server does with rules and hostile clients, over real sockets.

A rule that validated is answered exactly as configured, with nothing in the log; a delayed request
in flight does not spoil shutdown; malformed chunked bodies and slow-drip clients end quietly.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from tests.support.qt_async import until
from tests.support.servers import APPID
from workbench.mockserver.rules import MAX_TARGET_BYTES, Rule, RuleSet, render
from workbench.mockserver.server import MockServer

ALICE = {"appid": APPID, "token": "token-alice", "timestamp": "1700000000000"}


@pytest.fixture
def server_log(caplog):
    """Everything uvicorn and asyncio log while the test runs (a traceback there is a failure)."""
    caplog.set_level(logging.INFO)
    return caplog


def tracebacks(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def errors(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def started(rules: RuleSet | None = None, **kw) -> MockServer:
    mock = MockServer(rules=rules, **kw)
    await mock.start()
    return mock


@pytest.mark.parametrize("rule", [
    {"status": 200, "body": "plain"},
    {"status": 203, "body": "{{json_bytes:1000}}"},
    {"status": 204, "body": ""},
    {"status": 304, "body": ""},
    {"status": 404, "body": '{"error": {{path|json}}}', "headers": [["Content-Type", "application/json"]]},
    {"status": 418, "body": "teapot"},
    {"status": 500, "body": "boom"},
    {"status": 599, "body": "odd but final"},
    {"status": 200, "body": "x", "headers": [["X-Latin", "café\tcrème"], ["Set-Cookie", "a=1"],
                                            ["Set-Cookie", "b=2; Path=/"], ["X-Empty", ""]]},
])
async def test_a_validated_rule_is_answered_exactly_as_configured(server_log, rule):
    mock = await started(RuleSet.from_json({"rules": [{"name": "r", **rule}]}))
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(2):  # and the connection stays usable for the next request
                r = await client.get(mock.url("main"), params={**ALICE, "path": 'pages/"a"'})
                assert r.status_code == rule["status"]
                assert r.content == render(rule["body"], {"path": 'pages/"a"'}).encode()
                for name, value in rule.get("headers", []):
                    assert (name.lower().encode(), value.encode("latin-1")) in r.headers.raw
                bodyless = rule["status"] in (204, 304)
                assert ("content-length" in r.headers) is not bodyless
    finally:
        await mock.stop()
    assert errors(server_log) == [] and tracebacks(server_log) == []


@pytest.mark.parametrize("fault", ["drop", "truncate", "stall"])
async def test_faults_are_answers_not_errors_in_the_log(server_log, fault):
    mock = await started(RuleSet.from_json({"default": {"fault": fault, "body": "{{json_bytes:100}}"}}))
    try:
        async with httpx.AsyncClient(timeout=0.5) as client:
            with pytest.raises(httpx.HTTPError):
                r = await client.get(mock.url("main"), params=ALICE)
                await r.aread()
    finally:
        await asyncio.wait_for(mock.stop(), 10)
    assert errors(server_log) == [] and tracebacks(server_log) == []


async def test_shutdown_with_a_delayed_request_in_flight_is_clean(server_log):
    """delay_ms 1e15 hung the request and printed CancelledError at shutdown (issue 11 item 5)."""
    mock = await started(RuleSet.from_json({"default": {"delay_ms": 600_000}}))
    log = []
    mock.listeners.append(log.append)
    client = httpx.AsyncClient(timeout=30)
    request = asyncio.ensure_future(client.get(mock.url("main"), params=ALICE))
    await until(mock.requests_in_flight)
    await asyncio.wait_for(mock.stop(), 10)
    with pytest.raises(httpx.HTTPError):
        await asyncio.wait_for(request, 10)
    await client.aclose()
    assert not mock.running
    assert tracebacks(server_log) == [] and errors(server_log) == []
    assert not any("CancelledError" in r.getMessage() for r in server_log.records)


async def test_an_over_long_target_gets_414_before_any_rule_renders(server_log):
    mock = await started(RuleSet.from_json({"default": {"body": "{{query}}" * 1000}}))
    try:
        async with httpx.AsyncClient() as client:
            r = await client.get(mock.url("main"), params={**ALICE, "query": "q" * MAX_TARGET_BYTES})
            assert r.status_code == 414 and "16,384 bytes" in r.json()["error"]
            ok = await client.get(mock.url("main"), params={**ALICE, "query": "q" * 1000})
            assert ok.status_code == 200 and ok.content == b"q" * 1_000_000
    finally:
        await mock.stop()
    assert tracebacks(server_log) == []


async def _raw(mock: MockServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", mock._runner.port)


async def _read_all(reader: asyncio.StreamReader, timeout: float = 10) -> bytes:
    """Everything until the server closes the connection (bounded)."""
    data = b""
    while chunk := await asyncio.wait_for(reader.read(65536), timeout):
        data += chunk
    return data


CHUNKED_HEAD = (b"POST /prefetch?appid=" + APPID.encode() + b"&token=token-alice&timestamp=1 HTTP/1.1\r\n"
                b"Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")


async def test_a_malformed_chunked_body_gets_400_without_a_traceback(server_log):
    mock = await started()
    try:
        for _ in range(3):
            reader, writer = await _raw(mock)
            writer.write(CHUNKED_HEAD + b"ZZZ\r\nhello\r\n0\r\n\r\n")
            answer = await _read_all(reader)
            writer.close()
            assert answer.startswith(b"HTTP/1.1 400 ")
    finally:
        await mock.stop()
    assert tracebacks(server_log) == [] and errors(server_log) == []


async def test_a_bad_chunk_after_the_answer_closes_quietly(server_log):
    """The app answers before reading the body; a bad chunk then cannot get a 400: close."""
    mock = await started()
    try:
        reader, writer = await _raw(mock)
        writer.write(CHUNKED_HEAD + b"5\r\nhello\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert head.startswith(b"HTTP/1.1 200 ")
        writer.write(b"not a chunk size\r\n\r\n")
        await _read_all(reader)  # the server closes the connection
        writer.close()
        await asyncio.sleep(0)
    finally:
        await mock.stop()
    assert tracebacks(server_log) == [] and errors(server_log) == []


async def _drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes,
                interval: float = 1.0) -> tuple[int, bytes]:
    """Send ``data`` one byte per ``interval`` until the server closes: (bytes sent, what came back)."""
    received = b""
    try:
        for sent in range(len(data)):
            writer.write(data[sent:sent + 1])
            try:
                chunk = await asyncio.wait_for(reader.read(65536), interval)
            except TimeoutError:
                continue
            if not chunk:
                return sent + 1, received
            received += chunk
        return len(data), received
    finally:
        writer.close()


SLOW_HEAD = (b"GET /prefetch?appid=" + APPID.encode() + b"&token=token-alice&timestamp=1 HTTP/1.1\r\n"
             b"Host: 127.0.0.1\r\nX-Padding: " + b"p" * 40 + b"\r\n\r\n")


async def test_a_slow_drip_head_is_timed_out(server_log):
    mock = await started(read_timeout_s=2.0)
    try:
        sent, received = await _drip(*await _raw(mock), SLOW_HEAD)
    finally:
        await mock.stop()
    assert sent < len(SLOW_HEAD) and received == b""  # closed long before the head was complete
    assert tracebacks(server_log) == []


async def test_a_slow_drip_body_is_timed_out(server_log):
    mock = await started(read_timeout_s=2.0)
    head = (b"POST /prefetch?appid=" + APPID.encode() + b"&token=token-alice&timestamp=1 HTTP/1.1\r\n"
            b"Host: 127.0.0.1\r\nContent-Length: 60\r\n\r\n")
    try:
        reader, writer = await _raw(mock)
        writer.write(head)
        sent, received = await _drip(reader, writer, b"b" * 60)
    finally:
        await mock.stop()
    assert sent < 60 and received.startswith(b"HTTP/1.1 200 ")  # answered, then cut off
    assert tracebacks(server_log) == []


async def test_a_silent_connection_is_timed_out_too(server_log):
    mock = await started(read_timeout_s=1.0)
    try:
        reader, writer = await _raw(mock)
        assert await _read_all(reader) == b""
        writer.close()
    finally:
        await mock.stop()


async def test_a_keep_alive_client_is_not_cut_while_the_app_delays_its_answer(server_log):
    """The read deadline covers the client's sending only, not the configured delay."""
    mock = await started(RuleSet(default=Rule(name="default", body="late", delay_ms=1500)), read_timeout_s=0.5)
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            r = await client.get(mock.url("main"), params=ALICE)
            assert r.text == "late"
    finally:
        await mock.stop()
    assert tracebacks(server_log) == []


@pytest.mark.parametrize("settings, expected", [
    ({"auth_status": 101}, "auth_status must be a whole number from 200 to 599"),
    ({"auth_status": "401"}, "auth_status must be a whole number from 200 to 599"),
    ({"token_check": "false"}, "token_check must be true or false"),
    ({"main_path": "prefetch"}, "main_path must be one line of text starting with /"),
    ({"users": "abc"}, "users must be a list of"),
    ({"users": [{"name": ""}]}, "Mock server user 1: the name must be one line of text (not empty)"),
    ({"nope": 1}, '"nope" is not a mock server setting.'),
    (42, "The mock server settings must be an object of named settings, not 42."),
])
def test_mock_server_settings_are_validated_like_rules(settings, expected):
    from workbench.core.errors import InvalidInput
    from workbench.mockserver.server import MockConfig

    with pytest.raises(InvalidInput) as caught:
        MockConfig.from_json(settings)
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert MockConfig.from_json(MockConfig().to_json()) == MockConfig()


async def test_a_204_auth_response_goes_out_without_a_body(server_log):
    mock = await started()
    mock.config.auth_status = 204
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(2):
                r = await client.get(mock.url("main"), params={**ALICE, "token": "stolen"})
                assert r.status_code == 204 and r.content == b""
    finally:
        await mock.stop()
    assert errors(server_log) == [] and tracebacks(server_log) == []
