"""Response rules of the mock server: what to match, what to answer, and safe body templates.

Rules are checked in order; the first that matches answers. The default rule is always last and
matches everything. Templates only substitute named placeholders: they cannot run code or read
files.

A rule is a pydantic model (the same schema library as the workspace file): one declared schema
with strict types, so a rules file, a workspace, the GUI editor and a plain assignment
(``rule.status = 404``) are all checked by the same code, and a bad value is refused with a
:class:`RuleError` naming the rule and the field. A rule that validates is one the server can
always send exactly as configured: the status is a final HTTP status, header names and values are
what HTTP/1.1 allows, and the body, rendered for any request the server accepts, fits
:data:`MAX_BODY_BYTES`.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    model_validator,
)

from workbench.core.errors import InvalidInput, RuleError


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

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*(?::\s*([0-9]+))?\s*(?:\|\s*(json))?\s*\}\}")

#: The largest body a rule may render, all placeholders and literal text together (a typo such
#: as four ``{{json_bytes:67108864}}`` must not cost 256 MB of memory per request).
MAX_BODY_BYTES = 64 * 1024 * 1024
#: The largest body the "N bytes of JSON" generator makes on its own.
MAX_GENERATED_BYTES = MAX_BODY_BYTES
#: The longest request target (path and query) the mock server answers; longer ones get 414.
#: It bounds every value a placeholder can take from the request, so a rule's largest body is
#: known when it is loaded.
MAX_TARGET_BYTES = 16 * 1024
#: The most one request-dependent placeholder can add to a body: a value taken from a target of
#: MAX_TARGET_BYTES (HTTP allows only ASCII there, so percent-decoding never grows a value), where
#: ``|json`` can double it (``%01`` is three bytes and becomes the six of ``\u0001``), plus two quotes.
PLACEHOLDER_WORST_BYTES = 2 * MAX_TARGET_BYTES + 2
#: How long a rule may hold a request before answering (10 minutes).
MAX_DELAY_MS = 600_000
MAX_NAME_CHARS = 200
MAX_PATTERN_CHARS = 1024
MAX_QUERY_KEYS = 50
MAX_HEADERS = 64
#: All of a rule's header lines together (HTTP clients such as h11 refuse response heads much larger).
MAX_HEADER_BYTES = 8192
MAX_SCENE = 2**31 - 1
#: Statuses whose response has no body in HTTP (RFC 9110 15.3.5, 15.4.5).
BODYLESS_STATUSES = frozenset({204, 304})
#: Headers the server sets itself: a rule's own would contradict the body it sends.
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})


class BodyTooLarge(RuleError):
    """A template renders to more than the body cap."""


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


def _generated_size(digits: str | None) -> int:
    """The N of ``{{json_bytes:N}}``; too many digits count as too large (no int() of 5,000 digits)."""
    if not digits:
        return 0
    return int(digits) if len(digits) <= 12 else 10**12


@functools.lru_cache(maxsize=256)
def _compiled(template: str) -> tuple[tuple[str, Any, bool], ...]:
    """The template as ("text", UTF-8 bytes), ("json_bytes", N) and ("value", name, as JSON)
    parts, parsed once per template text (a rule's body is rendered for every request)."""
    parts: list[tuple[str, Any, bool]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append(("text", template[pos:m.start()].encode("utf-8", "replace"), False))
        name, number, as_json = m.group(1), m.group(2), m.group(3)
        if name == "json_bytes":
            parts.append(("json_bytes", _generated_size(number), False))
        else:
            parts.append(("value", name, bool(as_json)))
        pos = m.end()
    if pos < len(template):
        parts.append(("text", template[pos:].encode("utf-8", "replace"), False))
    return tuple(parts)


@functools.lru_cache(maxsize=256)
def template_names(template: str) -> tuple[str, ...]:
    """The names of the values ``template`` fills in (``json_bytes`` is not one), each once."""
    return tuple(dict.fromkeys(item for kind, item, _ in _compiled(template) if kind == "value"))


def _pieces(template: str, values: Mapping[str, str]) -> Iterator[tuple[int, Any]]:
    """(size hint, producer) per literal run and placeholder, so the cap is checked before building."""
    for kind, item, as_json in _compiled(template):
        if kind == "text":
            yield len(item), item
        elif kind == "json_bytes":
            yield item, item
        else:
            value = values.get(item, "")
            if as_json:  # a JSON string: what json.dumps(value, ensure_ascii=False) gives, in C
                value = encode_basestring(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            data = value.encode("utf-8", "replace")
            yield len(data), data


def render_bytes(template: str, values: Mapping[str, str], limit: int = MAX_BODY_BYTES) -> bytes:
    """The body ``template`` renders to for ``values``, as UTF-8; :class:`BodyTooLarge` past ``limit``.

    The limit holds for the body as a whole: generated JSON, request values and literal text.
    """
    out: list[bytes] = []
    size = 0
    for n, piece in _pieces(template, values):
        size += n
        if size > limit:
            raise BodyTooLarge(f"The body would be larger than {limit:,} bytes: make it smaller.")
        out.append(json_of_size(piece).encode("ascii") if isinstance(piece, int) else piece)
    return b"".join(out)


def render(template: str, values: Mapping[str, str], limit: int = MAX_BODY_BYTES) -> str:
    """Fill ``{{name}}``, ``{{name|json}}`` (as a JSON string) and ``{{json_bytes:N}}``.

    Unknown names render empty; nothing else in the template is interpreted. Text that is not
    valid Unicode (a lone surrogate, which no validated rule holds) renders as "?".
    """
    return render_bytes(template, values, limit).decode("utf-8")


def worst_case_body_bytes(template: str) -> int:
    """The largest body ``template`` can render to for any request the mock server answers."""
    total = 0
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        total += len(template[pos:m.start()].encode("utf-8", "replace"))
        total += _generated_size(m.group(2)) if m.group(1) == "json_bytes" else PLACEHOLDER_WORST_BYTES
        pos = m.end()
    return total + len(template[pos:].encode("utf-8", "replace"))


PLACEHOLDERS = ("appid", "path", "query", "query.KEY", "scene", "scene_meaning", "version", "openid", "user",
                "timestamp", "now", "json_bytes:N")

# -- the schema ----------------------------------------------------------------------------

#: One line of text: no control characters (rule names and patterns end up in log lines).
_ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
#: RFC 9110 token: the characters of a header name.
_HEADER_NAME = r"^[-!#$%&'*+.^_`|~0-9A-Za-z]+$"
#: RFC 9110 field-value as h11 checks it: Latin-1 visible characters, inner spaces and tabs only.
_HEADER_VALUE = r"^(?:[\x21-\x7e\x80-\xff]+(?:[ \t]+[\x21-\x7e\x80-\xff]+)*)?$"

Name = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_NAME_CHARS, pattern=_ONE_LINE)]
Pattern = Annotated[str, StringConstraints(strict=True, max_length=MAX_PATTERN_CHARS, pattern=_ONE_LINE)]
Key = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_NAME_CHARS, pattern=_ONE_LINE)]
HeaderName = Annotated[str, StringConstraints(strict=True, max_length=MAX_NAME_CHARS, pattern=_HEADER_NAME)]
HeaderValue = Annotated[str, StringConstraints(strict=True, max_length=MAX_HEADER_BYTES, pattern=_HEADER_VALUE)]


