"""Issue 11 item 8: fuzzing the mock server's rules loader, rule matcher and template renderer.

No input may raise anything but RuleError (a one-line sentence). Whatever loads round-trips
through to_json and TOML unchanged and renders within the body cap; and a validated rule is
answered exactly as configured by the live server.

The default ("ci") profile runs each property a few hundred times; the ``fuzz``-marked copies run
10,000+ examples each:  HYPOTHESIS_PROFILE=fuzz python -m pytest -m fuzz tests/reliability
"""

from __future__ import annotations

import asyncio
import glob
import json
import threading
import tomllib
from collections.abc import Iterator
from urllib.parse import parse_qsl

import httpx
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.servers import APPID
from workbench.core.errors import RuleError
from workbench.core.protocol import scene_meaning
from workbench.mockserver.rules import (
    FRAMING_HEADERS,
    MAX_BODY_BYTES,
    RULE_FIELDS,
    BodyTooLarge,
    MatchInput,
    Rule,
    RuleSet,
    check_rule,
    render_bytes,
    worst_case_body_bytes,
)
from workbench.mockserver.server import MockServer

#: The long run's settings, whatever profile is loaded (these tests are marked ``fuzz``).
FUZZ = settings(settings.get_profile("fuzz"))

# -- strategies ----------------------------------------------------------------------------------

one_line = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
LATIN1_VISIBLE = "".join(chr(c) for c in [*range(0x21, 0x7F), *range(0x80, 0x100)])
header_names = st.text(TCHARS, min_size=1, max_size=12).filter(lambda n: n.lower() not in FRAMING_HEADERS)
header_values = st.lists(st.text(LATIN1_VISIBLE, min_size=1, max_size=8), max_size=3).map(" ".join)
NAMES = ["appid", "path", "query", "query.id", "scene", "user", "openid", "timestamp", "unknown_name"]
placeholders = st.one_of(
    st.sampled_from(NAMES).map(lambda n: "{{" + n + "}}"),
    st.sampled_from(NAMES).map(lambda n: "{{ " + n + " | json }}"),
    st.integers(0, 3000).map(lambda n: "{{json_bytes:" + str(n) + "}}"),
)
templates = st.lists(st.one_of(st.text(max_size=12), placeholders), max_size=6).map("".join)
patterns = st.text(st.sampled_from("ab/-*?[]!中"), max_size=12)


@st.composite
def valid_rules(draw, *, matching_all: bool = False, faults: bool = True) -> Rule:
    status = draw(st.integers(200, 599))
    fields = {
        "name": draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20)),
        "status": status,
        "headers": draw(st.lists(st.tuples(header_names, header_values), max_size=4)),
        "body": "" if status in (204, 304) else draw(templates),
        "fault": draw(st.sampled_from(["none", "drop", "stall", "truncate"])) if faults else "none",
    }
    if not matching_all:
        # each match field is often left empty (matches anything), so that rules do match requests
        fields |= {
            "enabled": draw(st.booleans()),
            "endpoint": draw(st.sampled_from(["", "", "main", "gray", "periodic"])),
            "path": draw(st.just("") | st.just("*") | patterns),
            "query_keys": draw(st.just([]) | st.lists(st.text("abc", min_size=1, max_size=2), max_size=3)),
            "scene": draw(st.none() | st.integers(1000, 1002) | st.integers(0, 2**31 - 1)),
            "token": draw(st.sampled_from(["", "", "valid", "invalid", "missing"])),
            "user": draw(st.just("") | st.just("alice") | one_line),
        }
    return Rule(**fields)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
edge_values = st.sampled_from([None, True, False, 0, -1, 100, 101, 199, 200, 204, 304, 599, 600, 600_000, 600_001,
                               10**15, 1e15, 200.0, 200.7, float("nan"), float("inf"), "", "200", "false", "abc",
                               "a\r\nb", "\ud800", [], {}, [["X-A", "1"]], [["X-A"]], ["abc"], "{{json_bytes:99}}",
                               "{{json_bytes:67108864}}" * 2, "{{json_bytes:" + "9" * 40 + "}}"])


