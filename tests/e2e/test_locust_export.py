"""The Locust export: a standalone file that reproduces the traffic scenario, run headless
against the mock server, arrives split as the workbench previews it with valid P1-P9 requests,
and gives each user the launch a traffic run gives it (one LaunchMix, one pick)."""

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

from tests.support.locustfile import load_locustfile
from tests.support.servers import APPID
from workbench.core.errors import InvalidInput
from workbench.core.launch_mix import LaunchMix, LaunchVariant
from workbench.core.locust_export import (
    MAX_EXPORT_USERS,
    LocustScenario,
    render_locustfile,
    write_locustfile,
)
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.mockserver.server import MockServer

#: Never import locust here: it monkey-patches the whole process with gevent.
HAVE_LOCUST = importlib.util.find_spec("locust") is not None
needs_locust = pytest.mark.skipif(not HAVE_LOCUST, reason="locust is not installed (pip install -e '.[load]')")

MIX = LaunchMix((LaunchVariant(3, "pages/item/item", "id=42&名字=中文 测试&next=/a?b=c#x", 1047, "1.2.3"),
                 LaunchVariant(1, "pages/index/index", "", 1001, ""),
                 LaunchVariant(1, "pages/search/search", "q=100%+off", None, "")))


def row(variant: LaunchVariant) -> tuple[object, ...]:
    """A variant as the Locust file's LAUNCHES holds it."""
    return (variant.weight, variant.path, variant.query, variant.scene, variant.version)


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
        launch = MIX.pick(user.index)  # the launch a traffic run gives this user
        assert p.get("path") == launch.path and p.get("customMiniprogramVersion") == (launch.version or None)
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
    assert {p.get("path") for p in (r.param for r in prefetches)} == {v.path for v in MIX.variants}


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


SEVERAL = LaunchMix((LaunchVariant(5, "pages/a/a", "x=1", 1001, ""),
                     LaunchVariant(1, "pages/b/b", "", 1047, "2.0.0"),
                     LaunchVariant(3, "pages/c/c", "名字=中文&q=@@USERS@@", None, ""),
                     LaunchVariant(7, "pages/d/d", "", 1089, "1.0"),
                     LaunchVariant(2, "pages/e/e", "", 1011, "")))


@pytest.mark.parametrize("mix", [SEVERAL, LaunchMix(SEVERAL.variants, seed="another seed"), MIX,
                                 LaunchMix.parse_scene_mix("1001:70,1047:30", Launch(path="pages/x"))],
                         ids=["five", "seeded", "three", "scene-mix"])
def test_p7_the_locust_file_picks_each_users_launch_exactly_as_the_traffic_run(mix):
    """One model, one pick: for 2,000 users the file's launch_for(i) is LaunchMix.pick(i), the launch
    a workbench traffic run sends user i, so a user launches the same way in both."""
    rollout = Rollout("https://api.example.invalid/p", "https://api.example.invalid/g", rollout_id="r")
    sc = LocustScenario(APPID, rollout, Population(size=2000, seed="mix"), launch_mix=mix)
    module = load_locustfile(render_locustfile(sc))
    assert module["LAUNCHES"] == [row(v) for v in mix.variants] and module["LAUNCH_SEED"] == mix.seed
    picked = [module["launch_for"](i) for i in range(2000)]
    assert picked == [row(mix.pick(i)) for i in range(2000)]
    assert {p[1] for p in picked} == {v.path for v in mix.variants}  # every variant is used
    # the users the file cold-starts are the population's users 0..N-1, in order
    assert [u[0] for u in module["USERS"]] == [u.openid for u in sc.population.users()]