def _headers_fit(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for number, (name, _) in enumerate(headers, 1):
        if name.lower() in FRAMING_HEADERS:
            raise ValueError(f"header {number} ({name}) is set by the server from the body: remove it "
                             "(the truncate fault sends a body shorter than its Content-Length)")
    size = sum(len(name) + len(value) + 4 for name, value in headers)
    if size > MAX_HEADER_BYTES:
        raise ValueError(f"the headers take {size:,} bytes, more than the {MAX_HEADER_BYTES:,} bytes HTTP clients "
                         "accept: shorten them")
    return headers


def _body_fits(body: str) -> str:
    worst = worst_case_body_bytes(body)
    if worst > MAX_BODY_BYTES:
        raise ValueError(f"the body can render to {worst:,} bytes, more than the {MAX_BODY_BYTES:,}-byte cap "
                         f"(each {{{{json_bytes:N}}}} counts N, each other placeholder up to "
                         f"{PLACEHOLDER_WORST_BYTES:,}): make it smaller")
    return body


Headers = Annotated[list[tuple[HeaderName, HeaderValue]], Strict(), Field(max_length=MAX_HEADERS),
                    AfterValidator(_headers_fit)]
Body = Annotated[str, Strict(), AfterValidator(_body_fits)]

#: What each field must be, said once for the error sentences (field order is the schema's).
_FIELD_HELP = {
    "name": f"the name must be one line of text of 1 to {MAX_NAME_CHARS} characters",
    "enabled": "the enabled field must be true or false",
    "endpoint": 'the endpoint must be one of "" (any), "main", "gray" or "periodic"',
    "path": f"the page path pattern must be one line of text of at most {MAX_PATTERN_CHARS:,} characters",
    "query_keys": (f"the query_keys field must be a list of at most {MAX_QUERY_KEYS} keys, each one line of "
                   f"text of 1 to {MAX_NAME_CHARS} characters"),
    "scene": f"the scene must be a whole number from 0 to {MAX_SCENE}, or left out for any",
    "token": 'the token must be one of "" (any valid), "valid", "invalid" or "missing"',
    "user": f"the user must be one line of text of at most {MAX_NAME_CHARS} characters",
    "status": "the status must be a whole number from 200 to 599 (a final HTTP status)",
    "headers": f"the headers must be a list of at most {MAX_HEADERS} [name, value] pairs of text",
    "body": "the body must be text",
    "delay_ms": f"the delay_ms field must be a whole number of milliseconds from 0 to {MAX_DELAY_MS:,} (10 minutes)",
    "fault": 'the fault must be one of "none", "drop", "stall" or "truncate"',
}


class Rule(BaseModel):
    """One response rule. Empty match fields match anything.

    Every construction and every assignment is validated; a bad value raises :class:`RuleError`
    and leaves the rule as it was.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, validate_default=False)

    name: Name = "rule"
    enabled: Annotated[bool, Strict()] = True
    # -- match --
    endpoint: Literal["", "main", "gray", "periodic"] = ""
    path: Pattern = ""          # launch page path; * and ? wildcards
    query_keys: Annotated[list[Key], Strict(), Field(max_length=MAX_QUERY_KEYS)] = Field(default_factory=list)
    scene: Annotated[int, Strict(), Field(ge=0, le=MAX_SCENE)] | None = None
    token: Literal["", "valid", "invalid", "missing"] = ""
    user: Annotated[str, StringConstraints(strict=True, max_length=MAX_NAME_CHARS, pattern=_ONE_LINE)] = ""
    # -- respond --
    status: Annotated[int, Strict(), Field(ge=200, le=599)] = 200
    headers: Headers = Field(default_factory=lambda: [("Content-Type", "application/json")])
    body: Body = DEFAULT_BODY
    delay_ms: Annotated[int, Strict(), Field(ge=0, le=MAX_DELAY_MS)] = 0
    fault: Literal["none", "drop", "stall", "truncate"] = "none"

    @model_validator(mode="after")
    def _bodyless_status(self) -> Rule:
        if self.status in BODYLESS_STATUSES and self.body:
            raise ValueError(f"a {self.status} response has no body in HTTP: clear the body or choose another "
                             "status")
        return self

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidRule(_problem(exc, data)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        before = self.__dict__.get(name, _ABSENT)
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:
            # a failed whole-rule check runs after the field was stored: put the old value back
            if before is not _ABSENT:
                self.__dict__[name] = before
            raise InvalidRule(_problem(exc, value)) from None

    def assign(self, other: Rule) -> None:
        """Take every field of ``other`` (already validated) at once, so the live rule that the
        server reads never passes through an in-between state that would not validate."""
        self.__dict__.update({name: getattr(other, name) for name in type(self).model_fields})

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
        """Plain JSON and TOML values only: no None (an unset scene is left out)."""
        d: dict[str, Any] = {name: getattr(self, name) for name in type(self).model_fields}
        d["query_keys"] = list(self.query_keys)
        d["headers"] = [[k, v] for k, v in self.headers]
        if self.scene is None:
            del d["scene"]
        return d

    @classmethod
    def from_json(cls, d: Any, where: str | None = None) -> Rule:
        """A rule from its JSON form (what :meth:`to_json` gives); RuleError names ``where`` and the field."""
        return validate_rule(d, where)


_ABSENT = object()
RULE_FIELDS = tuple(Rule.model_fields)


def _show(value: Any) -> str:
    """A short, printable rendering of a refused value."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(exc: ValidationError, data: Any) -> str:
    """One clause (no capital, no full stop) for the first error pydantic found."""
    err = exc.errors(include_url=False)[0]
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "extra_forbidden":
        return f"{_show(loc[0])} is not a rule field (a rule has {', '.join(RULE_FIELDS)})"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if not loc:
        return f"a rule must be an object of named fields, not {_show(data)}"
    field_name = str(loc[0])
    if field_name == "headers" and len(loc) == 3:
        number, part = int(loc[1]) + 1, loc[2]
        if part == 0:
            return (f"header {number} name {_show(err['input'])} is not an HTTP header name (letters, digits and "
                    "!#$%&'*+-.^_`|~ only)")
        return (f"header {number} value must be Latin-1 text on one line without leading or trailing spaces, "
                f"not {_show(err['input'])}")
    return f"{_FIELD_HELP.get(field_name, field_name)}, not {_show(err['input'])}"


def _sentence(clause: str, where: str | None) -> str:
    if where:
        return f"{where}: {clause}."
    return clause[0].upper() + clause[1:] + "."


class InvalidRule(RuleError):
    """A rule that does not validate; ``clause`` says why without saying which rule."""

    def __init__(self, clause: str, where: str | None = None) -> None:
        super().__init__(_sentence(clause, where))
        self.clause = clause


def describe_rule(index: int | None, data: Any) -> str:
    """How an error names a rule: its position (1-based, as the editor lists it) and its name."""
    label = "The default rule" if index is None else f"Rule {index + 1}"
    name = data.get("name") if isinstance(data, Mapping) else None
    if isinstance(name, str) and name and index is not None and re.fullmatch(r"[^\x00-\x1f\x7f]{1,60}", name):
        label += f" ({_show(name)})"
    return label


def validate_rule(data: Any, where: str | None = None) -> Rule:
    """A validated rule from plain data (a JSON object or TOML table), or RuleError in one sentence."""
    if isinstance(data, Rule):
        data = data.to_json()
    if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
        raise InvalidRule(f"a rule must be an object of named fields, not {_show(data)}", where)
    try:
        return Rule(**data)
    except InvalidRule as exc:
        raise InvalidRule(exc.clause, where) from None


def check_rule(data: Any) -> tuple[Rule | None, str]:
    """(rule, "") when ``data`` validates, else (None, the sentence that says why): for the editor."""
    try:
        return validate_rule(data), ""
    except RuleError as exc:
        return None, str(exc)


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


#: The match fields of a rule, at the values that match everything (what the default rule has).
_MATCH_ANY: dict[str, Any] = {"enabled": True, "endpoint": "", "path": "", "query_keys": [], "scene": None,
                              "token": "", "user": ""}


class _RulesFile(BaseModel):
    """The shape of a rules file; each rule is then validated on its own so errors can name it."""

    model_config = ConfigDict(extra="forbid")

    rules: Annotated[list[Any], Strict()] = Field(default_factory=list)
    default: Annotated[dict[str, Any], Strict()] | None = None
    #: the mock server settings of a workspace's mock.json (persist.py); not rules
    config: Any = None


@dataclass(slots=True)
class RuleSet:
    """The ordered rules plus the default rule, which always exists and always comes last."""

    rules: list[Rule] = field(default_factory=list)
    default: Rule = field(default_factory=default_rule)

    def match(self, req: MatchInput) -> Rule:
        # (a snapshot: the server may run in its own thread while the editor changes the list)
        for rule in tuple(self.rules):
            if rule.matches(req):
                return rule
        return self.default

    def explicitly_matches_token_state(self, req: MatchInput) -> Rule | None:
        """The first rule that names this request's token state (used when token checking is on)."""
        for rule in tuple(self.rules):
            if rule.token and rule.matches(req):
                return rule
        return None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON and TOML values only (no None anywhere): :meth:`from_json` takes it back as it is."""
        return {"rules": [r.to_json() for r in self.rules], "default": self.default.to_json()}

    @classmethod
    def from_json(cls, d: Any) -> RuleSet:
        """Rules from ``{"rules": [...], "default": {...}}`` (or a bare list of rules).

        Every rule is validated; the first problem raises RuleError naming the rule and the field.
        """
        if isinstance(d, list):
            d = {"rules": d}
        try:
            shape = _RulesFile.model_validate(d)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            if err["type"] == "extra_forbidden":
                raise RuleError(f"A rules file has the keys rules, default (and config in a workspace's mock.json), "
                                f"not {_show(err['loc'][0])}.") from None
            raise RuleError('A rules file holds {"rules": [ {...}, ... ], "default": {...}}: '
                            f"{'the top level' if not err['loc'] else err['loc'][0]} is "
                            f"{_show(err['input'])}.") from None
        rules = [validate_rule(r, describe_rule(i, r)) for i, r in enumerate(shape.rules)]
        if shape.default is None:
            return cls(rules=rules)
        default = validate_rule(shape.default, describe_rule(None, shape.default)).model_copy(
            update={"name": "default"})
        for key, value in _MATCH_ANY.items():
            if getattr(default, key) != value:
                raise RuleError(f"The default rule answers every request no other rule matches: remove its "
                                f"{key} ({_show(shape.default[key])}).")
        return cls(rules=rules, default=default)

    @classmethod
    def loads(cls, text: str, source: str = "the rules file") -> RuleSet:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RuleError(f"{source[0].upper() + source[1:]} is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}).") from None
        except RecursionError:
            raise RuleError(f"{source[0].upper() + source[1:]} is nested too deeply to be a rules file.") from None
        return cls.from_json(data)
