"""The workspace file: one Mini Program's configuration and state, as plain TOML for git.

A workspace is ``NAME.prepull.toml`` plus a data folder beside it, ``NAME.prepull-data/``, that
holds what must never be committed: secrets (tokens, the login-code key) and the bulky SQLite
history and cache. The data folder carries its own ``.gitignore`` and is private (700/600).

The file is read with :mod:`tomllib`, validated with pydantic (one declared schema: the error
names the key, and the line where it can be found), and written with tomli-w in a fixed key order
so that an unchanged save is byte-identical. Nothing in it changes by itself: no "last opened"
times, only what the user set. A file that does not load is never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets as _secrets
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbench.core.atomic import write_bytes_atomic
from workbench.core.errors import InvalidInput, RolloutRefused, WorkspaceError
from workbench.core.model import AcceptEncoding, LimitBasis, TimestampUnit
from workbench.core.protocol import MAX_BODY_BYTES, ProtocolSettings, validate_appid
from workbench.core.rollout import Population, Rollout

APP_NAME = "prepull-workbench"
SUFFIX = ".prepull.toml"
DATA_SUFFIX = ".prepull-data"
#: The file format this workbench writes and the newest it reads.
FORMAT_VERSION = 1
#: What a folder given as --workspace gets when it holds no workspace file yet.
DEFAULT_NAME = "workspace"
DEMO_NAME = "demo"
SAMPLE_APPID = "wx0123456789abcdef"
DB_NAME = "workbench.sqlite3"
SECRETS_NAME = "secrets.json"
#: The mock server's port in a new workspace (fixed, so stored mock URLs stay valid).
DEFAULT_MOCK_PORT = 8765

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


#: The protocol settings as the Settings dialog and ``fetch --help`` show them: key, rule, label.
PROTOCOL_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("timestamp_unit", "P3", "Unit of the timestamp parameter"),
    ("timeout_s", "P11", "Timeout (seconds)"),
    ("follow_redirects", "P11", "Follow redirects"),
    ("require_2xx", "P11", "Only a 2xx status is cached"),
    ("body_limit_bytes", "P12", "Largest cached body (bytes, inclusive)"),
    ("periodic_interval_h", "P22", "Periodic update interval (hours)"),
    ("periodic_usage_window_days", "P23", "Periodic updates only for users active within (days)"),
    ("periodic_expiry_h", "P24", "Periodic data expires after (hours, 0 = never)"),
    ("accept_encoding", "P12", "Accept-Encoding request header"),
    ("limit_applies_to", "P12", "The body limit counts the decoded body or the bytes received"),
    ("user_agent", "P1", "User-Agent request header (empty: the workbench's own)"),
)


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


class TrafficConfig(_Section):
    """How a traffic run sends: how many users, how fast, which client versions."""

    users: Annotated[int, Field(ge=1, le=1_000_000)] = 500
    #: Cold starts per second; 0 means as fast as the concurrency allows.
    rate: Annotated[_Finite, Field(ge=0, le=100_000)] = 0.0
    concurrency: Annotated[int, Field(ge=1, le=1024)] = 32
    versions: list[_VersionName] = Field(default_factory=lambda: list(_VERSION_NAMES))


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
        try:
            return validate_appid(value)
        except InvalidInput as exc:
            raise ValueError(str(exc).rstrip(".")) from None


# -- reading and writing ------------------------------------------------------------------------


def _without_none(value: Any) -> Any:
    """TOML has no null: drop None values from tables (lists keep their shape)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def dumps(doc: WorkspaceFile) -> str:
    """The file's text: fixed key order, so the same state always gives the same bytes."""
    data = _without_none(doc.model_dump(mode="python"))
    header = ("# Prepull Workbench workspace: one Mini Program's pre-pull configuration and state.\n"
              "# Plain text for your team's git repository. Secrets and history live in the data folder\n"
              "# beside this file, which has its own .gitignore. Format: see the README.\n\n")
    return header + tomli_w.dumps(data, multiline_strings=False)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line (1-based) where the key at ``loc`` is written, when it can be found."""
    names = [str(p) for p in loc if not isinstance(p, int)]
    if not names:
        return None
    table: list[str] = []
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    key = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")
    best = None
    for number, line in enumerate(text.splitlines(), start=1):
        m = header.match(line)
        if m:
            table = [p.strip().strip('"\'') for p in m.group(1).split(".")]
            if table == names:
                best = best or number
            continue
        k = key.match(line)
        if k:
            full = table + [p.strip().strip('"\'') for p in k.group(1).split(".")]
            if full == names or full[: len(names)] == names:
                return number
    return best


def _key_text(key: str) -> str:
    """A key as the message names it: bare when TOML writes it bare, else quoted and escaped."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _describe(exc: ValidationError, text: str, source: str) -> str:
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
        raise WorkspaceError(_describe(exc, text, source)) from None


