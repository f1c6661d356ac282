"""Issue 11 item 5: mock rules are validated strictly, in files, in code and in the GUI editor.

Each refused rule is one sentence that names the rule (its position and name) and the field, and
is a RuleError (exit status 2 on the command line). Bodies are capped as a whole.
"""

from __future__ import annotations

import json
import tomllib

import pytest
import tomli_w

from workbench.core.errors import RuleError
from workbench.mockserver.rules import (
    MAX_BODY_BYTES,
    BodyTooLarge,
    Rule,
    RuleSet,
    check_rule,
    render,
    render_bytes,
)

BIG = "{{json_bytes:67108864}}"  # 64 MB: allowed once, not four times


@pytest.mark.parametrize("rule, field", [
    ({"status": "abc"}, "status"),
    ({"status": "404"}, "status"),
    ({"status": 101}, "status"),
    ({"status": 100}, "status"),
    ({"status": 200.7}, "status"),
    ({"status": 200.0}, "status"),
    ({"status": True}, "status"),
    ({"status": 600}, "status"),
    ({"body": 42}, "body"),
    ({"headers": [["X-A", "a\r\nX-Injected: 1"]]}, "header 1 value"),
    ({"headers": [["X-A", "a\nb"]]}, "header 1 value"),
    ({"headers": [["X-A\r\n", "a"]]}, "header 1 name"),
    ({"headers": [["X A", "a"]]}, "header 1 name"),
    ({"headers": [["X-A", "中文"]]}, "header 1 value"),
    ({"headers": [["X-A", " padded "]]}, "header 1 value"),
    ({"headers": [["Content-Length", "5"]]}, "header 1 (Content-Length)"),
    ({"headers": [["Transfer-Encoding", "chunked"]]}, "header 1 (Transfer-Encoding)"),
    ({"headers": {"X-A": "1"}}, "headers"),
    ({"headers": [["X-A", "1", "2"]]}, "headers"),
    ({"enabled": "false"}, "enabled"),
    ({"enabled": 0}, "enabled"),
    ({"query_keys": "abc"}, "query_keys"),
    ({"query_keys": [1, 2]}, "query_keys"),
    ({"scene": "1047"}, "scene"),
    ({"scene": -1}, "scene"),
    ({"delay_ms": 10**15}, "delay_ms"),
    ({"delay_ms": 1e15}, "delay_ms"),
    ({"delay_ms": 600_001}, "delay_ms"),
    ({"delay_ms": -1}, "delay_ms"),
    ({"fault": "explode"}, "fault"),
    ({"endpoint": "main "}, "endpoint"),
    ({"token": "VALID"}, "token"),
    ({"name": ""}, "name"),
    ({"name": "two\nlines"}, "name"),
    ({"nmae": "x"}, '"nmae" is not a rule field'),
    ({"body": BIG * 4}, "body can render to 268,435,456 bytes"),
    ({"body": BIG + "{{appid}}"}, "body can render to"),
    ({"body": "{{json_bytes:" + "9" * 5000 + "}}"}, "body can render to"),
    ({"status": 204}, "a 204 response has no body"),
    ({"status": 304, "body": "x"}, "a 304 response has no body"),
])
def test_a_bad_field_is_refused_at_load_with_one_sentence_naming_rule_and_field(rule, field):
    rules = {"rules": [{"name": "ok"}, {"name": "picky", **rule}]}
    with pytest.raises(RuleError) as caught:
        RuleSet.from_json(rules)
    message = str(caught.value)
    label = "Rule 2: " if field == "name" else 'Rule 2 ("picky"): '  # a bad name is not repeated
    assert message.startswith(label) and field in message, message
    assert "\n" not in message and message.endswith(".") and message.count(". ") == 0, message


@pytest.mark.parametrize("data, expected", [
    ({"rules": [42]}, "Rule 1: a rule must be an object of named fields, not 42."),
    ({"rules": ["x"]}, 'Rule 1: a rule must be an object of named fields, not "x".'),
    ({"rules": "abc"}, 'A rules file holds {"rules": [ {...}, ... ], "default": {...}}: rules is "abc".'),
    (42, 'A rules file holds {"rules": [ {...}, ... ], "default": {...}}: the top level is 42.'),
    ({"rulez": []}, "A rules file has the keys rules, default (and config in a workspace's mock.json), "
                    'not "rulez".'),
    ({"default": {"status": "abc"}},
     'The default rule: the status must be a whole number from 200 to 599 (a final HTTP status), not "abc".'),
    ({"default": {"path": "pages/*"}},
     'The default rule answers every request no other rule matches: remove its path ("pages/*").'),
])
def test_a_malformed_rules_file_is_one_sentence(data, expected):
    with pytest.raises(RuleError) as caught:
        RuleSet.from_json(data)
    assert str(caught.value) == expected


