"""The mock developer server, in-process (httpx.ASGITransport) and over real sockets."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput
from workbench.core.protocol import FetchType, Identity, Launch, PrefetchRequest, ProtocolSettings
from workbench.mockserver.rules import Rule, RuleSet, json_of_size, render
from workbench.mockserver.runner import ServerStartError
from workbench.mockserver.server import MockServer, dump_log


def asgi_client(mock: MockServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=mock.app), base_url="http://mock")


def params(**kw) -> dict[str, str]:
    base = {"appid": APPID, "token": "token-alice", "timestamp": "1700000000000"}
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


async def test_default_rule_fills_the_template_from_the_request():
    mock = MockServer()
    log = []
    mock.listeners.append(log.append)
    async with asgi_client(mock) as client:
        r = await client.get("/prefetch", params=params(path="pages/a", query="id=7&来源=qr", scene="1047"))
    assert r.status_code == 200
    body = r.json()
    assert body["appid"] == APPID and body["path"] == "pages/a" and body["query"] == "id=7&来源=qr"
    assert body["scene"] == "1047" and body["openid"] == mock.config.user_by_name("alice").openid
    (record,) = log
    assert (record.endpoint, record.user, record.rule, record.status) == ("main", "alice", "default", 200)
    assert record.scene_text == "1047 (scan a Mini Program code)"


async def test_rule_edits_apply_to_the_very_next_request():
    mock = MockServer()
    async with asgi_client(mock) as client:
        assert (await client.get("/prefetch", params=params())).json()["appid"] == APPID
        mock.rules.default.body = "edited {{user}}"
        assert (await client.get("/prefetch", params=params())).text == "edited alice"
        mock.rules.rules.insert(0, Rule(name="gray", endpoint="gray", body="gray!", status=203))
        r = await client.get("/prefetch/gray", params=params())
        assert (r.status_code, r.text) == (203, "gray!")
        assert (await client.get("/prefetch", params=params())).text == "edited alice"


async def test_first_matching_rule_wins_in_order():
    rules = RuleSet(rules=[
        Rule(name="scene", scene=1047, body="by scene"),
        Rule(name="path", path="pages/detail/*", body="by path"),
        Rule(name="keys", query_keys=["id", "from"], body="by keys"),
        Rule(name="bob", user="bob", body="by user"),
    ])
    mock = MockServer(rules=rules)
    async with asgi_client(mock) as client:
        async def body(**kw):
            return (await client.get("/prefetch", params=params(**kw))).text
        assert await body(scene="1047", path="pages/detail/1") == "by scene"
        assert await body(path="pages/detail/1") == "by path"
        assert await body(query="id=1&from=qr") == "by keys"
        assert await body(query="id=1") != "by keys"
        assert await body(token="token-bob") == "by user"
        rules.rules[0].enabled = False
        assert await body(scene="1047", path="pages/detail/1") == "by path"


async def test_token_check_answers_401_for_invalid_and_missing_tokens():
    mock = MockServer()
    async with asgi_client(mock) as client:
        bad = await client.get("/prefetch", params=params(token="stolen"))
        missing = await client.get("/prefetch", params=params(token=None))
        assert bad.status_code == 401 and missing.status_code == 401
        assert bad.json()["errcode"] == 40001
        # a rule that names the state answers instead: the developer's own handling
        mock.rules.rules.append(Rule(name="anon", token="missing", status=200, body="public data"))
        assert (await client.get("/prefetch", params=params(token=None))).text == "public data"
        assert (await client.get("/prefetch", params=params(token="stolen"))).status_code == 401
        mock.config.auth_status = 403
        assert (await client.get("/prefetch", params=params(token="stolen"))).status_code == 403
        mock.config.token_check = False
        assert (await client.get("/prefetch", params=params(token="stolen"))).status_code == 200


async def test_p6_codes_exchange_once_for_a_stable_openid_and_a_rotating_session_key():
    mock = MockServer()
    async with asgi_client(mock) as client:
        first = (await client.get("/sns/jscode2session",
                                  params={"appid": APPID, "js_code": mock.issue_code("alice")})).json()
        second = (await client.get("/sns/jscode2session",
                                   params={"appid": APPID, "js_code": mock.issue_code("alice")})).json()
        assert first["openid"] == second["openid"] == mock.config.user_by_name("alice").openid
        assert first["session_key"] != second["session_key"]
        code = mock.issue_code("bob")
        assert (await client.get("/prefetch", params=params(token=None, code=code))).status_code == 200
        reused = (await client.get("/sns/jscode2session", params={"js_code": code})).json()
        assert reused["errcode"] == 40163
        assert (await client.get("/sns/jscode2session", params={"js_code": "made-up"})).json()["errcode"] == 40029
        # a pre-pull with a used code is an invalid identity
        assert (await client.get("/prefetch", params=params(token=None, code=code))).status_code == 401


async def test_p4_a_post_to_code2session_issues_a_code_the_mock_redeems_once():
    """Another process (`check --code-exchange`) gets login codes over HTTP, as WeChat would issue them."""
    mock = MockServer()
    async with asgi_client(mock) as client:
        issued = (await client.post("/sns/jscode2session", params={"user": "alice"})).json()
        assert issued["user"] == "alice" and len(issued["code"]) == 32
        assert (await client.get("/prefetch", params=params(token=None, code=issued["code"]))).status_code == 200
        assert (await client.get("/prefetch", params=params(token=None, code=issued["code"]))).status_code == 401
        anonymous = (await client.post("/sns/jscode2session")).json()
        assert anonymous["user"] == "check"
        exchanged = (await client.get("/sns/jscode2session", params={"js_code": anonymous["code"]})).json()
        assert exchanged["openid"] and exchanged["session_key"]


async def test_unknown_path_is_a_404_that_lists_the_endpoints():
    async with asgi_client(MockServer()) as client:
        r = await client.get("/nope")
    assert r.status_code == 404 and "/prefetch" in r.json()["endpoints"]


def test_templates_are_safe_and_exact():
    assert render("{{__import__}}{{open}}{{appid}}", {"appid": "wx"}) == "wx"
    assert render("{{ path | json }}", {"path": 'a"b'}) == '"a\\"b"'
    assert render("{{query.id}}", {"query.id": "7"}) == "7"
    for n in (0, 1, 2, 9, 10, 262_144, 262_145):
        doc = json_of_size(n)
        assert len(doc.encode()) == n
        if n:
            json.loads(doc)
    assert len(render("{{json_bytes:262144}}", {}).encode()) == 262_144
    with pytest.raises(InvalidInput):
        json_of_size(10**12)


def test_rules_file_round_trip_and_errors():
    rules = RuleSet(rules=[Rule(name="r", scene=1047, headers=[("X-A", "1")], fault="truncate")])
    again = RuleSet.loads(json.dumps(rules.to_json()))
    assert again.to_json() == rules.to_json()
    with pytest.raises(InvalidInput, match="not valid JSON"):
        RuleSet.loads("{nope")
    with pytest.raises(InvalidInput, match="is not a rule field"):
        RuleSet.loads('{"rules": [{"nmae": "x"}]}')
    with pytest.raises(InvalidInput, match="fault must be one of"):
        RuleSet.loads('{"rules": [{"fault": "explode"}]}')


# -- over real sockets ----------------------------------------------------------------


@pytest.fixture
async def live_mock():
    mock = MockServer()
    await mock.start()
    yield mock
    await mock.stop()


def pre(mock: MockServer, endpoint="main", **kw) -> PrefetchRequest:
    kw.setdefault("identity", Identity(token="token-alice"))
    return PrefetchRequest(url=mock.url(endpoint), appid=APPID, **kw)


async def prefetch(req: PrefetchRequest, timeout_s: float = 5.0):
    async with PrefetchClient(ProtocolSettings(timeout_s=timeout_s)) as client:
        return await client.prefetch(req)


@pytest.mark.parametrize("size, cached", [(262_144, True), (262_145, False)])
async def test_p12_json_bytes_generator_hits_the_limit_exactly(live_mock, size, cached):
    live_mock.rules.default.body = "{{json_bytes:" + str(size) + "}}"
    outcome = await prefetch(pre(live_mock))
    assert outcome.body_size == size and outcome.verdict.cached is cached


async def test_delay_is_measured_by_the_client(live_mock):
    live_mock.rules.default.delay_ms = 300
    outcome = await prefetch(pre(live_mock))
    assert outcome.verdict.cached and outcome.timings.first_byte_ms >= 290


async def test_fault_drop_closes_without_a_response(live_mock):
    live_mock.rules.default.fault = "drop"
    outcome = await prefetch(pre(live_mock))
    assert outcome.status is None and not outcome.verdict.cached
    assert outcome.verdict.reasons[0].code in ("incomplete", "reset")


async def test_fault_truncate_sends_half_the_promised_body(live_mock):
    live_mock.rules.default.body = "{{json_bytes:1000}}"
    live_mock.rules.default.fault = "truncate"
    log = []
    live_mock.listeners.append(log.append)
    outcome = await prefetch(pre(live_mock))
    assert outcome.status == 200 and not outcome.verdict.cached
    assert [r.code for r in outcome.verdict.reasons] == ["incomplete"]
    assert log[0].fault == "truncate"


async def test_fault_stall_runs_into_the_client_timeout(live_mock):
    live_mock.rules.default.fault = "stall"
    outcome = await prefetch(pre(live_mock), timeout_s=0.5)
    assert outcome.status == 200  # headers came, the body never did
    assert [r.code for r in outcome.verdict.reasons] == ["timeout"]


async def test_periodic_and_gray_endpoints(live_mock):
    log = []
    live_mock.listeners.append(log.append)
    await prefetch(pre(live_mock, "gray", launch=Launch(path="p")))
    await prefetch(pre(live_mock, "periodic", fetch_type=FetchType.PERIODIC))
    assert [r.endpoint for r in log] == ["gray", "periodic"]
    assert set(log[1].param) == {"appid", "token", "timestamp"}
    assert "token=••••••lice" in dump_log(log[0]) and "token-alice" not in dump_log(log[0])


async def test_port_in_use_gives_a_clear_message():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ServerStartError, match=f"Port {port} on 127.0.0.1 is already in use"):
            await MockServer(port=port).start()
