"""Issue 11 item 6: `serve` refuses bad arguments before starting, survives a closed stdout, and
`fetch --ca` trusts the certificate authority `serve --tls --ca-out` writes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import httpx
import pytest

from tests.support.servers import APPID
from workbench.core.errors import ServerStartError
from workbench.mockserver.server import MockServer

ALICE = {"appid": APPID, "token": "token-alice", "timestamp": "1700000000000"}


async def cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode(), err.decode()


def one_sentence(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "8o80"])
async def test_a_port_out_of_range_exits_2_with_one_sentence_about_the_port(port):
    code, out, err = await cli("serve", "--port", port)
    assert code == 2 and out == ""
    message = one_sentence(err)
    assert "argument --port:" in message and port in message
    assert "port from 0 to 65535" in message or "is not a whole number" in message
    assert "host" not in message and "address" not in message


@pytest.mark.parametrize("port", [70000, -1])
async def test_the_server_itself_refuses_a_port_out_of_range(port):
    with pytest.raises(ServerStartError, match=f"The port must be a whole number from 0 to 65535.*not {port}"):
        await MockServer(port=port).start()


async def test_ca_out_without_tls_is_refused(tmp_path):
    ca = tmp_path / "ca.pem"
    code, out, err = await cli("serve", "--port", "0", "--ca-out", str(ca))
    assert code == 2 and out == "" and not ca.exists()
    assert "--ca-out" in one_sentence(err) and "add --tls" in err


@pytest.mark.parametrize("where", ["missing/ca.pem", "."])
async def test_ca_out_to_an_unwritable_path_is_one_sentence_before_anything_starts(tmp_path, where):
    code, out, err = await cli("serve", "--port", "0", "--tls", "--ca-out", str(tmp_path / where))
    assert code == 2
    assert out == ""  # no URL: the server never started
    assert one_sentence(err).startswith(f"prepull-workbench: Cannot write {tmp_path / where}")


async def test_a_closed_stdout_stops_the_log_not_the_server():
    """`serve | head -1`: the reader of stdout goes away after the URL; serving goes on quietly."""
    read_end, write_end = os.pipe()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "serve", "--port", "0", stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    try:
        first = await asyncio.wait_for(asyncio.to_thread(os.read, read_end, 4096), 30)
    finally:
        os.close(read_end)  # `head -1` exits
    url = first.decode().splitlines()[0]
    assert url.startswith("http://127.0.0.1:") and url.endswith("/prefetch")
    async with httpx.AsyncClient() as client:
        for _ in range(5):
            r = await client.get(url, params=ALICE)
            assert r.status_code == 200 and r.json()["appid"] == APPID
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    text = err.decode()
    assert proc.returncode == 0
    assert "Traceback" not in text and "BrokenPipe" not in text and "Exception" not in text, text
    assert text == ("prepull-workbench: serve: the output was closed; serving on without the request log "
                    "(stop with Ctrl+C or SIGTERM).\n")


async def test_fetch_with_the_ca_of_serve_tls_gets_a_cached_result(tmp_path, workspace):
    ca = tmp_path / "ca.pem"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "serve", "--port", "0", "--tls", "--ca-out", str(ca),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()
        assert url.startswith("https://127.0.0.1:")
        common = ("--appid", APPID, "--token", "token-alice", "--workspace", str(workspace))
        code, out, err = await cli("fetch", url, "--ca", str(ca), *common)
        assert code == 0, out + err
        assert "Cached." in out and "Traceback" not in err
        # without it the local CA is not trusted: not cached, and the reason says why
        code, out, _ = await cli("fetch", url, *common)
        assert code == 1 and "certificate" in out
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 30)


@pytest.mark.parametrize("content, expected", [
    (None, "there is no such file"),
    ("not a certificate", "is not a PEM certificate authority file"),
])
async def test_fetch_with_an_unusable_ca_file_exits_2_before_sending(tmp_path, workspace, content, expected):
    ca = tmp_path / "ca.pem"
    if content is not None:
        ca.write_text(content)
    code, out, err = await cli("fetch", "https://127.0.0.1:9/prefetch", "--ca", str(ca), "--appid", APPID,
                               "--token", "t", "--workspace", str(workspace))
    assert code == 2 and out == "" and expected in one_sentence(err)


@pytest.mark.parametrize("rules, expected", [
    ({"rules": [42]}, "Rule 1: a rule must be an object of named fields, not 42."),
    ({"rules": [{"name": "gone", "status": "404"}]}, 'Rule 1 ("gone"): the status must be a whole number'),
    ({"rules": [{}, {"delay_ms": 1e15}]}, "Rule 2: the delay_ms field must be"),
    ({"default": {"body": "{{json_bytes:67108864}}" * 4}}, "The default rule: the body can render to"),
])
async def test_serve_refuses_a_bad_rules_file_with_one_sentence_and_exit_2(tmp_path, rules, expected):
    import json

    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules))
    code, out, err = await cli("serve", "--port", "0", "--rules", str(path))
    assert code == 2 and out == ""
    assert one_sentence(err).startswith("prepull-workbench: " + expected)
