"""The workspace file's schema: pydantic v2 models, and the text they read and write.

One declared schema (strict types, unknown keys refused, ranges checked) validates the file as it
is read, every edit the app makes, and every document it writes. pydantic is loaded when this
module first is: the workspace module imports it on first use of a schema name, and the app opens
a file it validated before without it (see :func:`workbench.core.workspace.open_workspace`).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbench.core.errors import InvalidInput, WorkspaceError
from workbench.core.launch_mix import MAX_TOTAL_WEIGHT, check_weight
from workbench.core.model import AcceptEncoding, LimitBasis, TimestampUnit
from workbench.core.protocol import MAX_BODY_BYTES, ProtocolSettings, check_text, parse_scene, validate_appid
from workbench.core.workspace import DEFAULT_MOCK_PORT, FORMAT_VERSION, SAMPLE_APPID

_Finite = Annotated[float, Field(allow_inf_nan=False)]


class _Section(BaseModel):
    """Strict: a string is not a number, a number is not a bool, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


class Addresses(_Section):
    """The configured data download addresses (empty: not configured)."""

    main: str = ""
    gray: str = ""
    periodic: str = ""


class ProtocolConfig(_Section):
    """Every behaviour the public documentation leaves open, with the protocol doc's defaults."""

    #: P3: unit of the timestamp parameter.
    timestamp_unit: Literal["ms", "s"] = "ms"
    #: P11: seconds until a request without a complete response is abandoned.
    timeout_s: Annotated[_Finite, Field(gt=0, le=600)] = 5.0
    #: P11: whether a redirect is followed (WeChat is assumed not to).
    follow_redirects: bool = False
    #: P11: whether only a 2xx status is cached.
    require_2xx: bool = True
    #: P12/P24: the largest body that is still cached, in bytes (inclusive).
    body_limit_bytes: Annotated[int, Field(ge=0, le=64 * 1024 * 1024)] = MAX_BODY_BYTES
    #: P24: hours a periodic entry stays readable; 0 means it never expires.
    periodic_expiry_h: Annotated[_Finite, Field(ge=0, le=24 * 365)] = 0.0
    #: P22: hours between periodic updates.
    periodic_interval_h: Annotated[_Finite, Field(gt=0, le=24 * 365)] = 12.0
    #: P23: only users active within this many days get periodic updates.
    periodic_usage_window_days: Annotated[_Finite, Field(gt=0, le=3650)] = 7.0
    #: Request header (not documented for WeChat): the encodings the client accepts.
    accept_encoding: Literal["identity", "gzip", "gzip, deflate"] = "identity"
    #: P12: whether the limit counts the decoded body (the cached string) or the bytes received.
    limit_applies_to: Literal["decoded", "wire"] = "decoded"
    #: Request header (not documented for WeChat): User-Agent; empty means the workbench's own.
    user_agent: Annotated[str, Field(max_length=512)] = ""

    def to_settings(self) -> ProtocolSettings:
        """The core's settings; a value the core refuses (a header with a line break) is a WorkspaceError."""
        extra = {"user_agent": self.user_agent} if self.user_agent else {}
        try:
            return ProtocolSettings(
                timeout_s=self.timeout_s,
                max_body_bytes=self.body_limit_bytes,
                follow_redirects=self.follow_redirects,
                require_2xx=self.require_2xx,
                timestamp_unit=TimestampUnit(self.timestamp_unit),
                periodic_interval_h=self.periodic_interval_h,
                periodic_usage_window_days=self.periodic_usage_window_days,
                periodic_expiry_h=self.periodic_expiry_h or None,
                accept_encoding=AcceptEncoding(self.accept_encoding),
                limit_applies_to=LimitBasis(self.limit_applies_to),
                **extra,
            )
        except InvalidInput as exc:
            raise WorkspaceError(f"The [protocol] section: {exc}") from None


class RolloutStep(_Section):
    """One applied percentage and when it was applied (the floor's history, P26)."""

    percent: Annotated[_Finite, Field(ge=0, le=100)]
    applied_at: datetime


class RolloutConfig(_Section):
    """The current gray-scale rollout (P25-P29). ``percent`` is what was applied: the floor."""

    id: Annotated[str, Field(min_length=1, max_length=200)] = "rollout-1"
    #: The gray address this rollout runs with (``addresses.gray`` may since have been edited).
    gray: str = ""
    percent: Annotated[_Finite, Field(ge=0, le=100)] = 0.0
    #: True once 100% was applied: the gray address became the main address (P27).
    promoted: bool = False
    steps: list[RolloutStep] = Field(default_factory=list)


