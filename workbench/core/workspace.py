"""The workspace file: one Mini Program's configuration and state, as plain TOML for git.

A workspace is ``NAME.prepull.toml`` plus a data folder beside it, ``NAME.prepull-data/``, that
holds what must never be committed: secrets (tokens, the login-code key) and the bulky SQLite
history and cache. The data folder carries its own ``.gitignore`` and is private (700/600).

The file is read with :mod:`tomllib`, validated with pydantic (one declared schema, in
:mod:`workbench.core.workspace_schema`: the error names the key, and the line where it can be
found), and written with tomli-w in a fixed key order so that an unchanged save is byte-identical.
Nothing in it changes by itself: no "last opened" times, only what the user set. A file that does
not load is never overwritten.

The schema's names (``WorkspaceFile``, ``RolloutConfig``, ``loads``, ...) are importable from here
as well; they load pydantic on first use. The app opens a file whose exact text this schema
validated before without waiting for pydantic (:meth:`Workspace.load` with ``validate_later``):
the first screen reads :attr:`Workspace.shown`, and the file is validated again right after.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import math
import os
import secrets as _secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench.core.atomic import write_bytes_atomic
from workbench.core.errors import InvalidInput, RolloutRefused, WorkspaceError

if TYPE_CHECKING:
    import datetime

    from workbench.core.launch_mix import LaunchMix
    from workbench.core.protocol import ProtocolSettings
    from workbench.core.rollout import Population, Rollout

    # the schema's names, re-exported (at run time by __getattr__ below)
    from workbench.core.workspace_schema import Addresses as Addresses
    from workbench.core.workspace_schema import LaunchConfig as LaunchConfig
    from workbench.core.workspace_schema import MockConfigSection as MockConfigSection
    from workbench.core.workspace_schema import MockUserConfig as MockUserConfig
    from workbench.core.workspace_schema import PopulationConfig as PopulationConfig
    from workbench.core.workspace_schema import ProtocolConfig as ProtocolConfig
    from workbench.core.workspace_schema import RolloutConfig as RolloutConfig
    from workbench.core.workspace_schema import RolloutStep as RolloutStep
    from workbench.core.workspace_schema import TrafficConfig as TrafficConfig
    from workbench.core.workspace_schema import WorkspaceFile as WorkspaceFile
    from workbench.core.workspace_schema import dumps as dumps
    from workbench.core.workspace_schema import loads as loads

#: What ``from workbench.core.workspace import NAME`` gives from the schema module (loaded then).
_SCHEMA_NAMES = frozenset({"Addresses", "LaunchConfig", "MockConfigSection", "MockUserConfig", "PopulationConfig",
                           "ProtocolConfig", "RolloutConfig", "RolloutStep", "TrafficConfig", "WorkspaceFile",
                           "dumps", "loads"})


def __getattr__(name: str) -> Any:
    if name in _SCHEMA_NAMES:
        from workbench.core import workspace_schema

        return getattr(workspace_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def data_dir_for(path: Path) -> Path:
    name = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    return path.with_name(name + DATA_SUFFIX)


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)


#: The data folder's note of the last file text the schema validated (see Workspace.load).
VALIDATED_NAME = "validated.json"
#: What the document holds as sections (and lists of sections) rather than plain values: how
#: :class:`_Shown` presents the data of a file before pydantic has read it.
_SHAPE: dict[str, Any] = {"addresses": {}, "protocol": {}, "rollout": {"steps": {}}, "population": {},
                          "traffic": {"launches": {}}, "mock": {"users": {}}, "launch": {}}


@functools.cache
def schema_fingerprint() -> str | None:
    """A digest that changes whenever validation may change: the workbench's version and the
    sources of the schema, of what it calls (appid rules, limits) and of pydantic's version. None
    when a source cannot be read (a frozen build): then every file is validated before it is shown."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    spec = importlib.util.find_spec("pydantic")  # (finding it does not import it)
    pydantic_dir = Path(spec.origin).parent if spec is not None and spec.origin else None
    try:
        for source in (here / "workspace_schema.py", here / "protocol.py", here / "model.py", here / "launch_mix.py",
                       pydantic_dir / "version.py" if pydantic_dir else None):
            if source is None:
                raise OSError("pydantic is not installed")
            digest.update(source.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _validated_before(path: Path, text: str) -> dict[str, Any] | None:
    """The file's data when the data folder notes that this schema validated exactly ``text``
    before (the note keeps the data, so that opening needs no TOML parser either), else None."""
    fingerprint = schema_fingerprint()
    if fingerprint is None:
        return None
    try:
        note = json.loads((data_dir_for(path) / VALIDATED_NAME).read_bytes(), object_hook=_untagged)
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or note.get("schema") != fingerprint:
        return None
    data = note.get("data")
    if isinstance(data, dict) and note.get("sha256") == hashlib.sha256(text.encode("utf-8")).hexdigest():
        return data
    return None


def _tagged(value: Any) -> Any:
    """JSON for what TOML has and JSON has not: times (the rollout's steps)."""
    import datetime

    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not in a workspace file")


def _untagged(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$datetime" in obj:
        import datetime

        return datetime.datetime.fromisoformat(obj["$datetime"])
    return obj


class _Shown:
    """The data of a file the schema validated before, read as the validated document's
    attributes (sections and lists of sections as objects, the rest as they are), and refused
    for writing: what the first screen reads until pydantic has validated the file again."""

    __slots__ = ("_data", "_shape")

    def __init__(self, data: dict[str, Any], shape: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_shape", shape)

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        shape = self._shape.get(name)
        if shape is None:
            return value
        if isinstance(value, list):
            return [_Shown(item, shape) for item in value]
        return _Shown(value, shape)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{name}: the workspace is read-only until it is validated (Workspace.doc)")


class Workspace:
    """An open workspace: its file, its validated document and its data folder."""

    def __init__(self, path: Path, doc: WorkspaceFile | None, saved_text: str | None = None,
                 *, shown: dict[str, Any] | None = None) -> None:
        if doc is None and (shown is None or saved_text is None):
            raise ValueError("a workspace needs its validated document, or the text and data to validate later")
        self.path = Path(path)
        self._doc = doc
        self._saved_text = saved_text
        self._shown = _Shown(shown, _SHAPE) if shown is not None else None
        self._validating = threading.Lock()

    @property
    def doc(self) -> WorkspaceFile:
        """The validated document (a file opened with ``validate_later`` is validated now)."""
        if self._doc is None:
            with self._validating:
                if self._doc is None:
                    from workbench.core.workspace_schema import loads

                    assert self._saved_text is not None
                    self._doc = loads(self._saved_text, f"The workspace file {self.path}")
        return self._doc

    @doc.setter
    def doc(self, doc: WorkspaceFile) -> None:
        self._doc = doc

    @property
    def validated(self) -> bool:
        return self._doc is not None

    def validate(self) -> None:
        """Validate the file now if that was left for later; WorkspaceError when it does not load."""
        self.doc  # noqa: B018

    @property
    def shown(self) -> Any:
        """The document to read: the validated one, or, before a file opened with
        ``validate_later`` is validated, a read-only view of its data (which this schema
        validated before). Edits and everything else go through :attr:`doc`."""
        return self._doc if self._doc is not None else self._shown

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
    def load(cls, path: Path | str, *, validate_later: bool = False) -> Workspace:
        """Read and validate the file.

        With ``validate_later`` (the app's start), a file whose exact text this schema validated
        before (the data folder notes it) is read without pydantic: :attr:`shown` gives its data
        at once, and :attr:`doc` validates it on first use (the app does that right after its
        first paint). Any other file is validated now, as without it.
        """
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
        data = _validated_before(path, text) if validate_later else None
        if data is not None:
            return cls(path, None, text, shown=data)
        from workbench.core.workspace_schema import loads

        ws = cls(path, loads(text, f"The workspace file {path}"), text)
        if validate_later:  # the next start of the app need not wait for pydantic
            ws._note_valid(text)
        return ws

    @classmethod
    def create(cls, path: Path | str, appid: str = SAMPLE_APPID, *, exist_ok: bool = False,
               doc: WorkspaceFile | None = None) -> Workspace:
        path = Path(path).expanduser()
        if not path.name.endswith(SUFFIX):
            raise WorkspaceError(f"A workspace file's name ends in {SUFFIX}, as in myapp{SUFFIX}; not {path.name}.")
        if path.exists() and not exist_ok:
            raise WorkspaceError(f"{path} exists already: open it, or choose another name.")
        from pydantic import ValidationError

        from workbench.core.workspace_schema import WorkspaceFile, describe

        try:
            document = doc or WorkspaceFile(appid=appid)
        except ValidationError as exc:
            raise WorkspaceError(describe(exc, "", "The new workspace")) from None
        try:
            _private_dir(path.parent) if not path.parent.exists() else None
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from None
        ws = cls(path, document)
        ws.ensure_data_dir()
        ws.save()
        return ws

    def text(self) -> str:
        """The file's text for the document as it is now."""
        if self._doc is None:  # not validated yet, so not edited: the text that validated before
            assert self._saved_text is not None
            return self._saved_text
        from workbench.core.workspace_schema import dumps

        return dumps(self._doc)

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
        from workbench.core.workspace_schema import dumps, loads

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
        self._note_valid(text)
        return True

    def _note_valid(self, text: str) -> None:
        """Note in the data folder that the schema validated ``text`` exactly as it is (the file
        as the workbench writes it), so that the app opens it next time without waiting for
        pydantic (:meth:`load`). Best effort: without the note, the file is validated first."""
        from workbench.core.workspace_schema import dumps, loads

        fingerprint = schema_fingerprint()
        if fingerprint is None or _validated_before(self.path, text) is not None:
            return
        try:
            doc = loads(text)
        except WorkspaceError:
            return
        if dumps(doc) != text:  # hand-written (comments, keys left out): validated each time
            return
        # the document's data, with what the text leaves out as the default (no launches, no scene)
        data = doc.model_dump(mode="python")
        note = {"schema": fingerprint, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "data": data}
        with contextlib.suppress(OSError, InvalidInput, WorkspaceError):
            write_bytes_atomic(self.ensure_data_dir() / VALIDATED_NAME,
                               json.dumps(note, ensure_ascii=False, default=_tagged).encode("utf-8"))

    def reload(self) -> bool:
        """Read the file again (another process may have changed it); True when it had changed."""
        fresh = Workspace.load(self.path)
        changed = fresh._saved_text != self._saved_text
        self.doc, self._saved_text = fresh.doc, fresh._saved_text
        return changed

    # -- derived views of the document --

    def protocol_settings(self) -> ProtocolSettings:
        """The core's protocol settings as the file sets them (P3, P11, P12, P22-P24)."""
        return self.doc.protocol.to_settings()

    def rollout(self, main_url: str | None = None, gray_url: str | None = None) -> Rollout:
        """The current rollout as the core applies it (P25-P29), optionally at other addresses
        (the mock server's, for a run against it). A promoted rollout sends everyone to its gray
        address, which became the main address (P27)."""
        from workbench.core.rollout import Rollout

        cfg = self.doc.rollout
        gray = gray_url or cfg.gray or self.doc.addresses.gray
        main = main_url or self.doc.addresses.main
        if cfg.promoted:
            main = gray
        return Rollout(main_url=main, gray_url=gray, percent=cfg.percent, rollout_id=cfg.id,
                       floor=cfg.percent, active=not cfg.promoted)

    def launch_mix(self) -> LaunchMix | None:
        """How the simulated users of a traffic run launch: the ``[[traffic.launches]]`` the file
        keeps (the Traffic tab's Launches dialog sets them), or None when it keeps none, so the
        caller uses its default (the app's pages/index/index scene 1001, the CLI's launch options).
        Reads :attr:`shown`: the tab asks before the file is validated again, without pydantic."""
        from workbench.core.launch_mix import LaunchMix, LaunchVariant

        rows = getattr(self.shown.traffic, "launches", None) or []
        if not rows:
            return None
        return LaunchMix(tuple(LaunchVariant(row.weight, getattr(row, "path", ""), getattr(row, "query", ""),
                                             getattr(row, "scene", None), getattr(row, "version", ""))
                               for row in rows))

    def population(self, size: int | None = None) -> Population:
        from workbench.core.rollout import Population

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

    def apply_percent(self, percent: float, now: datetime.datetime | None = None) -> RolloutConfig:
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
                import datetime

                from workbench.core.workspace_schema import RolloutStep

                stamp = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
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
            from workbench.core.workspace_schema import RolloutConfig

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
    import platformdirs

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


def open_workspace(arg: str | Path | None, *, appid: str | None = None, new_name: str = DEFAULT_NAME,
                   validate_later: bool = False) -> Workspace:
    """Open the workspace ``--workspace ARG`` means, creating it when it does not exist yet.

    A folder from before workspace files (with ``workbench.sqlite3`` and ``mock.json`` in it) is
    migrated: its database moves into the new data folder and ``mock.json`` into the file.
    ``validate_later``: see :meth:`Workspace.load`.
    """
    if appid is not None:
        from workbench.core.protocol import validate_appid

        appid = validate_appid(appid)  # bad input is refused before anything is created
    path = resolve_path(arg, new_name=new_name)
    if path.exists():
        return Workspace.load(path, validate_later=validate_later)
    from workbench.core.workspace_schema import WorkspaceFile

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
    from pydantic import ValidationError

    from workbench.core.workspace_schema import MockConfigSection, MockUserConfig, without_none

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
            settings=without_none(config),
            users=[MockUserConfig(name=str(u["name"]), openid=str(u.get("openid", ""))) for u in users
                   if isinstance(u, dict) and u.get("name")] or MockConfigSection().users,
            rules=without_none(list(data.get("rules") or [])),
            default=without_none(dict(data.get("default") or {})),
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
