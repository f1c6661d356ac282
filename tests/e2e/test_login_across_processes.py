"""P4 and P6 across processes: a login code `fetch` generates is redeemed once by `serve` running
in another process on the same workspace; session_key rotation and a stale key are visible."""

from __future__ import annotations

import json

import httpx

from tests.e2e.test_cli_fetch import run_cli
from tests.e2e.test_cli_serve import start_serve, stop
from tests.support.servers import APPID
from workbench.core.login import default_openid, session_signature


async def fetch_code(url: str, workspace) -> tuple[int, dict]:
    code, out, err = await run_cli("fetch", url, "--appid", APPID, "--workspace", str(workspace), "--json",
                                   "--show-secrets")
    assert code in (0, 1), err
    return code, json.loads(out)


async def test_p4_p6_fetch_codes_are_redeemed_by_serve_in_another_process(workspace, server):
    proc, main_url = await start_serve("--workspace", str(workspace))
    base = main_url.rsplit("/", 1)[0]
    try:
        # 1. fetch (process A) sends a fresh code to serve (process B), which redeems it: 200, not 401
        exit_code, report = await fetch_code(main_url, workspace)
        code = report["request"]["params"]["code"]
        assert exit_code == 0 and report["verdict"]["cached"], report
        assert json.loads(report["result"]["fetchedData"])["openid"] == default_openid("default")
        async with httpx.AsyncClient(base_url=base) as http:
            # 2. the code was redeemed once: a second redemption fails
            again = (await http.get("/sns/jscode2session", params={"appid": APPID, "js_code": code})).json()
            assert again == {"errcode": 40163, "errmsg": "code been used"}

            # 3. a developer server (here: the echo server) gets the code and redeems it at code2session
            async def new_session() -> dict:
                _, rep = await fetch_code(server + "/echo", workspace)
                return (await http.get("/sns/jscode2session",
                                       params={"appid": APPID, "js_code": rep["request"]["params"]["code"]})).json()

            first, second = await new_session(), await new_session()
            assert set(first) == {"openid", "session_key"} and first["openid"] == second["openid"]
            assert first["session_key"] != second["session_key"]  # P6: each code launch rotates it

            async def check(session_key: str) -> dict:
                return (await http.get("/wxa/checksession", params={
                    "openid": first["openid"], "signature": session_signature(session_key),
                    "sig_method": "hmac_sha256"})).json()

            assert await check(second["session_key"]) == {"errcode": 0, "errmsg": "ok"}
            stale = await check(first["session_key"])  # the key a server stored before the last login
            assert stale["errcode"] == 87009 and "replaced by a newer login" in stale["workbench_hint"]
    finally:
        returncode, _, err = await stop(proc)
    assert returncode == 0 and "Traceback" not in err