class PopulationConfig(_Section):
    """The simulated users of traffic runs: same seed, same users (P29)."""

    size: Annotated[int, Field(ge=1, le=1_000_000)] = 10_000
    seed: str = "population"
    token_share: Annotated[_Finite, Field(ge=0, le=1)] = 1.0
    develop_share: Annotated[_Finite, Field(ge=0, le=1)] = 0.0
    trial_share: Annotated[_Finite, Field(ge=0, le=1)] = 0.0
    ios_share: Annotated[_Finite, Field(ge=0, le=1)] = 0.3


_VersionName = Literal["develop", "trial", "release"]
_VERSION_NAMES: tuple[_VersionName, ...] = ("develop", "trial", "release")


T = TypeVar("T")


def _checked(check: Callable[..., T], *args: Any) -> T:
    """``check(*args)``, the core's check of a value; its refusal becomes the validation message
    (its sentence: describe() adds where it is and the full stop)."""
    try:
        return check(*args)
    except InvalidInput as exc:
        raise ValueError(str(exc).rstrip(".")) from None


class TrafficLaunch(_Section):
    """One ``[[traffic.launches]]`` row: how some of the simulated users launch, by weight (P7).
    Checked as the core's :class:`~workbench.core.launch_mix.LaunchVariant` and
    :class:`~workbench.core.protocol.Launch` check a row, with their sentences."""

    weight: int
    path: str = ""
    query: str = ""
    #: Left out: no scene parameter is sent.
    scene: int | None = None
    #: customMiniprogramVersion; empty: not sent.
    version: str = ""

    @field_validator("weight")
    @classmethod
    def _weight(cls, value: int) -> int:
        return _checked(check_weight, value)

    @field_validator("scene")
    @classmethod
    def _scene(cls, value: int | None) -> int | None:
        return _checked(parse_scene, value)

    @field_validator("path", "query", "version")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked(check_text, value, "launch text")


class TrafficConfig(_Section):
    """How a traffic run sends: how many users, how fast, which client versions, how they launch."""

    users: Annotated[int, Field(ge=1, le=1_000_000)] = 500
    #: Cold starts per second; 0 means as fast as the concurrency allows.
    rate: Annotated[_Finite, Field(ge=0, le=100_000)] = 0.0
    concurrency: Annotated[int, Field(ge=1, le=1024)] = 32
    versions: list[_VersionName] = Field(default_factory=lambda: list(_VERSION_NAMES))
    #: The launch mix (each user gets one row by weight, the same every run); empty: every user
    #: launches pages/index/index with scene 1001 (launch_mix.DEFAULT_LAUNCH).
    launches: list[TrafficLaunch] = Field(default_factory=list)

    @field_validator("launches")
    @classmethod
    def _total(cls, value: list[TrafficLaunch]) -> list[TrafficLaunch]:
        total = sum(row.weight for row in value)
        if total > MAX_TOTAL_WEIGHT:
            raise ValueError(f"The launch weights add up to {total:,}; keep the total at most {MAX_TOTAL_WEIGHT:,}")
        return value


class MockUserConfig(_Section):
    """A user the mock server knows; its token lives in the data folder (a secret)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    openid: str = ""


class MockConfigSection(_Section):
    """The live mock developer server: where it listens, its users, its rules."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = DEFAULT_MOCK_PORT
    tls: bool = False
    autostart: bool = True
    #: MockConfig's settings (paths, token check, auth response), validated by the mock server.
    settings: dict[str, Any] = Field(default_factory=dict)
    users: list[MockUserConfig] = Field(default_factory=lambda: [MockUserConfig(name="alice"),
                                                                 MockUserConfig(name="bob")])
    #: Ordered response rules and the default rule, validated by the mock server.
    rules: list[dict[str, Any]] = Field(default_factory=list)
    default: dict[str, Any] = Field(default_factory=dict)


class LaunchConfig(_Section):
    """The composer's last launch: path, query exactly as typed, scene, version, identity."""

    target: Literal["main", "gray", "periodic", "custom"] = "main"
    custom_url: str = ""
    fetch_type: Literal["pre", "periodic"] = "pre"
    path: str = ""
    query: str = ""
    #: 0 means no scene parameter is sent.
    scene: Annotated[int, Field(ge=0, le=999_999)] = 1001
    version: str = ""
    identity: Literal["token", "code", "none"] = "token"
    platform: Literal["android", "ios"] = "android"
    #: The simulated user; empty: the mock server's first user.
    user: str = ""
    #: Empty: the current time at sending; digits: that fixed timestamp (ms).
    fixed_timestamp: str = ""


