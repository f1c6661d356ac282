"""Response rules of the mock server: what to match, what to answer, and safe body templates.

Rules are checked in order; the first that matches answers. The default rule is always last and
matches everything. Templates only substitute named placeholders: they cannot run code or read
files.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from workbench.core.errors import InvalidInput


class Endpoint(StrEnum):
    MAIN = "main"
    GRAY = "gray"
    PERIODIC = "periodic"


class TokenState(StrEnum):
    """How the request identified its user (P4): the token or code checked as a real server would."""

    VALID = "valid"
    INVALID = "invalid"
    MISSING = "missing"


class Fault(StrEnum):
    NONE = "none"
    #: close the connection without any response
    DROP = "drop"
    #: send the headers, then hold the connection without sending the body
    STALL = "stall"
    #: promise the whole body (Content-Length), send half of it, then close
    TRUNCATE = "truncate"


DEFAULT_BODY = ('{"appid": {{appid|json}}, "path": {{path|json}}, "query": {{query|json}}, '
                '"scene": {{scene|json}}, "openid": {{openid|json}}, "timestamp": {{timestamp|json}}}')

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*(?::\s*(\d+))?\s*(?:\|\s*(json))?\s*\}\}")
#: The largest body the "N bytes of JSON" generator makes (keeps a typo from eating memory).
MAX_GENERATED_BYTES = 64 * 1024 * 1024


def json_of_size(n: int) -> str:
    """A valid JSON document of exactly ``n`` bytes (to hit the 262,144-byte edge precisely)."""
    if n < 0 or n > MAX_GENERATED_BYTES:
        raise InvalidInput(f"The generated body size must be between 0 and {MAX_GENERATED_BYTES:,} bytes.")
    if n == 0:
        return ""
    if n == 1:
        return "0"
    if n < 10:
        return '"' + "x" * (n - 2) + '"'
    return '{"pad":"' + "x" * (n - 10) + '"}'


def render(template: str, values: dict[str, str]) -> str:
    """Fill ``{{name}}``, ``{{name|json}}`` (as a JSON string) and ``{{json_bytes:N}}``.

    Unknown names render empty; nothing else in the template is interpreted.
    """

    def sub(m: re.Match[str]) -> str:
        name, number, as_json = m.group(1), m.group(2), m.group(3)
        if name == "json_bytes":
            return json_of_size(int(number or 0))
        value = values.get(name, "")
        return json.dumps(value, ensure_ascii=False) if as_json else value

    return _PLACEHOLDER.sub(sub, template)


PLACEHOLDERS = ("appid", "path", "query", "query.KEY", "scene", "scene_meaning", "version", "openid", "user",
                "timestamp", "now", "json_bytes:N")


@dataclass(slots=True)
class Rule:
    """One response rule. Empty match fields match anything."""

    name: str = "rule"
    enabled: bool = True
    # -- match --
    endpoint: str = ""          # "", main, gray, periodic
    path: str = ""              # launch page path; * and ? wildcards
    query_keys: list[str] = field(default_factory=list)  # each must be in the launch query
    scene: int | None = None
    token: str = ""             # "", valid, invalid, missing
    user: str = ""
    # -- respond --
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "application/json")])
    body: str = DEFAULT_BODY
    delay_ms: int = 0
    fault: str = Fault.NONE.value

    def validate(self) -> Rule:
        if not 100 <= int(self.status) <= 599:
            raise InvalidInput(f"Rule {self.name!r}: the status must be between 100 and 599, not {self.status}.")
        if self.delay_ms < 0:
            raise InvalidInput(f"Rule {self.name!r}: the delay cannot be negative.")
        for value, enum, what in ((self.endpoint, Endpoint, "endpoint"), (self.token, TokenState, "token"),
                                  (self.fault, Fault, "fault")):
            if value and value not in {e.value for e in enum}:
                choices = ", ".join(e.value for e in enum)
                raise InvalidInput(f"Rule {self.name!r}: the {what} must be one of {choices}, not {value!r}.")
        return self

    def matches(self, req: MatchInput) -> bool:
        if not self.enabled:
            return False
        if self.endpoint and self.endpoint != req.endpoint:
            return False
        if self.path and not fnmatch.fnmatchcase(req.path, self.path):
            return False
        if any(k not in req.query_fields for k in self.query_keys):
            return False
        if self.scene is not None and self.scene != req.scene:
            return False
        if self.token and self.token != req.token_state:
            return False
        return not (self.user and self.user != req.user)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["headers"] = [list(h) for h in self.headers]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Rule:
        known = set(cls.__dataclass_fields__)
        unknown = set(d) - known
        if unknown:
            raise InvalidInput(f"Unknown rule field(s) {', '.join(sorted(unknown))}: "
                               f"a rule has {', '.join(sorted(known))}.")
        d = dict(d)
        if "headers" in d:
            d["headers"] = [(str(k), str(v)) for k, v in d["headers"]]
        try:
            return cls(**d).validate()
        except TypeError as exc:
            raise InvalidInput(f"A rule is malformed: {exc}.") from None


@dataclass(frozen=True, slots=True)
class MatchInput:
    endpoint: str
    path: str
    query_fields: dict[str, str]
    scene: int | None
    token_state: str
    user: str


def default_rule() -> Rule:
    return Rule(name="default")


@dataclass(slots=True)
class RuleSet:
    """The ordered rules plus the default rule, which always exists and always comes last."""

    rules: list[Rule] = field(default_factory=list)
    default: Rule = field(default_factory=default_rule)

    def match(self, req: MatchInput) -> Rule:
        for rule in self.rules:
            if rule.matches(req):
                return rule
        return self.default

    def explicitly_matches_token_state(self, req: MatchInput) -> Rule | None:
        """The first rule that names this request's token state (used when token checking is on)."""
        for rule in self.rules:
            if rule.token and rule.matches(req):
                return rule
        return None

    def to_json(self) -> dict[str, Any]:
        return {"rules": [r.to_json() for r in self.rules], "default": self.default.to_json()}

    @classmethod
    def from_json(cls, d: Any) -> RuleSet:
        if isinstance(d, list):
            d = {"rules": d}
        if not isinstance(d, dict) or not isinstance(d.get("rules", []), list):
            raise InvalidInput('A rules file holds {"rules": [ {...}, ... ], "default": {...}}.')
        rules = [Rule.from_json(r) for r in d.get("rules", [])]
        default = Rule.from_json(d["default"]) if "default" in d else default_rule()
        return cls(rules=rules, default=replace(default, name="default", enabled=True, endpoint="", path="",
                                                query_keys=[], scene=None, token="", user=""))

    @classmethod
    def loads(cls, text: str, source: str = "the rules file") -> RuleSet:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}).") from None
        return cls.from_json(data)