def test_rules_text_that_is_not_json_or_nested_too_deeply_is_a_rule_error():
    with pytest.raises(RuleError, match="not valid JSON"):
        RuleSet.loads("{nope")
    with pytest.raises(RuleError, match="nested too deeply"):
        RuleSet.loads("[" * 100_000)


def test_assignments_in_code_are_validated_too_and_leave_the_rule_as_it_was():
    rule = Rule(name="r")
    for field, value in [("status", "404"), ("status", 101), ("enabled", "false"), ("query_keys", "abc"),
                         ("delay_ms", 10**15), ("body", 42), ("headers", [("X-A", "a\r\nb")])]:
        before = rule.to_json()
        with pytest.raises(RuleError):
            setattr(rule, field, value)
        assert rule.to_json() == before
    # a whole-rule check (204 has no body) undoes the assignment as well
    with pytest.raises(RuleError, match="A 204 response has no body"):
        rule.status = 204
    assert rule.status == 200
    with pytest.raises(RuleError, match="query_keys"):
        Rule(query_keys="abc")


def test_to_json_is_toml_and_from_json_takes_exactly_it_back():
    rules = RuleSet(rules=[
        Rule(name="r", scene=1047, headers=[("X-A", "1"), ("Set-Cookie", "a=1; Path=/")], fault="truncate"),
        Rule(name="none scene", endpoint="gray", path="pages/*", query_keys=["id"], token="missing", user="bob",
             status=204, body="", delay_ms=600_000, fault="stall"),
    ])
    data = rules.to_json()

    def no_none(value):
        if isinstance(value, dict):
            return all(no_none(v) for v in value.values())
        if isinstance(value, list):
            return all(no_none(v) for v in value)
        return value is not None and isinstance(value, str | int | bool)

    assert no_none(data)
    text = tomli_w.dumps({"mock": data})
    back = tomllib.loads(text)["mock"]
    assert back == data
    again = RuleSet.from_json(back)
    assert again == rules and again.to_json() == data
    assert RuleSet.loads(json.dumps(data)) == rules
    # older files wrote an unset scene as null: still read
    legacy = {"rules": [{**data["rules"][0], "scene": None}]}
    assert RuleSet.from_json(legacy).rules[0].scene is None


def test_the_body_is_capped_as_a_whole_at_render_time():
    # four placeholders of 64 MB each were four times the cap (issue 11 item 5)
    with pytest.raises(BodyTooLarge):
        render_bytes(BIG * 4, {})
    with pytest.raises(BodyTooLarge):
        render("{{json_bytes:600}}" * 2, {}, limit=1000)
    with pytest.raises(BodyTooLarge):
        render("{{query}}" * 20, {"query": "x" * 100}, limit=1000)
    assert len(render("{{json_bytes:500}}" * 2, {}, limit=1000).encode()) == 1000
    assert len(render_bytes(BIG, {})) == MAX_BODY_BYTES


def test_check_rule_gives_the_rule_or_the_sentence():
    rule, error = check_rule({"name": "x", "status": 404, "body": "gone"})
    assert rule is not None and error == "" and rule.status == 404
    rule, error = check_rule({"name": "x", "status": "404"})
    assert rule is None and error == ('The status must be a whole number from 200 to 599 (a final HTTP status), '
                                      'not "404".')


# -- the GUI editor -----------------------------------------------------------------------------


@pytest.fixture
def editor(qtbot):
    from workbench.ui.rules_editor import RulesEditor

    rules = RuleSet(rules=[Rule(name="first", body="hello")])
    widget = RulesEditor(rules)
    qtbot.addWidget(widget)
    widget.select(0)
    return widget


def test_editor_shows_the_error_inline_and_does_not_apply_an_invalid_rule(editor):
    rule = editor.model.rules.rules[0]
    form = editor.form
    form.status.setValue(204)  # the body is not empty: HTTP sends no body with a 204
    assert form.error.text().startswith("A 204 response has no body")
    assert rule.status == 200
    form.body.setPlainText("")
    assert form.error.text() == "" and (rule.status, rule.body) == (204, "")

    form.headers.setPlainText("X Bad: 1")
    assert "Header 1 name" in form.error.text() and rule.headers == [("Content-Type", "application/json")]
    form.headers.setPlainText("X-Good: 1")
    assert form.error.text() == "" and rule.headers == [("X-Good", "1")]

    form.status.setValue(200)
    form.body.setPlainText(BIG * 2)
    assert "The body can render to 134,217,728 bytes" in form.error.text() and rule.body == ""
    form.body.setPlainText("ok")
    assert form.error.text() == "" and rule.body == "ok"

    form.name.setText("x" * 201)
    form.name.textEdited.emit(form.name.text())
    assert "The name must be" in form.error.text() and rule.name == "first"


def test_editor_status_and_delay_ranges_are_the_schema_ranges(editor):
    from workbench.mockserver.rules import MAX_DELAY_MS

    assert (editor.form.status.minimum(), editor.form.status.maximum()) == (200, 599)
    assert editor.form.delay.maximum() == MAX_DELAY_MS
