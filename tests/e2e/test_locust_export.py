"""The Locust export: a standalone file that reproduces the traffic scenario, run headless
against the mock server, arrives split as the workbench previews it with valid P1-P9 requests."""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.support.servers import APPID
from workbench.core.errors import InvalidInput
from workbench.core.locust_export import (
    MAX_EXPORT_USERS,
    LaunchMixEntry,
    LocustScenario,
    launch_mix,
    render_locustfile,
    write_locustfile,
)
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.mockserver.server import MockServer

#: Never import locust here: it monkey-patches the whole process with gevent.
HAVE_LOCUST = importlib.util.find_spec("locust") is not None
needs_locust = pytest.mark.skipif(not HAVE_LOCUST, reason="locust is not installed (pip install -e '.[load]')")

MIX = [(3, "pages/item/item", "id=42&名字=中文 测试&next=/a?b=c#x", 1047, "1.2.3"),
       (1, "pages/index/index", "", 1001, ""),
       (1, "pages/search/search", "q=100%+off", None, "")]


def scenario(mock: MockServer, **kw) -> LocustScenario:
    values = dict(appid=APPID,
                  rollout=Rollout(mock.url("main"), mock.url("gray"), rollout_id="r-locust").set_percent(30),
                  population=Population(size=300, seed="locust", token_share=0.6, develop_share=0.04,
                                        trial_share=0.04),
                  launch_mix=MIX, rate=400.0, code_exchange_url=mock.base_url + "/sns/jscode2session")
    values.update(kw)
    return LocustScenario(**values)


async def run_locust(path, cwd, *, users: int = 10, run_time: str = "5s") -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCUST_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "locust", "-f", str(path), "--headless", "-u", str(users), "-r", str(users),
        "--run-time", run_time, "--only-summary", cwd=str(cwd), env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 90)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode, out.decode(errors="replace")


@needs_locust
async def test_p1_p9_p29_the_exported_file_runs_headless_and_splits_as_the_preview(tmp_path):
    mock = MockServer()
    log = []
    mock.listeners.append(log.append)
    await mock.start()
    try:
        sc = scenario(mock)
        path = tmp_path / "prepull_locustfile.py"
        preview = write_locustfile(path, sc)
        started_ms = int(time.time() * 1000)
        code, out = await run_locust(path, tmp_path)
        finished_ms = int(time.time() * 1000)
    finally:
        await mock.stop()
    assert code == 0, out
    assert "All 300 simulated users cold-started once" in out

    # which user each code belongs to: the mock issued it over HTTP to the file's users
    issued = {json.loads(r.response_body)["code"]: r.param["user"] for r in log if r.endpoint == "code2session"}
    prefetches = [r for r in log if r.endpoint in ("main", "gray")]
    assert Counter(r.endpoint for r in prefetches) == Counter(preview) and sum(preview.values()) == 300
    assert preview == SplitIndex.build(sc.population, APPID, "r-locust").split(30)

    users = {u.openid: u for u in sc.population.users()}
    seen = []
    mix = launch_mix(MIX)
    for r in prefetches:
        p = r.param
        assert r.method == "GET" and p["appid"] == APPID  # P1, P2
        assert ("token" in p) != ("code" in p)  # P4: exactly one
        assert 0 < len(p.get("token", "x")) <= 1024 and len(p.get("code", "x")) == (32 if "code" in p else 1)  # P9
        openid = p["token"].removeprefix("sim-token-") if "token" in p else issued[p["code"]]
        user = users[openid]
        assert (user.token is not None) == ("token" in p)
        assert r.endpoint == sc.rollout.side(APPID, openid, user.version).value  # P28, P29: the preview's rule
        assert p["timestamp"].isdigit() and started_ms - 5000 <= int(p["timestamp"]) <= finished_ms  # P3 (ms)
        launch = next(m for m in mix if m.path == p.get("path"))
        # P7, P8: the same parameters, in the same order, as the workbench's own request
        expected = PrefetchRequest(url="http://127.0.0.1/", appid=APPID,
                                   identity=Identity(token=user.token) if user.token else Identity(code="c"),
                                   launch=Launch(launch.path, launch.query, launch.scene, launch.version),
                                   timestamp_ms=0)
        assert [k for k, _ in r.params] == [k for k, _ in expected.params()]
        assert p.get("query", "") == launch.query and p.get("scene") == (str(launch.scene) if launch.scene else None)
        raw_query = dict(pair.split("=", 1) for pair in urlsplit(r.target).query.split("&"))
        if launch.query:
            assert "%" in raw_query["query"] and "&" not in raw_query["query"]  # one parameter (P8)
            assert dict(parse_qsl(urlsplit(r.target).query))["query"] == launch.query  # decoded once: exact
        assert r.status == 200, (r.status, r.target)  # valid tokens and redeemed codes
        seen.append(openid)
    assert sorted(seen) == sorted(users)  # every simulated user cold-started exactly once
    assert {p.get("path") for p in (r.param for r in prefetches)} == {m.path for m in mix}