def data_dir_for(path: Path) -> Path:
    name = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    return path.with_name(name + DATA_SUFFIX)


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)


class Workspace:
    """An open workspace: its file, its validated document and its data folder."""

    def __init__(self, path: Path, doc: WorkspaceFile, saved_text: str | None = None) -> None:
        self.path = Path(path)
        self.doc = doc
        self._saved_text = saved_text

    # -- where things live --

    @property
    def name(self) -> str:
        return self.path.name[: -len(SUFFIX)] if self.path.name.endswith(SUFFIX) else self.path.stem

    @property
    def data_dir(self) -> Path:
        return data_dir_for(self.path)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_NAME

    def store_path(self) -> Path:
        """The database's path, its private folder created when needed."""
        return self.ensure_data_dir() / DB_NAME

    def ensure_data_dir(self) -> Path:
        """Create the private data folder with a .gitignore that keeps all of it out of git."""
        folder = self.data_dir
        try:
            _private_dir(folder)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                write_bytes_atomic(ignore, b"# A Prepull Workbench workspace's secrets and history: never commit.\n*\n")
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the data folder {folder}: {exc.strerror}.") from None
        return folder

    # -- loading and saving --

    @classmethod
    def load(cls, path: Path | str) -> Workspace:
        path = Path(path).expanduser()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise WorkspaceError(f"There is no workspace file at {path}.") from None
        except IsADirectoryError:
            raise WorkspaceError(f"{path} is a folder, not a workspace file.") from None
        except OSError as exc:
            raise WorkspaceError(f"Cannot read the workspace file {path}: {exc.strerror}.") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WorkspaceError(f"The workspace file {path} is not UTF-8 text (byte {exc.start}); "
                                 "the file was not changed.") from None
        doc = loads(text, f"The workspace file {path}")
        return cls(path, doc, text)

    @classmethod
    def create(cls, path: Path | str, appid: str = SAMPLE_APPID, *, exist_ok: bool = False,
               doc: WorkspaceFile | None = None) -> Workspace:
        path = Path(path).expanduser()
        if not path.name.endswith(SUFFIX):
            raise WorkspaceError(f"A workspace file's name ends in {SUFFIX}, as in myapp{SUFFIX}; not {path.name}.")
        if path.exists() and not exist_ok:
            raise WorkspaceError(f"{path} exists already: open it, or choose another name.")
        try:
            document = doc or WorkspaceFile(appid=appid)
        except ValidationError as exc:
            raise WorkspaceError(_describe(exc, "", "The new workspace")) from None
        try:
            _private_dir(path.parent) if not path.parent.exists() else None
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from None
        ws = cls(path, document)
        ws.ensure_data_dir()
        ws.save()
        return ws

    def text(self) -> str:
        return dumps(self.doc)

    @property
    def saved_text(self) -> str | None:
        """The text last read from or written to the file."""
        return self._saved_text

    def save(self, text: str | None = None) -> bool:
        """Write the file atomically if its text changed; True when something was written.

        ``text`` is a snapshot taken earlier (the GUI takes it on the UI thread, writes in another).
        """
        text = self.text() if text is None else text
        if text == self._saved_text:
            return False
        with self.locked():
            return self._write(self._keep_floor(text))

    def _keep_floor(self, text: str) -> str:
        """P26 at the storage level: a save never lowers the floor another process (or a rollout
        change made after this snapshot) wrote for the same rollout."""
        try:
            disk = Workspace.load(self.path).doc
            snap = loads(text)
        except WorkspaceError:
            return text
        ahead = disk.rollout.percent > snap.rollout.percent or (disk.rollout.promoted and not snap.rollout.promoted)
        if disk.rollout.id != snap.rollout.id or not ahead:
            return text
        snap.rollout = disk.rollout
        if disk.rollout.promoted:
            snap.addresses.main = disk.addresses.main
        return dumps(snap)

    def _write(self, text: str) -> bool:
        if text == self._saved_text:
            return False
        try:
            # a file for the team's repository: readable like any source file (no secrets in it)
            write_bytes_atomic(self.path, text.encode("utf-8"), mode=0o644)
        except InvalidInput as exc:
            raise WorkspaceError(str(exc)) from None
        self._saved_text = text
        return True

    def reload(self) -> bool:
        """Read the file again (another process may have changed it); True when it had changed."""
        fresh = Workspace.load(self.path)
        changed = fresh._saved_text != self._saved_text
        self.doc, self._saved_text = fresh.doc, fresh._saved_text
        return changed

    # -- derived views of the document --

    def protocol_settings(self) -> ProtocolSettings:
        return self.doc.protocol.to_settings()

    def rollout(self, main_url: str | None = None, gray_url: str | None = None) -> Rollout:
        """The current rollout as the core applies it (P25-P29), optionally at other addresses
        (the mock server's, for a run against it). A promoted rollout sends everyone to its gray
        address, which became the main address (P27)."""
        cfg = self.doc.rollout
        gray = gray_url or cfg.gray or self.doc.addresses.gray
        main = main_url or self.doc.addresses.main
        if cfg.promoted:
            main = gray
        return Rollout(main_url=main, gray_url=gray, percent=cfg.percent, rollout_id=cfg.id,
                       floor=cfg.percent, active=not cfg.promoted)

    def population(self, size: int | None = None) -> Population:
        p = self.doc.population
        return Population(size=size or p.size, seed=p.seed, token_share=p.token_share,
                          develop_share=p.develop_share, trial_share=p.trial_share, ios_share=p.ios_share)

    # -- the rollout (P26 across processes) --

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the workspace's lock (a file in the data folder) for a read-modify-write."""
        self.ensure_data_dir()
        lock_path = self.data_dir / ".lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            except ImportError:  # Windows: the atomic rename still keeps the file whole
                pass
            yield
        finally:
            os.close(fd)

    def apply_percent(self, percent: float, now: datetime | None = None) -> RolloutConfig:
        """Apply a gray percentage to the current rollout, re-reading the file first, under the lock,
        so a floor raised by another process (the CLI, another window) is respected (P26, P27)."""
        percent = _check_percent(percent)
        with self.locked():
            if self.path.exists():
                on_disk = Workspace.load(self.path).doc.rollout
                if on_disk.id == self.doc.rollout.id:
                    self.doc.rollout = on_disk
            rollout = self.doc.rollout
            if rollout.promoted:
                raise RolloutRefused(
                    f"Rollout {rollout.id} was promoted to 100% and has ended (P27): start a new rollout "
                    "to send traffic to a gray address again.")
            if percent < rollout.percent:
                raise RolloutRefused(
                    f"The gray percentage cannot go back from {rollout.percent:g}% to {percent:g}% (P26): "
                    "within a rollout it only goes up. Start a new rollout to begin again from 0%.")
            if not rollout.gray:
                rollout.gray = self.doc.addresses.gray
            if percent != rollout.percent or not rollout.steps:
                stamp = (now or datetime.now(UTC)).replace(microsecond=0)
                rollout.steps = [*rollout.steps, RolloutStep(percent=percent, applied_at=stamp)]
            rollout.percent = percent
            if percent >= 100:
                # P27: the gray address becomes the main address and the rollout ends.
                rollout.promoted = True
                if rollout.gray:
                    self.doc.addresses.main = rollout.gray
            self._write(self.text())
            return rollout

    def new_rollout(self, gray_url: str | None = None, rollout_id: str | None = None) -> RolloutConfig:
        """The explicit action that starts over (P26): a new id, a gray address, 0%, no floor."""
        with self.locked():
            if self.path.exists():
                self.doc.rollout = Workspace.load(self.path).doc.rollout
            gray = gray_url if gray_url is not None else self.doc.addresses.gray
            self.doc.addresses.gray = gray
            self.doc.rollout = RolloutConfig(id=rollout_id or "r-" + _secrets.token_hex(4), gray=gray)
            self._write(self.text())
            return self.doc.rollout

    # -- secrets (data folder, never the file) --

    @property
    def secrets_path(self) -> Path:
        return self.data_dir / SECRETS_NAME

    def read_secrets(self) -> dict[str, Any]:
        try:
            data = json.loads(self.secrets_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"Cannot read the workspace secrets {self.secrets_path}: {exc}.") from None
        return data if isinstance(data, dict) else {}

    def write_secrets(self, data: dict[str, Any]) -> None:
        self.ensure_data_dir()
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        old = os.umask(0o077)
        try:
            write_bytes_atomic(self.secrets_path, text.encode("utf-8"))
        except InvalidInput as exc:
            raise WorkspaceError(str(exc)) from None
        finally:
            os.umask(old)
        with contextlib.suppress(OSError):
            os.chmod(self.secrets_path, 0o600)

    def mock_tokens(self) -> dict[str, str]:
        tokens = self.read_secrets().get("mock_tokens", {})
        return {str(k): str(v) for k, v in tokens.items()} if isinstance(tokens, dict) else {}

    def set_mock_tokens(self, tokens: dict[str, str]) -> None:
        data = self.read_secrets()
        if data.get("mock_tokens") != tokens:
            data["mock_tokens"] = dict(tokens)
            self.write_secrets(data)


