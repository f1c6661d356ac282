"""`prepull-workbench serve` as a real process: URL first, a line per request, clean stop."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys

import httpx

from tests.support.servers import APPID


async def start_serve(*args: str) -> tuple[asyncio.subprocess.Process, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "serve", "--port", "0", *args,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = await asyncio.wait_for(proc.stdout.readline(), 30)
    return proc, first.decode().strip()


async def stop(proc: asyncio.subprocess.Process, sig=signal.SIGTERM) -> tuple[int, str, str]:
    proc.send_signal(sig)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode, out.decode(), err.decode()


async def test_serve_prints_url_then_one_line_per_request_and_stops_on_sigterm():
    proc, url = await start_serve()
    assert url.startswith("http://127.0.0.1:") and url.endswith("/prefetch")
    await asyncio.wait_for(proc.stdout.readline(), 10)  # the line listing the other endpoints
    async with httpx.AsyncClient() as client:
        r = await client.get(url, params={"appid": APPID, "token": "token-alice", "timestamp": "1",
                                          "query": "id=1", "scene": "1047"})
    assert r.status_code == 200
    line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
    assert " main 200 " in line and 'scene="1047"' in line and "user=alice" in line
    assert "token-alice" not in line  # masked
    code, _, err = await stop(proc)
    assert code == 0 and "Traceback" not in err


async def test_serve_stops_cleanly_on_ctrl_c():
    proc, _ = await start_serve()
    code, _, err = await stop(proc, signal.SIGINT)
    assert code == 0 and err == ""


async def test_serve_with_rules_file_and_tls(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [{"name": "hello", "body": "hello {{user}}"}]}))
    ca = tmp_path / "ca.pem"
    proc, url = await start_serve("--rules", str(rules), "--tls", "--ca-out", str(ca))
    try:
        assert url.startswith("https://127.0.0.1:")
        import ssl

        ctx = ssl.create_default_context(cafile=str(ca))
        async with httpx.AsyncClient(verify=ctx) as client:
            r = await client.get(url, params={"appid": APPID, "token": "token-bob", "timestamp": "1"})
        assert r.text == "hello bob"
    finally:
        await stop(proc)


async def test_serve_non_loopback_host_warns():
    proc, _ = await start_serve("--host", "0.0.0.0")
    code, _, err = await stop(proc)
    assert code == 0 and "warning: listening on 0.0.0.0" in err


async def test_serve_port_in_use_and_bad_rules_exit_2_with_one_line(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workbench", "serve", "--port", str(port),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2 and b"already in use" in err and err.count(b"\n") == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "serve", "--rules", str(bad),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2 and b"not valid JSON" in err and err.count(b"\n") == 1
