"""Hostile command-line input (issue 11 item 4): exit 2 with one sentence, never a traceback or
exit 1, and nothing sent. A loopback server counts every request it gets; its count stays 0.

Hosts that are not valid IDNA are refused before any name lookup: no traffic goes to them.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import APPID
from workbench.cli import main
from workbench.mockserver.runner import ServerRunner


class CountingServer:
    """An HTTP server on 127.0.0.1 port 0, in its own thread, that counts what reaches it."""

    def __init__(self) -> None:
        self.count = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner = ServerRunner(self.app, "127.0.0.1", 0)

    async def app(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        self.count += 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})

    def __enter__(self) -> CountingServer:
        self.thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self.runner.start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def counter() -> Iterator[CountingServer]:
    with CountingServer() as server:
        yield server


@pytest.fixture
def ws(tmp_path) -> str:
    path = tmp_path / "ws"
    path.mkdir()
    return str(path)


def run_in_process(argv: list[str]) -> tuple[int, str]:
    """main() as the entry point runs it; an exception other than SystemExit fails the test."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    return code, err.getvalue()


def run_process(argv: list[str | bytes], timeout: float = 60) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "workbench", *argv], capture_output=True, timeout=timeout,
                          cwd=Path(__file__).resolve().parents[2])
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def assert_refused(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("prepull-workbench"), err


def base_args(command: str, url: str, ws: str) -> list[str]:
    return {
        "fetch": ["fetch", url, "--appid", APPID, "--token", "t0k3n-value", "--workspace", ws],
        "coldstart": ["coldstart", url, "--appid", APPID, "--token", "t0k3n-value", "--package-ms", "1",
                      "--workspace", ws],
        "traffic": ["traffic", "--url", url, "--gray-url", url, "--appid", APPID, "--users", "1", "--percent", "0",
                    "--workspace", ws],
    }[command]


NOT_FINITE = ("nan", "NaN", "inf", "-inf", "Infinity")
#: (command, option, bad values beyond NaN and the infinities). The out-of-range values are far
#: beyond any limit (cli/args.py: an hour, ten minutes, a million users, 100,000/s, 1,024).
NUMERIC_OPTIONS = [
    ("fetch", "--timeout", ("-1", "0", "1e9", "abc")),
    ("fetch", "--scene", ("-5", "0", str(2**31), "1.5", "1e3")),
    ("coldstart", "--package-ms", ("-1", "1e12", "abc")),
    ("coldstart", "--timeout", ("-0.5", "0", "1e9")),
    ("coldstart", "--scene", ("-1", "0", "99999999999")),
    ("traffic", "--users", ("-1", "0", "1000001", "1.5")),
    ("traffic", "--percent", ("-1", "-0.01", "100.01", "0.001", "1e400")),
    ("traffic", "--rate", ("-1", "0", "1e12")),
    ("traffic", "--concurrency", ("-1", "0", "1000000", "2.5")),
]
CASES = [pytest.param(command, option, value, id=f"{command}{option}={value}")
         for command, option, values in NUMERIC_OPTIONS for value in (*NOT_FINITE, *values)]


def test_the_counting_server_counts(counter, ws):
    """The premise: a valid command reaches the server (so a count of 0 below means something)."""
    before = counter.count
    code, err = run_in_process(base_args("fetch", counter.url + "/ok", ws))
    assert code == 0, err
    assert counter.count == before + 1


@pytest.mark.parametrize(("command", "option", "value"), CASES)
def test_every_numeric_option_refuses_nan_infinities_negatives_and_out_of_range(counter, ws, command, option, value):
    """--timeout inf and --package-ms inf used to hang, --rate nan meant unlimited, scene 0 (P7:
    positive) was accepted: each is one sentence and exit 2 now, and nothing is sent."""
    before = counter.count
    code, err = run_in_process([*base_args(command, counter.url + "/x", ws), f"{option}={value}"])
    assert_refused(code, err)
    assert option in err
    assert counter.count == before


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "65536", "70000", "8.5"])
def test_serve_port_refuses_what_is_not_a_port(value):
    code, err = run_process(["serve", f"--port={value}"], timeout=30)
    assert_refused(code, err)
    assert "--port" in err


IDNA_HOSTS = ["xn--zz.example", "😀.example", "xn--e28h.example", "a..b.example", "x" * 64 + ".example"]


@pytest.mark.parametrize("host", IDNA_HOSTS)
@pytest.mark.parametrize("command", ["fetch", "coldstart", "traffic"])
def test_a_host_that_is_not_valid_idna_is_refused_before_any_lookup(ws, command, host):
    code, err = run_process(base_args(command, f"https://{host}/prefetch", ws))
    assert_refused(code, err)
    assert "IDNA" in err or "DNS name" in err


@pytest.mark.parametrize("where", ["url", "--query", "--path"])
def test_a_url_longer_than_the_client_sends_is_refused(counter, ws, where):
    long = "a" * 70_000
    args = base_args("fetch", counter.url + ("/" + long if where == "url" else "/x"), ws)
    if where != "url":
        args += [where, long]
    before = counter.count
    code, err = run_process(args)
    assert_refused(code, err)
    assert "65,536" in err and counter.count == before


@pytest.mark.parametrize("where", ["--token", "--query", "--path", "--appid", "url", "--workspace"])
def test_bytes_that_are_not_utf8_are_refused(counter, ws, where):
    args: list[str | bytes] = list(base_args("fetch", counter.url + "/x", ws))
    bad = b"ab\xff\xfecd"
    if where == "url":
        args[1] = counter.url.encode() + b"/" + bad
    else:
        args += [where.encode(), bad]
    before = counter.count
    code, err = run_process(args)
    assert_refused(code, err)
    assert "not UTF-8" in err and "ff fe" in err
    assert counter.count == before


def test_traffic_rate_nan_does_not_mean_unlimited(counter, ws):
    code, err = run_in_process([*base_args("traffic", counter.url + "/x", ws), "--users", "5", "--rate", "nan"])
    assert_refused(code, err)
    assert "--rate" in err and "finite" in err
