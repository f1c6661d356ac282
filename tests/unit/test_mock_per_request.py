"""What the mock server pays per request (issue 13, mock): a rule's body template is parsed once
per template text, a launch query once per query, and the answers are byte for byte the same."""

from __future__ import annotations

import json
import re

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.servers import APPID
from workbench.mockserver import rules
from workbench.mockserver.rules import render_bytes
from workbench.mockserver.server import MockServer


def _reference(template: str, values: dict[str, str]) -> bytes:
    """The rendering as first written: a regex pass per request, json.dumps per JSON value."""
    out, pos = [], 0
    for m in rules._PLACEHOLDER.finditer(template):
        out.append(template[pos:m.start()].encode("utf-8", "replace"))
        name, number, as_json = m.group(1), m.group(2), m.group(3)
        if name == "json_bytes":
            out.append(rules.json_of_size(rules._generated_size(number)).encode("ascii"))
        else:
            value = values.get(name, "")
            out.append((json.dumps(value, ensure_ascii=False) if as_json else value).encode("utf-8", "replace"))
        pos = m.end()
    out.append(template[pos:].encode("utf-8", "replace"))
    return b"".join(out)


_text = st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from('"\\\n\t\x00\u2028é中'), max_size=20)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(_text, st.sampled_from(["{{user}}", "{{ path |json}}", "{{query.id|json}}",
                                                            "{{json_bytes:12}}", "{{nope}}", "{{scene}}"])),
                      max_size=8),
       values=st.dictionaries(st.sampled_from(["user", "path", "query.id", "scene"]), _text))
def test_rendering_is_what_it_always_was(parts, values):
    template = "".join(parts)
    assert render_bytes(template, values) == _reference(template, values)


def test_a_template_is_parsed_once_however_many_requests_it_answers(monkeypatch):
    class Counting:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern, self.calls = pattern, 0

        def finditer(self, text: str):
            self.calls += 1
            return self.pattern.finditer(text)

    counting = Counting(rules._PLACEHOLDER)
    monkeypatch.setattr(rules, "_PLACEHOLDER", counting)
    template = '{"user": {{user|json}}, "id": {{query.id|json}}, "once": "per template"}'
    for i in range(20):
        assert json.loads(render_bytes(template, {"user": f"u{i}", "query.id": "7"})) == {
            "user": f"u{i}", "id": "7", "once": "per template"}
    assert counting.calls == 1


async def test_rules_and_templates_read_the_launch_query_as_before():
    mock = MockServer()
    mock.rules.rules.append(rules.Rule(name="by query", query_keys=["from"],
                                       body="id={{query.id}} from={{query.from}}"))
    transport = httpx.ASGITransport(app=mock.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        for query, body in (("id=42&from=qr", "id=42 from=qr"), ("id=7", None), ("id=7&from=a%26b", "id=7 from=a&b")):
            answer = await client.get("/prefetch", params={"appid": APPID, "token": "token-alice",
                                                           "timestamp": "1", "query": query})
            assert answer.status_code == 200
            assert answer.text == body if body else answer.json()["query"] == query


async def _answers(mock: MockServer, n: int, **params: str) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=mock.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        query = {"appid": APPID, "token": "token-alice", "timestamp": "1700000000000", **params}
        return [await client.get("/prefetch", params=query) for _ in range(n)]


async def test_every_placeholder_is_filled_from_the_request():
    mock = MockServer()
    names = [name for name in rules.PLACEHOLDERS if name not in ("query.KEY", "json_bytes:N")]
    mock.rules.default.body = json.dumps({name: f"{{{{{name}}}}}" for name in names} | {"id": "{{query.id}}"})
    (answer,) = await _answers(mock, 1, path="pages/a", query="id=42", scene="1047", customMiniprogramVersion="v9")
    got = answer.json()
    alice = mock.config.user_by_name("alice")
    assert alice is not None
    assert got == {"appid": APPID, "path": "pages/a", "query": "id=42", "scene": "1047",
                   "scene_meaning": got["scene_meaning"], "version": "v9", "openid": alice.openid, "user": "alice",
                   "timestamp": "1700000000000", "now": got["now"], "id": "42"}
    assert got["scene_meaning"] and int(got["now"]) > 1_700_000_000_000


async def test_a_request_computes_only_the_values_its_template_names(monkeypatch):
    from workbench.mockserver import server

    asked = []
    monkeypatch.setattr(server, "scene_meaning", lambda scene: asked.append(scene) or "")
    mock = MockServer()
    mock.rules.default.body = "{{user}}"
    await _answers(mock, 3, scene="1047")
    assert asked == []
    mock.rules.default.body = "{{scene_meaning}}"
    await _answers(mock, 3, scene="1047")
    assert asked == [1047] * 3


async def test_answering_a_request_runs_no_import_statement(monkeypatch):
    """In the app's process PySide6 hooks ``__import__``: an import statement in the request path
    cost about 2 µs per request there (two of them: ~3% of the mock's throughput)."""
    import builtins

    mock = MockServer()
    await _answers(mock, 1, scene="1047")  # the first answer may import what it needs
    imports = []
    real_import = builtins.__import__

    def counting(name, globals=None, *args, **kwargs):
        if (globals or {}).get("__name__", "").startswith("workbench."):
            imports.append(name)
        return real_import(name, globals, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", counting)
    for params in ({"scene": "1047"}, {"code": "nope"}, {}):
        await _answers(mock, 2, **params)
    assert imports == []