class WorkspaceFile(_Section):
    """The whole file, in the order it is written."""

    version: int = FORMAT_VERSION
    appid: str = SAMPLE_APPID
    #: The Mini Program's pre-pull switch (off: WeChat answers -10007 no permission).
    prepull_enabled: bool = True
    addresses: Addresses = Field(default_factory=Addresses)
    protocol: ProtocolConfig = Field(default_factory=ProtocolConfig)
    rollout: RolloutConfig = Field(default_factory=RolloutConfig)
    population: PopulationConfig = Field(default_factory=PopulationConfig)
    traffic: TrafficConfig = Field(default_factory=TrafficConfig)
    mock: MockConfigSection = Field(default_factory=MockConfigSection)
    launch: LaunchConfig = Field(default_factory=LaunchConfig)

    @field_validator("appid")
    @classmethod
    def _appid(cls, value: str) -> str:
        return _checked(validate_appid, value)


# -- reading and writing ------------------------------------------------------------------------


def without_none(value: Any) -> Any:
    """TOML has no null: drop None values from tables (lists keep their shape)."""
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value]
    return value


def dumps(doc: WorkspaceFile) -> str:
    """The file's text: fixed key order, so the same state always gives the same bytes."""
    data = without_none(doc.model_dump(mode="python"))
    if not data["traffic"]["launches"]:  # the default launch: a file from before launch mixes stays as it was
        del data["traffic"]["launches"]
    header = ("# Prepull Workbench workspace: one Mini Program's pre-pull configuration and state.\n"
              "# Plain text for your team's git repository. Secrets and history live in the data folder\n"
              "# beside this file, which has its own .gitignore. Format: see the README.\n\n")
    return header + tomli_w.dumps(data, multiline_strings=False)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line (1-based) where the key at ``loc`` is written, when it can be found."""
    names = [str(p) for p in loc if not isinstance(p, int)]
    if not names:
        return None
    # which [[array.of.tables]] entry the location means: ("traffic", "launches", 2, ...) -> the third
    wanted: dict[tuple[str, ...], int] = {}
    prefix: list[str] = []
    for p in loc:
        if isinstance(p, int):
            wanted[tuple(prefix)] = p
        else:
            prefix.append(str(p))
    seen: dict[tuple[str, ...], int] = {}
    table: list[str] = []
    inside = True
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    key = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")
    best: int | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        m = header.match(line)
        if m:
            table = [p.strip().strip('"\'') for p in m.group(1).split(".")]
            inside = True
            if line.lstrip().startswith("[["):
                entry = seen[tuple(table)] = seen.get(tuple(table), -1) + 1
                inside = wanted.get(tuple(table), entry) == entry
            if inside and (table == names or (tuple(table) in wanted and names[: len(table)] == table)):
                best = best or number  # the table, or the entry of an array of tables, that lacks a key
            continue
        k = key.match(line)
        if k and inside:
            full = table + [p.strip().strip('"\'') for p in k.group(1).split(".")]
            if full == names or full[: len(names)] == names:
                return number
            if best is None and names[: len(full)] == full:  # an array, written as one inline table a line
                best = number
                row = wanted.get(tuple(full))
                if row is not None and number + row < len(lines) and lines[number + row].lstrip().startswith("{"):
                    best = number + row + 1
    return best


def _key_text(key: str) -> str:
    """A key as the message names it: bare when TOML writes it bare, else quoted and escaped."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def describe(exc: ValidationError, text: str, source: str) -> str:
    """One sentence for the first problem: the key, the line, what is wrong."""
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    key = ".".join(f"[{p}]" if isinstance(p, int) else _key_text(str(p)) for p in loc).replace(".[", "[") or "the file"
    line = _line_of(text, loc)
    where = f" (line {line})" if line else ""
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        problem = "is not a known key: remove it or check its spelling"
    elif kind == "missing":
        problem = "is missing"
    else:
        problem = f"is invalid: {str(err.get('msg', 'wrong value')).removeprefix('Value error, ')}"
    more = len(exc.errors()) - 1
    tail = f" ({more} more problem{'s' if more != 1 else ''} after this one)" if more else ""
    return f"{source}: {key}{where} {problem}{tail}; the file was not changed."


def loads(text: str, source: str = "The workspace file") -> WorkspaceFile:
    """Parse and validate; every failure is one WorkspaceError sentence."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"{source} is not valid TOML ({exc}); the file was not changed.") from None
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise WorkspaceError(
            f"{source} has format version {version}, written by a newer Prepull Workbench; this one reads "
            f"up to version {FORMAT_VERSION}: update the workbench. The file was not changed.")
    try:
        return WorkspaceFile.model_validate(data)
    except ValidationError as exc:
        raise WorkspaceError(describe(exc, text, source)) from None