def test_launch_mix_and_scenario_refuse_what_cannot_work():
    with pytest.raises(InvalidInput) as zero:
        LaunchVariant(0, "pages/a")
    with pytest.raises(InvalidInput) as negative:
        LaunchVariant(-2, "pages/a")
    with pytest.raises(InvalidInput) as negative_entry:
        LaunchMix.parse_scene_mix("1001:3,1047:-1")
    with pytest.raises(InvalidInput) as fraction:
        LaunchVariant(0.5, "pages/a")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as scene:
        LaunchVariant(1, "pages/a", "", "not-a-scene", "")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as empty:
        LaunchMix(())
    assert str(zero.value) == "A launch's weight must be a whole number of at least 1, not 0."
    assert str(negative.value) == "A launch's weight must be a whole number of at least 1, not -2."
    assert str(negative_entry.value) == "The scene mix entry '1047:-1' is not SCENE:WEIGHT, e.g. 1047:30."
    assert str(fraction.value) == "A launch's weight must be a whole number of at least 1, not 0.5."
    assert "scene" in str(scene.value) and "not-a-scene" in str(scene.value)
    assert str(empty.value) == "A launch mix needs at least one launch."
    for error in (zero, negative, negative_entry, fraction, scene, empty):  # one line, one sentence each
        text = str(error.value)
        assert "\n" not in text and text[0].isupper() and text.endswith("."), text
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
    assert "RATE = 50.0" in text and f"MAIN_URL = {main_url!r}" in text and "ROLLOUT_ID = 'r9'" in text
    # no mix given: every user makes the run's one launch (the launch options' defaults)
    assert load_locustfile(text, str(path))["LAUNCHES"] == [(1, "pages/index/index", "", 1001, "")]


async def test_p7_traffic_export_locust_takes_the_runs_launch_options_and_mixes(tmp_path, workspace):
    """`traffic --export-locust` reads --scene-mix, --launch-mix and the launch options as a run does,
    and the file gives every user the launch the run would send it."""
    urls = ("--url", "https://api.example.invalid/p", "--gray-url", "https://api.example.invalid/g")
    common = ("--appid", APPID, "--users", "400", "--seed", "mix", "--workspace", str(workspace), *urls)
    table = tmp_path / "mix.csv"
    table.write_text("weight,path,query,scene,version\n2,pages/a,x=1&y=中,1011,\n5,pages/b,,1089,3.0\n"
                     "1,pages/c,,,\n", "utf-8")
    launch = ("--path", "pages/x", "--query", "k=v w", "--version", "2.0.0")
    cases = [
        (("--scene-mix", "1001:70,1047:30", *launch),
         LaunchMix.parse_scene_mix("1001:70,1047:30", Launch(path="pages/x", query="k=v w", version="2.0.0"))),
        (("--launch-mix", str(table)), LaunchMix.load(table)),
        ((*launch, "--scene", "1047"), LaunchMix.single(Launch("pages/x", "k=v w", 1047, "2.0.0"))),
    ]
    for n, (argv, mix) in enumerate(cases):
        path = tmp_path / f"lf{n}.py"
        code, _, err = await traffic_cli(*common, *argv, "--export-locust", str(path))
        assert code == 0, err
        module = load_locustfile(path.read_text(encoding="utf-8"), str(path))
        assert module["LAUNCHES"] == [row(v) for v in mix.variants], argv
        assert [module["launch_for"](i) for i in range(400)] == [row(mix.pick(i)) for i in range(400)], argv


URLS = ["--url", "https://api.example.invalid/p", "--gray-url", "https://api.example.invalid/g"]


@pytest.mark.parametrize(("argv", "says"), [
    (["--users", "10", "--percent", "30"], "needs the main and gray addresses"),
    (["--users", str(MAX_EXPORT_USERS + 1), "--percent", "30", *URLS], "at most 100,000"),
    (["--users", "10", "--scene-mix", "1001:70,1047:0", *URLS], "weight must be a whole number of at least 1, not 0"),
    (["--users", "10", "--scene-mix", "1001:70,1047:-3", *URLS], "'1047:-3' is not SCENE:WEIGHT"),
    (["--users", "10", "--scene-mix", "10x7:30", *URLS], "The scene '10x7' is not an integer"),
    (["--users", "10", "--launch-mix", "{tmp}/empty.csv", *URLS], "A launch mix needs at least one launch."),
    (["--users", "10", "--identity", "code", *URLS], "cannot take --identity code"),
])
async def test_traffic_export_locust_bad_input_exits_2(tmp_path, argv, says):
    path = tmp_path / "lf.py"
    (tmp_path / "empty.csv").write_text("weight,path,query,scene,version\n", "utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = await traffic_cli("--appid", APPID, *argv, "--export-locust", str(path))
    assert code == 2 and says in err and err.count("\n") == 1, err
    assert not path.exists()