@st.composite
def rule_like(draw) -> object:
    """Mostly a valid rule with a field or two broken; sometimes anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    data = draw(valid_rules()).to_json()
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*RULE_FIELDS, "extra"]))
        if key == "extra":
            key = draw(st.text(max_size=8))
        data[key] = draw(edge_values | json_values)
    if draw(st.booleans()) and data:
        del data[draw(st.sampled_from(sorted(data)))]
    return data


rules_files = st.one_of(
    json_values,
    st.lists(rule_like(), max_size=3),
    st.fixed_dictionaries({"rules": st.lists(rule_like(), max_size=3)},
                          optional={"default": rule_like(), "config": json_values, "other": json_values}),
)

match_inputs = st.builds(
    MatchInput,
    endpoint=st.sampled_from(["main", "gray", "periodic"]),
    path=st.text(max_size=20),
    query_fields=st.dictionaries(st.text("abc", max_size=2) | st.text(max_size=4), st.text(max_size=4), max_size=4),
    scene=st.none() | st.integers(1000, 1002) | st.integers(0, 2**31 - 1),
    token_state=st.sampled_from(["valid", "invalid", "missing"]),
    user=st.just("alice") | st.text(max_size=10),
)

# -- the rules loader ----------------------------------------------------------------------------


def check_loader(data: object) -> None:
    try:
        rules = RuleSet.from_json(data)
    except RuleError as exc:
        message = str(exc)
        assert message.endswith(".") and "\n" not in message and "\r" not in message, message
        message.encode("utf-8")  # printable on any UTF-8 terminal, even for a surrogate in the input
        return
    exported = rules.to_json()
    through_toml = tomllib.loads(tomli_w.dumps({"mock": exported}))["mock"]
    assert through_toml == exported
    again = RuleSet.from_json(through_toml)
    assert again == rules and again.to_json() == exported
    for rule in [*rules.rules, rules.default]:
        assert worst_case_body_bytes(rule.body) <= MAX_BODY_BYTES


@given(rules_files)
def test_the_loader_raises_only_rule_errors_and_round_trips_what_it_takes(data):
    check_loader(data)


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
@FUZZ
@given(rules_files)
def test_the_loader_fuzz(data):
    check_loader(data)


@given(st.text(max_size=200) | json_values.map(json.dumps) | rules_files.map(lambda d: json.dumps(d)[:-1]))
def test_loading_any_text_raises_only_rule_errors(text):
    try:
        RuleSet.loads(text)
    except RuleError as exc:
        assert "\n" not in str(exc)


# -- the rule matcher ----------------------------------------------------------------------------


def check_matcher(rule: Rule, req: MatchInput) -> None:
    result = rule.matches(req)
    assert result in (True, False)
    if not rule.enabled:
        assert result is False
    rules = RuleSet(rules=[rule])
    assert rules.match(req) is (rule if result else rules.default)
    # a rule made of the request's own values matches it (when such a rule validates)
    own, _ = check_rule({"endpoint": req.endpoint, "path": glob.escape(req.path),
                         "query_keys": sorted(req.query_fields), "token": req.token_state, "user": req.user,
                         **({"scene": req.scene} if req.scene is not None else {})})
    if own is not None:
        assert own.matches(req)
    assert Rule(name="any").matches(req)


@given(valid_rules(), match_inputs)
def test_the_matcher_answers_true_or_false_for_any_request(rule, req):
    check_matcher(rule, req)


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
@FUZZ
@given(valid_rules(), match_inputs)
def test_the_matcher_fuzz(rule, req):
    check_matcher(rule, req)


# -- the template renderer -----------------------------------------------------------------------

render_values = st.dictionaries(st.sampled_from(NAMES), st.text(max_size=40), max_size=len(NAMES))


def check_renderer(template: str, values: dict[str, str], limit: int) -> None:
    try:
        out = render_bytes(template, values, limit)
    except BodyTooLarge:
        return
    assert len(out) <= limit
    assert len(out) <= worst_case_body_bytes(template)
    out.decode("utf-8")


any_templates = (templates | st.text(max_size=60) | st.text(st.sampled_from("{}|:json_bytes 09"), max_size=40)
                 # lone surrogates: no validated rule holds one, but render() is public
                 | st.text(st.characters(categories=["Cs"]) | st.sampled_from("{}a"), max_size=10))


@given(any_templates, render_values, st.integers(0, 4000))
def test_the_renderer_stays_within_the_cap_and_only_raises_body_too_large(template, values, limit):
    check_renderer(template, values, limit)


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
@FUZZ
@given(any_templates, render_values, st.integers(0, 4000))
def test_the_renderer_fuzz(template, values, limit):
    check_renderer(template, values, limit)


@given(st.sampled_from(NAMES), st.text(max_size=40))
def test_json_placeholders_are_valid_json_strings_of_the_value(name, value):
    out = render_bytes("{{" + name + "|json}}", {name: value})
    assert json.loads(out) == value


# -- a validated rule, answered by the live server -------------------------------------------------


@pytest.fixture(scope="module")
def live_mock() -> Iterator[MockServer]:
    """A mock server on its own loop in a thread, so hypothesis can drive it with a plain client."""
    ready = threading.Event()
    box: dict[str, object] = {}

    async def serve() -> None:
        mock = MockServer()
        await mock.start()
        box["mock"], box["loop"], box["stop"] = mock, asyncio.get_running_loop(), asyncio.Event()
        ready.set()
        await box["stop"].wait()  # type: ignore[attr-defined]
        await mock.stop()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(30)
    yield box["mock"]  # type: ignore[misc]
    box["loop"].call_soon_threadsafe(box["stop"].set)  # type: ignore[attr-defined]
    thread.join(30)


requests = st.fixed_dictionaries({
    "path": st.text(max_size=20),
    "query": st.dictionaries(st.text("abcid", min_size=1, max_size=3), st.text(max_size=8), max_size=3).map(
        lambda d: "&".join(f"{k}={v}" for k, v in d.items())),
    "scene": st.integers(1000, 1200).map(str) | st.just(""),
})


def check_live(mock: MockServer, client: httpx.Client, rule: Rule, request: dict[str, str]) -> None:
    mock.rules = RuleSet(default=rule)
    params = {"appid": APPID, "token": "token-alice", "timestamp": "1700000000000", **request}
    r = client.get(mock.url("main"), params=params)
    alice = mock.config.user_by_name("alice")
    values = {"appid": APPID, "path": request["path"], "query": request["query"], "scene": request["scene"],
              "user": "alice", "openid": alice.openid, "timestamp": "1700000000000",
              "scene_meaning": scene_meaning(int(request["scene"])) if request["scene"] else ""}
    values |= {f"query.{k}": v for k, v in parse_qsl(request["query"], keep_blank_values=True)}
    assert r.status_code == rule.status
    assert r.content == render_bytes(rule.body, values)
    for name, value in rule.headers:
        assert (name.lower().encode(), value.encode("latin-1")) in r.headers.raw


@settings(max_examples=60)
@given(rule=valid_rules(matching_all=True, faults=False), request=requests)
def test_a_validated_rule_is_answered_exactly_by_the_live_server(live_mock, rule, request):
    with httpx.Client(timeout=10) as client:
        check_live(live_mock, client, rule, request)


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
@FUZZ
@given(rule=valid_rules(matching_all=True, faults=False), request=requests)
def test_a_validated_rule_is_answered_exactly_fuzz(live_mock, rule, request):
    with httpx.Client(timeout=10) as client:
        check_live(live_mock, client, rule, request)
