"""The workspace database: one SQLite file holding history, cache entries and tokens.

WAL mode so the UI can read while a traffic run writes; ``PRAGMA user_version`` is the schema
version and :data:`MIGRATIONS` brings any older file up to date when it is opened.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.core.errors import StoreError
from workbench.core.model import CacheEntry, HistoryRecord, Outcome, Reason
from workbench.core.protocol import Identity

__all__ = ["CacheEntry", "HistoryRecord", "Store"]

DB_NAME = "workbench.sqlite3"

#: Each entry upgrades the schema by one version; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        started_ms INTEGER NOT NULL,
        finished_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        replay_of INTEGER REFERENCES history(id) ON DELETE SET NULL,
        appid TEXT NOT NULL,
        user TEXT NOT NULL,
        fetch_type TEXT NOT NULL,
        address_kind TEXT NOT NULL,
        url TEXT NOT NULL,
        full_url TEXT NOT NULL,
        params TEXT NOT NULL,
        request_headers TEXT NOT NULL,
        token TEXT,
        code TEXT,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        scene INTEGER,
        version TEXT NOT NULL,
        timestamp_unit TEXT NOT NULL,
        allow_plain_http INTEGER NOT NULL,
        status INTEGER,
        reason_phrase TEXT NOT NULL,
        http_version TEXT NOT NULL,
        response_headers TEXT NOT NULL,
        body BLOB NOT NULL,
        body_size INTEGER NOT NULL,
        body_truncated INTEGER NOT NULL,
        connect_ms REAL,
        first_byte_ms REAL,
        total_ms REAL,
        cached INTEGER NOT NULL,
        reasons TEXT NOT NULL
    );
    CREATE INDEX history_started ON history(started_ms);
    CREATE INDEX history_user ON history(appid, user, fetch_type, started_ms);
    CREATE TABLE cache_entry (
        appid TEXT NOT NULL,
        user TEXT NOT NULL,
        fetch_type TEXT NOT NULL,
        fetched_data TEXT NOT NULL,
        time_stamp INTEGER NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        scene INTEGER NOT NULL,
        address_kind TEXT NOT NULL,
        url TEXT NOT NULL,
        size INTEGER NOT NULL,
        status INTEGER NOT NULL,
        history_id INTEGER REFERENCES history(id) ON DELETE SET NULL,
        PRIMARY KEY (appid, user, fetch_type)
    );
    CREATE TABLE token (
        appid TEXT NOT NULL,
        user TEXT NOT NULL,
        token TEXT NOT NULL,
        set_ms INTEGER NOT NULL,
        PRIMARY KEY (appid, user)
    );
    """,
    """
    CREATE TABLE mock_request (
        id INTEGER PRIMARY KEY,
        time_ms INTEGER NOT NULL,
        endpoint TEXT NOT NULL,
        method TEXT NOT NULL,
        target TEXT NOT NULL,
        params TEXT NOT NULL,
        user TEXT NOT NULL,
        token_state TEXT NOT NULL,
        rule TEXT NOT NULL,
        status INTEGER NOT NULL,
        size INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        fault TEXT NOT NULL,
        request_headers TEXT NOT NULL,
        response_headers TEXT NOT NULL,
        response_body BLOB NOT NULL
    );
    CREATE INDEX mock_request_time ON mock_request(time_ms);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


_HISTORY_COLUMNS = tuple(HistoryRecord.__dataclass_fields__)
_CACHE_COLUMNS = tuple(CacheEntry.__dataclass_fields__)


def _history_from_row(row: sqlite3.Row) -> HistoryRecord:
    d = dict(row)
    d["params"] = [tuple(p) for p in json.loads(d["params"])]
    d["request_headers"] = [tuple(p) for p in json.loads(d["request_headers"])]
    d["response_headers"] = [tuple(p) for p in json.loads(d["response_headers"])]
    d["reasons"] = [Reason.from_json(r) for r in json.loads(d["reasons"])]
    d["allow_plain_http"] = bool(d["allow_plain_http"])
    d["body_truncated"] = bool(d["body_truncated"])
    d["cached"] = bool(d["cached"])
    return HistoryRecord(**d)


class Store:
    """The workspace's SQLite file. Thread-safe: calls may come from ``asyncio.to_thread``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the workspace database {self.path}: {exc}.") from None
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(
                f"The workspace database {self.path} is damaged or is not a workbench database ({exc}): "
                "choose another workspace or move the file away."
            ) from None

    @classmethod
    def in_workspace(cls, workspace: Path | str | None) -> Store:
        """The database of the workspace a file or folder names (as ``--workspace`` does)."""
        from workbench.core.workspace import open_workspace

        return cls(open_workspace(workspace).store_path())

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The workspace database {self.path} was written by a newer Prepull Workbench "
                f"(schema {version}, this one knows {SCHEMA_VERSION}): update the workbench."
            )
        for target, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in filter(str.strip, script.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={target}")

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- history -------------------------------------------------------------------------

    def add_outcome(
        self,
        outcome: Outcome,
        *,
        source: str,
        user: str = "",
        address_kind: str = "",
        replay_of: int | None = None,
    ) -> int:
        """Persist one pre-pull and, when cached, make it the current cache entry (P15)."""
        with self._transaction() as db:
            history_id = self._insert_history(db, outcome, source, user, address_kind, replay_of)
            if outcome.verdict.cached:
                self._put_cache(db, outcome, user, address_kind, history_id)
        return history_id

    def add_outcomes(self, items: Sequence[tuple[Outcome, str, str, str]]) -> list[int]:
        """Persist many (outcome, source, user, address_kind) in one transaction (traffic runs)."""
        ids = []
        with self._transaction() as db:
            for outcome, source, user, address_kind in items:
                hid = self._insert_history(db, outcome, source, user, address_kind, None)
                if outcome.verdict.cached:
                    self._put_cache(db, outcome, user, address_kind, hid)
                ids.append(hid)
        return ids

    @staticmethod
    def _insert_history(
        db: sqlite3.Connection, o: Outcome, source: str, user: str, address_kind: str, replay_of: int | None,
    ) -> int:
        r = o.request
        row = {
            "started_ms": o.started_ms,
            "finished_ms": o.finished_ms,
            "source": source,
            "replay_of": replay_of,
            "appid": r.appid,
            "user": user,
            "fetch_type": str(r.fetch_type),
            "address_kind": address_kind,
            "url": r.url,
            "full_url": o.sent.url,
            "params": json.dumps(o.sent.params, ensure_ascii=False),
            "request_headers": json.dumps(o.sent.headers, ensure_ascii=False),
            "token": r.identity.token,
            "code": r.identity.code,
            "path": r.launch.path,
            "query": r.launch.query,
            "scene": r.launch.scene,
            "version": r.launch.version,
            "timestamp_unit": str(r.timestamp_unit),
            "allow_plain_http": int(r.allow_plain_http),
            "status": o.status,
            "reason_phrase": o.reason_phrase,
            "http_version": o.http_version,
            "response_headers": json.dumps(o.headers, ensure_ascii=False),
            "body": o.body,
            "body_size": o.body_size,
            "body_truncated": int(o.body_truncated),
            "connect_ms": o.timings.connect_ms,
            "first_byte_ms": o.timings.first_byte_ms,
            "total_ms": o.timings.total_ms,
            "cached": int(o.verdict.cached),
            "reasons": json.dumps([x.to_json() for x in o.verdict.reasons], ensure_ascii=False),
        }
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        return db.execute(f"INSERT INTO history ({cols}) VALUES ({marks})", row).lastrowid

    @staticmethod
    def _put_cache(db: sqlite3.Connection, o: Outcome, user: str, address_kind: str, history_id: int) -> None:
        r = o.request
        entry = CacheEntry(
            appid=r.appid,
            user=user,
            fetch_type=str(r.fetch_type),
            fetched_data=o.body.decode("utf-8"),
            time_stamp=o.finished_ms,
            path=r.launch.path,
            query=r.launch.query,
            scene=r.launch.scene if r.launch.scene is not None else 0,
            address_kind=address_kind,
            url=r.url,
            size=o.body_size,
            status=o.status or 0,
            history_id=history_id,
        )
        cols = ", ".join(_CACHE_COLUMNS)
        marks = ", ".join(f":{k}" for k in _CACHE_COLUMNS)
        db.execute(f"INSERT OR REPLACE INTO cache_entry ({cols}) VALUES ({marks})",
                   {k: getattr(entry, k) for k in _CACHE_COLUMNS})

    def history(self, history_id: int) -> HistoryRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM history WHERE id = ?", (history_id,)).fetchone()
        return _history_from_row(row) if row else None

    def history_ids(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT id FROM history ORDER BY id")]

    def history_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM history").fetchone()[0]

    LIST_COLUMNS = ("id", "started_ms", "source", "replay_of", "appid", "user", "fetch_type", "address_kind",
                    "full_url", "scene", "status", "body_size", "total_ms", "cached", "reasons", "token", "code")

    def history_page(self, offset: int, limit: int, search: str = "") -> list[sqlite3.Row]:
        """Newest first, without bodies (the table loads pages lazily); search spans URL, status,
        verdict, scene, user, source."""
        where, args = self._search_clause(search)
        with self._lock:
            return self._db.execute(
                f"SELECT {', '.join(self.LIST_COLUMNS)} FROM history {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                (*args, limit, offset)).fetchall()

    def history_search_count(self, search: str = "") -> int:
        where, args = self._search_clause(search)
        with self._lock:
            return self._db.execute(f"SELECT count(*) FROM history {where}", args).fetchone()[0]

    @staticmethod
    def _search_clause(search: str) -> tuple[str, tuple[Any, ...]]:
        terms = search.split()
        if not terms:
            return "", ()
        parts, args = [], []
        for term in terms:
            lowered = term.lower()
            if lowered in ("cached", "not-cached", "uncached"):
                parts.append("cached = ?")
                args.append(1 if lowered == "cached" else 0)
                continue
            like = f"%{term}%"
            parts.append("(full_url LIKE ? OR CAST(status AS TEXT) = ? OR CAST(scene AS TEXT) = ? OR user LIKE ? "
                         "OR source LIKE ? OR reasons LIKE ? OR path LIKE ? OR query LIKE ?)")
            args += [like, term, term, like, like, like, like, like]
        return "WHERE " + " AND ".join(parts), tuple(args)

    def delete_history(self, ids: Sequence[int]) -> int:
        with self._transaction() as db:
            return db.executemany("DELETE FROM history WHERE id = ?", [(i,) for i in ids]).rowcount

    def delete_history_before(self, before_ms: int) -> int:
        """"Clear older than": drop entries started before ``before_ms`` (cache entries stay)."""
        with self._transaction() as db:
            return db.execute("DELETE FROM history WHERE started_ms < ?", (before_ms,)).rowcount

    def add_imported(self, records: Sequence[dict[str, Any]]) -> list[int]:
        """Insert history rows built by an importer (HAR); they never touch the cache."""
        ids = []
        with self._transaction() as db:
            for row in records:
                cols = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                ids.append(db.execute(f"INSERT INTO history ({cols}) VALUES ({marks})", row).lastrowid)
        return ids

    def latest_history(self, appid: str, user: str, fetch_type: str, limit: int = 20) -> list[HistoryRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM history WHERE appid = ? AND user = ? AND fetch_type = ? "
                "ORDER BY started_ms DESC, id DESC LIMIT ?",
                (appid, user, fetch_type, limit),
            ).fetchall()
        return [_history_from_row(r) for r in rows]

    # -- cache ---------------------------------------------------------------------------

    def cache_entry(self, appid: str, user: str, fetch_type: str) -> CacheEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM cache_entry WHERE appid = ? AND user = ? AND fetch_type = ?",
                (appid, user, str(fetch_type)),
            ).fetchone()
        return CacheEntry(**dict(row)) if row else None

    def cache_entries(self) -> list[CacheEntry]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM cache_entry ORDER BY appid, user, fetch_type").fetchall()
        return [CacheEntry(**dict(r)) for r in rows]

    def clear_cache(self, *, appid: str | None = None, user: str | None = None,
                    fetch_type: str | None = None) -> int:
        """Remove cache entries matching every given field ("clear data cache" / "clear all")."""
        where, args = [], []
        for col, val in (("appid", appid), ("user", user), ("fetch_type", fetch_type)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(str(val))
        sql = "DELETE FROM cache_entry" + (" WHERE " + " AND ".join(where) if where else "")
        with self._transaction() as db:
            return db.execute(sql, args).rowcount

    # -- the mock server's request log ----------------------------------------------------

    def add_mock_requests(self, records: Sequence[Any]) -> None:
        """Persist a batch of mock-server request logs (one transaction: cheap at 1,000/s)."""
        rows = [(r.time_ms, r.endpoint, r.method, r.target, json.dumps(r.params, ensure_ascii=False), r.user,
                 r.token_state, r.rule, r.status, r.size, r.latency_ms, r.fault,
                 json.dumps(r.request_headers), json.dumps(r.response_headers), r.response_body) for r in records]
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO mock_request (time_ms, endpoint, method, target, params, user, token_state, rule, "
                "status, size, latency_ms, fault, request_headers, response_headers, response_body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def mock_request_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM mock_request").fetchone()[0]

    # -- tokens (P5, P20) ----------------------------------------------------------------

    def set_token(self, appid: str, user: str, token: str, now_ms: int) -> None:
        Identity(token=token)  # validates P9
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO token (appid, user, token, set_ms) VALUES (?, ?, ?, ?)",
                       (appid, user, token, now_ms))

    def token_set_ms(self, appid: str, user: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT set_ms FROM token WHERE appid = ? AND user = ?", (appid, user)).fetchone()
        return row[0] if row else None

    def token(self, appid: str, user: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT token FROM token WHERE appid = ? AND user = ?", (appid, user)).fetchone()
        return row[0] if row else None
