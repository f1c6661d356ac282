"""`prepull-workbench check` against the mock server: a careful backend passes, and a backend
made to break each part of the contract fails that check, saying why."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import pytest_asyncio

from tests.support.servers import APPID
from workbench.core.check import CHECK_NAMES, RESERVED_QUERY, CheckOptions, junit_xml, run_checks
from workbench.core.errors import InvalidInput
from workbench.core.protocol import SCENES
from workbench.mockserver.rules import Rule
from workbench.mockserver.server import MockConfig, MockServer

TOKEN = "token-alice"


@pytest_asyncio.fixture
async def careful():
    """The mock as a careful backend: it checks tokens and codes and refuses anyone else (401)."""
    server = MockServer(MockConfig(token_check=True))
    log = []
    server.listeners.append(log.append)
    server.log = log
    await server.start()
    yield server
    await server.stop()


def options(mock: MockServer, **kw) -> CheckOptions:
    values = dict(url=mock.url("main"), appid=APPID, token=TOKEN, gray_url=mock.url("gray"),
                  periodic_url=mock.url("periodic"), code_exchange_url=mock.base_url + "/sns/jscode2session",
                  requests=5, budget_ms=4000)
    values.update(kw)
    return CheckOptions(**values)


def by_name(results):
    return {r.name: r for r in results}


async def cli(*argv: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "workbench", "check", *argv,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    return proc.returncode, out.decode(), err.decode()


def cli_args(mock: MockServer, workspace, *extra: str) -> list[str]:
    return [mock.url("main"), "--appid", APPID, "--token", TOKEN, "--gray-url", mock.url("gray"),
            "--periodic-url", mock.url("periodic"), "--code-exchange", mock.base_url + "/sns/jscode2session",
            "--requests", "5", "--budget-ms", "4000", "--workspace", str(workspace), *extra]


# -- a careful backend ---------------------------------------------------------------------------


async def test_a_careful_backend_passes_every_check_with_exit_0_json_and_junit(careful, workspace, tmp_path):
    junit = tmp_path / "check.xml"
    code, out, err = await cli(*cli_args(careful, workspace, "--json", "--junit", str(junit)))
    assert code == 0, (out, err)
    payload = json.loads(out)
    assert [c["name"] for c in payload["checks"]] == list(CHECK_NAMES)
    assert all(set(c) == {"name", "passed", "detail"} and c["passed"] is True for c in payload["checks"])
    assert payload["skipped"] == []
    suite = ET.parse(junit).getroot()
    assert suite.tag == "testsuites" and suite.get("tests") == str(len(CHECK_NAMES)) and suite.get("failures") == "0"
    cases = suite.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == list(CHECK_NAMES)
    assert not suite.findall(".//failure") and not suite.findall(".//skipped")
    assert oct(junit.stat().st_mode & 0o777) == "0o600"
    assert TOKEN not in junit.read_text()


async def test_text_output_says_pass_for_each_check_and_masks_the_token(careful, workspace):
    code, out, _ = await cli(*cli_args(careful, workspace))
    assert code == 0
    lines = out.splitlines()
    for name in CHECK_NAMES:
        assert any(line.startswith("PASS") and f" {name} " in line for line in lines), (name, out)
    assert TOKEN not in out and "11 checks run, all passed; 0 not run." in out


async def test_p8_p21_what_the_server_received_from_the_checks(careful):
    """The query check's launch query arrives URL-encoded once (decoding it once gives it back, P8);
    periodic requests carry only appid, token and timestamp (P21)."""
    results = await run_checks(options(careful))
    assert all(r.passed for r in results), [r.detail for r in results if not r.passed]
    queries = [r.param.get("query") for r in careful.log if r.endpoint == "main"]
    assert RESERVED_QUERY in queries
    raw = next(r.target for r in careful.log if r.param.get("query") == RESERVED_QUERY)
    assert "%E4%B8%AD%E6%96%87" in raw and "%26" in raw and "%23top" in raw and "#" not in raw
    assert {r.param.get("scene") for r in careful.log if r.endpoint == "main"} >= {str(s) for s in SCENES}
    periodic = [r for r in careful.log if r.endpoint == "periodic"]
    assert periodic and all([k for k, _ in r.params] == ["appid", "token", "timestamp"] for r in periodic)
    # P4: exactly one of token and code, except the deliberate missing-token probes
    for r in careful.log:
        if r.endpoint in ("main", "gray"):
            assert ("token" in r.param) + ("code" in r.param) <= 1


async def test_every_request_of_a_check_is_in_history_and_the_failed_one_is_its_focus(careful, store):
    careful.rules.rules.append(Rule(name="broken 1047", scene=1047, status=500, body="boom"))
    results = by_name(await run_checks(options(careful), store=store))
    scenes = results["scenes"]
    assert len(scenes.history_ids) == len(SCENES)
    records = [store.history(i) for i in scenes.history_ids]
    assert all(r.source == "check" and r.user == "check" for r in records)
    focus = store.history(scenes.focus_id)
    assert focus.scene == 1047 and focus.status == 500 and not focus.cached
    assert results["status"].focus_id is not None and store.history(results["status"].focus_id).status == 200
    assert len(results["latency"].history_ids) == 5
    kinds = {store.history(i).address_kind for r in results.values() for i in r.history_ids}
    assert kinds == {"main", "gray", "periodic"}


# -- backends that break one part of the contract ------------------------------------------------


async def test_serving_data_without_a_token_fails_the_auth_check_with_exit_1(careful, workspace, tmp_path):
    careful.rules.rules.append(Rule(name="public", token="missing", status=200, body='{"secret": "user data"}'))
    junit = tmp_path / "check.xml"
    code, out, err = await cli(*cli_args(careful, workspace, "--json", "--junit", str(junit)))
    assert code == 1, err
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    missing = checks["missing_token"]
    assert not missing["passed"]
    assert missing["detail"].startswith("A launch with neither token nor code got 200 OK")
    assert "serves user data to anyone who asks" in missing["detail"]
    assert checks["invalid_token"]["passed"] and checks["status"]["passed"]
    # the gray address has the same rule (it matches every endpoint)
    assert not checks["gray"]["passed"] and checks["gray"]["detail"].startswith("On the gray address: A launch "
                                                                                "with neither token nor code")
    failures = {case.get("name"): case.find("failure")
                for case in ET.parse(junit).getroot().iter("testcase")}
    assert failures["missing_token"] is not None and failures["invalid_token"] is None
    assert failures["missing_token"].get("message") == missing["detail"]
    assert ET.parse(junit).getroot().get("failures") == "2"


async def test_a_backend_that_checks_no_token_at_all_fails_both_auth_checks(workspace):
    careless = MockServer(MockConfig(token_check=False))
    await careless.start()
    try:
        results = by_name(await run_checks(options(careless)))
    finally:
        await careless.stop()
    for name, who in (("missing_token", "neither token nor code"), ("invalid_token", "a token the server never")):
        assert not results[name].passed and who in results[name].detail
    assert not results["code"].passed and "made-up login code got 200 OK" in results["code"].detail
    assert not results["periodic"].passed and "periodic update with a token the server never issued got 200" in \
        results["periodic"].detail


async def test_p12_an_oversize_body_fails_the_size_check_and_only_the_body_checks(careful):
    careful.rules.default.body = "{{json_bytes:262145}}"
    results = by_name(await run_checks(options(careful, gray_url=None, periodic_url=None, code_exchange_url=None)))
    size = results["body_size"]
    assert not size.passed
    assert size.detail == ("A typical launch: The body is 262,145 bytes (256.0 KB), over the 262,144 bytes "
                           "(256.0 KB) limit (P12), so it is not cached: send less data.")
    assert results["status"].passed and results["utf8"].passed
    assert not results["scenes"].passed and "21 of 21" in results["scenes"].detail


async def test_p12_a_body_of_exactly_the_limit_passes_the_size_check(careful):
    careful.rules.default.body = "{{json_bytes:262144}}"
    results = by_name(await run_checks(options(careful, gray_url=None, periodic_url=None, code_exchange_url=None,
                                               requests=1)))
    assert results["body_size"].passed and "262,144 bytes, within the 262,144-byte limit" in \
        results["body_size"].detail


async def test_p13_a_latin1_body_fails_the_utf8_check():
    # the mock encodes every body as UTF-8, so this uses the support app, whose /latin1 answers Latin-1
    from tests.support.servers import make_app
    from workbench.mockserver.runner import ServerRunner

    runner = ServerRunner(make_app(), "127.0.0.1", 0)
    base = await runner.start()
    try:
        results = by_name(await run_checks(CheckOptions(url=base + "/latin1", appid=APPID, token=TOKEN, requests=1)))
    finally:
        await runner.stop()
    assert not results["utf8"].passed and "not valid UTF-8" in results["utf8"].detail and "P13" in \
        results["utf8"].detail
    assert results["status"].passed and results["body_size"].passed


async def test_a_slow_backend_fails_the_latency_check(careful):
    careful.rules.default.delay_ms = 120
    results = by_name(await run_checks(options(careful, requests=3, budget_ms=50, gray_url=None, periodic_url=None,
                                               code_exchange_url=None)))
    latency = results["latency"]
    assert not latency.passed
    assert latency.detail.startswith("The p95 latency is ") and "over 3 requests, over the 50 ms budget" in \
        latency.detail
    assert results["status"].passed


async def test_a_scene_that_answers_500_fails_the_scene_check_naming_the_scene(careful):
    careful.rules.rules.append(Rule(name="broken 1047", scene=1047, status=500, body="boom"))
    results = by_name(await run_checks(options(careful)))
    scenes = results["scenes"]
    assert not scenes.passed
    assert scenes.detail == ("1 of 21 common scenes were not cached, the first being scene 1047: The server "
                             "answered 500; only a 2xx status is cached (P11).")
    assert all(r.passed for name, r in results.items() if name != "scenes")


async def test_a_query_the_server_chokes_on_fails_the_p8_check(careful):
    careful.rules.rules.append(Rule(name="no redirect key", query_keys=["redirect"], status=400, body="bad query"))
    results = by_name(await run_checks(options(careful)))
    assert not results["query_encoding"].passed
    assert "URL-encoded once as one parameter (P8), was not cached: The server answered 400" in \
        results["query_encoding"].detail
    assert results["scenes"].passed


async def test_a_failing_periodic_address_fails_the_periodic_check(careful):
    careful.rules.rules.append(Rule(name="periodic down", endpoint="periodic", status=503, body="down"))
    results = by_name(await run_checks(options(careful)))
    periodic = results["periodic"]
    assert not periodic.passed
    assert periodic.detail == ("On the periodic address: A periodic update (appid, token and timestamp only, P21) "
                               "was not cached: The server answered 503; only a 2xx status is cached (P11).")
    assert results["gray"].passed and results["status"].passed


async def test_a_gray_address_that_is_down_fails_the_gray_check(careful):
    results = by_name(await run_checks(options(careful, gray_url=careful.base_url + "/nowhere")))
    gray = results["gray"]
    assert not gray.passed and gray.detail.startswith("On the gray address: A typical launch was not cached: "
                                                      "The server answered 404")


async def test_p4_p6_a_server_that_serves_codes_without_redeeming_them_fails_the_code_check(careful):
    exchange = MockServer()  # a code2session stand-in the server under test never calls
    await exchange.start()
    try:
        careful.rules.rules.append(Rule(name="any code", token="invalid", status=200))
        results = by_name(await run_checks(options(careful, code_exchange_url=exchange.base_url +
                                                   "/sns/jscode2session")))
    finally:
        await exchange.stop()
    code = results["code"]
    assert not code.passed and code.detail.startswith("The server served data for a login code without redeeming "
                                                      "it at http://127.0.0.1:")


async def test_p4_a_code_the_server_cannot_redeem_fails_the_code_check(careful):
    exchange = MockServer()
    await exchange.start()
    try:
        results = by_name(await run_checks(options(careful, code_exchange_url=exchange.base_url +
                                                   "/sns/jscode2session")))
    finally:
        await exchange.stop()
    assert results["code"].detail == ("A launch with a fresh login code was not cached: The server answered 401; "
                                      "only a 2xx status is cached (P11).")


async def test_a_code_exchange_that_issues_no_codes_fails_the_code_check(careful):
    results = by_name(await run_checks(options(careful, code_exchange_url=careful.url("main"))))
    assert not results["code"].passed
    assert results["code"].detail.startswith(f"Could not get a login code from {careful.url('main')} (HTTP 401)")


async def test_a_wrong_token_fails_the_status_check_saying_so(careful):
    results = by_name(await run_checks(options(careful, token="not-a-token", gray_url=None, periodic_url=None,
                                               code_exchange_url=None, requests=1)))
    assert results["status"].detail == ("A typical launch with the given token got 401 Unauthorized: the server "
                                        "refused the token, so give one it accepts.")


async def test_no_server_listening_fails_with_the_network_reason(unused_port_url):
    results = by_name(await run_checks(CheckOptions(url=unused_port_url, appid=APPID, token=TOKEN, requests=2)))
    assert not results["status"].passed and "was refused" in results["status"].detail
    assert results["body_size"].detail.startswith("A typical launch got no response, so its body could not be")
    assert results["latency"].detail.startswith("Request 1 of 2 got no response")
    assert results["missing_token"].detail.startswith("A launch with neither token nor code got no response")


@pytest.fixture
def unused_port_url():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/prefetch"


async def test_checks_not_asked_for_are_skipped_and_named(careful, workspace, tmp_path):
    junit = tmp_path / "check.xml"
    code, out, _ = await cli(careful.url("main"), "--appid", APPID, "--token", TOKEN, "--requests", "2",
                             "--budget-ms", "4000", "--workspace", str(workspace), "--json", "--junit", str(junit))
    assert code == 0
    payload = json.loads(out)
    assert [s["name"] for s in payload["skipped"]] == ["code", "gray", "periodic"]
    assert "code" not in {c["name"] for c in payload["checks"]}
    skipped = [c.get("name") for c in ET.parse(junit).getroot().iter("testcase") if c.find("skipped") is not None]
    assert skipped == ["code", "gray", "periodic"]


# -- bad input: exit 2, nothing sent ---------------------------------------------------------------


@pytest.mark.parametrize(("argv", "says"), [
    (["--appid", "wx123", "--token", TOKEN], "is not valid"),
    (["--appid", APPID], "--token"),
    (["--appid", APPID, "--token", TOKEN, "--requests", "0"], "from 1 to 10,000"),
    (["--appid", APPID, "--token", TOKEN, "--budget-ms", "-5"], "more than 0 ms"),
    (["--appid", APPID, "--token", TOKEN, "--gray-url", "ftp://example.invalid/"], "must start with https://"),
    (["--appid", APPID, "--token", TOKEN, "--junit", "/nonexistent-folder/check.xml"], "Cannot write the JUnit"),
    (["--appid", APPID, "--token", "x" * 1025], "P9"),
])
async def test_bad_input_exits_2_with_one_line_and_sends_nothing(careful, workspace, argv, says):
    code, out, err = await cli(careful.url("main"), *argv, "--workspace", str(workspace))
    assert code == 2 and says in err and err.count("\n") == 1, err
    assert out == "" and careful.log == []


async def test_a_missing_url_is_bad_input(workspace):
    code, _, err = await cli("--appid", APPID, "--token", TOKEN, "--workspace", str(workspace))
    assert code == 2 and "the server's URL" in err


def test_options_are_validated_when_made():
    # P10: plain http to another host is checked too (with a warning), not refused
    assert CheckOptions(url="http://example.invalid/", appid=APPID, token=TOKEN).url
    assert CheckOptions(url="http://example.invalid/", appid=APPID, token=TOKEN, allow_plain_http=True).url
    with pytest.raises(InvalidInput, match="whole number"):
        CheckOptions(url="https://example.invalid/", appid=APPID, token=TOKEN, requests=True)


def test_options_take_defaults_from_an_object_when_not_given_on_the_command_line():
    """The workspace fills in what the command line leaves out; the command line wins."""
    from types import SimpleNamespace

    from workbench.cli import build_parser
    from workbench.cli.check import options_from_args

    defaults = SimpleNamespace(url="https://api.example.invalid/prefetch", appid=APPID, token="from-workspace",
                               gray_url="https://api.example.invalid/gray", budget_ms=300.0, requests=None)
    args = build_parser().parse_args(["check", "--token", "from-command-line", "--requests", "7"])
    o = options_from_args(args, defaults)
    assert (o.url, o.appid, o.token, o.gray_url, o.requests, o.budget_ms) == (
        defaults.url, APPID, "from-command-line", defaults.gray_url, 7, 300.0)


def test_junit_xml_has_one_testcase_per_check_with_failures_and_skips():
    from workbench.core.check import CheckResult, Why, skipped

    o = CheckOptions(url="https://api.example.invalid/prefetch", appid=APPID, token=TOKEN)
    results = [CheckResult("status", True, Why.of("status_ok", status="200 OK"), (1,), 1, duration_s=0.01),
               CheckResult("missing_token", False, Why.of("refused_bad", who="missing", status="200 OK", size="12"),
                           (2,), 2, duration_s=0.02),
               skipped("gray")]
    root = ET.fromstring(junit_xml(results, o, timestamp=0).split("\n", 1)[1])
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "1", "1")
    (suite,) = root.findall("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert cases["status"].find("failure") is None and cases["status"].findtext("system-out").startswith("A typical")
    failure = cases["missing_token"].find("failure")
    assert failure.get("type") == "CheckFailed" and "History entry #2" in failure.text
    assert cases["gray"].find("skipped").get("message") == "Not run: no gray address was given (P25)."
    assert {p.get("name") for p in suite.iter("property")} >= {"url", "appid"} and TOKEN not in ET.tostring(
        root, encoding="unicode")