def test_the_file_needs_only_locust_and_the_standard_library_and_is_private(tmp_path):
    sc = LocustScenario(APPID, Rollout("https://api.example.invalid/prefetch", "https://api.example.invalid/gray",
                                       rollout_id="r1").set_percent(12.5),
                        Population(size=50, seed="s", token_share=0.5))
    path = tmp_path / "lf.py"
    write_locustfile(path, sc)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    text = path.read_text(encoding="utf-8")
    assert "KEEP THIS FILE PRIVATE" in text
    tree = ast.parse(text)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported - set(sys.stdlib_module_names) == {"locust"}
    tokens = [u.token for u in sc.population.users() if u.token]
    assert tokens and all(t in text for t in tokens)  # the users' tokens travel with the file
    assert "PREVIEW = {\"main\": " in text and "GRAY_BUCKETS = 1250" in text


def test_launch_mix_and_scenario_refuse_what_cannot_work():
    with pytest.raises(InvalidInput, match="weight above 0"):
        LaunchMixEntry(0, "pages/a")
    with pytest.raises(InvalidInput, match="scene"):
        launch_mix([(1, "pages/a", "", "not-a-scene", "")])
    with pytest.raises(InvalidInput, match="empty"):
        launch_mix([])
    rollout = Rollout("https://api.example.invalid/p", "https://api.example.invalid/g", rollout_id="r")
    with pytest.raises(InvalidInput, match=f"at most {MAX_EXPORT_USERS:,}"):
        LocustScenario(APPID, rollout, Population(size=MAX_EXPORT_USERS + 1))
    # P10: plain http to another host is allowed (WeChat would not accept it; the workbench warns)
    LocustScenario(APPID, Rollout("http://api.example.invalid/p", "https://api.example.invalid/g"),
                   Population(size=5))
    with pytest.raises(InvalidInput, match="rate"):
        LocustScenario(APPID, rollout, Population(size=5), rate=0)
    assert "RATE = None" in render_locustfile(LocustScenario(APPID, rollout, Population(size=5)))


async def traffic_cli(*argv: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "workbench", "traffic", *argv,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    return proc.returncode, out.decode(), err.decode()


async def test_traffic_export_locust_writes_the_file_and_sends_nothing(tmp_path, workspace):
    mock = MockServer()
    log = []
    mock.listeners.append(log.append)
    await mock.start()
    path = tmp_path / "traffic_locustfile.py"
    main_url = mock.url("main")
    try:
        code, out, err = await traffic_cli("--url", main_url, "--new-rollout", mock.url("gray"), "--appid", APPID,
                                           "--users", "400", "--percent", "30", "--rate", "50", "--rollout-id", "r9",
                                           "--workspace", str(workspace), "--export-locust", str(path), "--json")
    finally:
        await mock.stop()
    assert code == 0, err
    assert log == []  # an export is a plan: nothing was sent
    result = json.loads(out)
    expected = SplitIndex.build(Population(size=400), APPID, "r9").split(30)
    assert result == {"locustfile": str(path), "users": 400, "percent": 30, "preview": expected}
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    text = path.read_text(encoding="utf-8")
    compile(text, str(path), "exec")
    assert "RATE = 50.0" in text and f"MAIN_URL = {main_url!r}" in text and "ROLLOUT_ID = 'r9'" in text


@pytest.mark.parametrize(("argv", "says"), [
    (["--users", "10", "--percent", "30"], "needs the main and gray addresses"),
    (["--users", str(MAX_EXPORT_USERS + 1), "--percent", "30", "--url", "https://api.example.invalid/p",
      "--gray-url", "https://api.example.invalid/g"], "at most 100,000"),
])
async def test_traffic_export_locust_bad_input_exits_2(tmp_path, argv, says):
    path = tmp_path / "lf.py"
    code, _, err = await traffic_cli("--appid", APPID, *argv, "--export-locust", str(path))
    assert code == 2 and says in err and err.count("\n") == 1, err
    assert not path.exists()