def _check_percent(percent: float) -> float:
    if not isinstance(percent, int | float) or math.isnan(percent) or not 0 <= percent <= 100:
        raise InvalidInput(f"The gray percentage must be between 0 and 100, not {percent}.")
    if abs(percent * 100 - round(percent * 100)) > 1e-6:
        raise InvalidInput(f"The gray percentage moves in steps of 0.01; {percent:g} is between two steps.")
    return round(float(percent), 2)


# -- finding the workspace a command means -----------------------------------------------------


def default_workspace_dir() -> Path:
    """The user data dir, used when no --workspace is given."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def find_in_folder(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise WorkspaceError(f"Cannot read the folder {folder}: {exc.strerror}.") from None


def resolve_path(arg: str | Path | None, *, new_name: str = DEFAULT_NAME) -> Path:
    """The workspace file that ``--workspace ARG`` means (it may not exist yet).

    A file is itself; a folder means the one workspace file inside it, or a new
    ``NEW_NAME.prepull.toml`` there when it holds none (or does not exist yet), so scripts that
    pass a folder keep working. A folder holding several workspace files is ambiguous.
    """
    raw = Path(arg).expanduser() if arg else default_workspace_dir()
    if raw.name.endswith(SUFFIX):
        return raw
    if raw.exists() and not raw.is_dir():
        raise WorkspaceError(f"{raw} is not a workspace: give a folder or a file ending in {SUFFIX}.")
    found = find_in_folder(raw)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise WorkspaceError(f"The folder {raw} holds several workspaces ({names}): give the file itself.")
    return found[0] if found else raw / f"{new_name}{SUFFIX}"


def open_workspace(arg: str | Path | None, *, appid: str | None = None, new_name: str = DEFAULT_NAME) -> Workspace:
    """Open the workspace ``--workspace ARG`` means, creating it when it does not exist yet.

    A folder from before workspace files (with ``workbench.sqlite3`` and ``mock.json`` in it) is
    migrated: its database moves into the new data folder and ``mock.json`` into the file.
    """
    if appid is not None:
        appid = validate_appid(appid)  # bad input is refused before anything is created
    path = resolve_path(arg, new_name=new_name)
    if path.exists():
        return Workspace.load(path)
    doc = WorkspaceFile(appid=appid) if appid else WorkspaceFile()
    legacy_mock = _legacy_mock(path.parent)
    if legacy_mock is not None:
        doc.mock = legacy_mock[0]
    ws = Workspace.create(path, doc=doc)
    if legacy_mock is not None:
        ws.set_mock_tokens(legacy_mock[1])
        with contextlib.suppress(OSError):
            (path.parent / "mock.json").rename(path.parent / "mock.json.migrated")
    _move_legacy_db(path.parent, ws.data_dir)
    return ws


def _legacy_mock(folder: Path) -> tuple[MockConfigSection, dict[str, str]] | None:
    """mock.json of an older workspace folder, as the [mock] section and the users' tokens."""
    path = folder / "mock.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    config = dict(data.get("config") or {})
    users = config.pop("users", None) or []
    tokens = {str(u.get("name")): str(u.get("token", "")) for u in users if isinstance(u, dict) and u.get("token")}
    try:
        section = MockConfigSection(
            settings=_without_none(config),
            users=[MockUserConfig(name=str(u["name"]), openid=str(u.get("openid", ""))) for u in users
                   if isinstance(u, dict) and u.get("name")] or MockConfigSection().users,
            rules=_without_none(list(data.get("rules") or [])),
            default=_without_none(dict(data.get("default") or {})),
        )
    except (ValidationError, KeyError, TypeError, ValueError):
        return None
    return section, tokens


def _move_legacy_db(folder: Path, data_dir: Path) -> None:
    old = folder / DB_NAME
    new = data_dir / DB_NAME
    if not old.exists() or new.exists():
        return
    for suffix in ("", "-wal", "-shm"):
        src = folder / (DB_NAME + suffix)
        if src.exists():
            with contextlib.suppress(OSError):
                src.rename(data_dir / (DB_NAME + suffix))
