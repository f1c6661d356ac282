"""The workspace database: one SQLite file holding history, cache entries and tokens.

- WAL mode, and one connection per thread, so the UI reads while a traffic run writes. Writes are
  serialized: one lock in this process, ``BEGIN IMMEDIATE`` against other processes, and a busy
  database is waited for (:data:`WRITE_WAIT_S`) rather than losing a finished result.
- ``PRAGMA user_version`` is the schema version; :data:`MIGRATIONS` brings an older file up to
  date. ``PRAGMA application_id`` marks the file as ours: a foreign SQLite file is refused before
  anything writes to it, and stays byte-identical.
- Every sqlite3 error becomes one :class:`~workbench.core.errors.StoreError` sentence in
  :func:`store_error`. A damaged file is never written again; :meth:`Store.recover` copies what
  can be read into a new file.
- The database and its folder are private (600/700) from the first byte written.
- History stays small at a million rows: the columns the list shows and searches are plain, the
  rest of a row is packed (:func:`pack_detail`); bodies over :data:`BODY_INLINE_MAX` are stored
  once, by their SHA-256, in ``blob``; search uses an FTS5 trigram index; pages are keyset pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workbench.core.errors import StoreBusy, StoreDamaged, StoreError, StoreReadOnly
from workbench.core.model import CacheEntry, HistoryRecord, Outcome, Reason
from workbench.core.protocol import Identity, encode_component

__all__ = ["CacheEntry", "HistoryItem", "HistoryRecord", "Store", "record_from_outcome"]

DB_NAME = "workbench.sqlite3"
#: ``PRAGMA application_id`` of a workspace database ("PPWB"): a file without it is not ours.
APPLICATION_ID = 0x50505742
#: How long a write waits for another program that holds the database before giving up.
WRITE_WAIT_S = 30.0
#: SQLite waits this long inside one attempt; between attempts the store can say it is waiting.
BUSY_STEP_S = 1.0
#: Bodies up to this size stay in their history row; bigger ones are stored once in ``blob``.
BODY_INLINE_MAX = 1024
#: Filtered counts stop here: "10,000+ entries" instead of counting a million matches.
COUNT_CAP = 10_000
#: Databases up to this size are checked (``PRAGMA quick_check``) before the store opens them for
#: writing; bigger ones are checked in a thread while the store reads, and writes wait for it.
CHECK_BEFORE_OPEN_BYTES = 64 * 1024 * 1024


# -- errors: every sqlite3 error becomes one sentence here ------------------------------------


def _kind(exc: BaseException) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text or "is busy" in text:
        return "busy"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "readonly"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return "damaged"
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return "full"
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in text:
        return "closed"
    if name.startswith("SQLITE_INTERRUPT") or "interrupted" in text:
        return "closed"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "cantopen"
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return "damaged"  # a bare DatabaseError: SQLite found something it cannot read
    return "other"


def _recover_hint(path: Path) -> str:
    return (f"save what can still be read with `prepull-workbench history recover --to NEW_FILE "
            f"--workspace {path.parent}` (or `history export`), then use the new file")


def store_error(exc: BaseException, path: Path, doing: str, wait_s: float = WRITE_WAIT_S) -> StoreError:
    """The one sentence for a sqlite3 (or OS) error met while ``doing`` something with ``path``."""
    detail = str(exc).rstrip(".") or type(exc).__name__
    kind = _kind(exc)
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        detail = exc.strerror or detail
        if isinstance(exc, PermissionError):
            kind = "readonly"
    if kind == "busy":
        return StoreBusy(f"Could not {doing}: the workspace database {path} is held by another program for more "
                         f"than {wait_s:g} s; close that program (or wait until it finishes) and try again.")
    if kind == "readonly":
        return StoreReadOnly(f"Could not {doing}: the workspace database {path} is read-only ({detail}); make "
                             "the file and its folder writable, or use another workspace.")
    if kind == "damaged":
        return StoreDamaged(f"Could not {doing}: the workspace database {path} is damaged ({detail}); nothing more "
                            f"is written to it: {_recover_hint(path)}.")
    if kind == "full":
        return StoreError(f"Could not {doing}: the disk holding {path} is full; free some space and try again.")
    if kind == "closed":
        return StoreError(f"Could not {doing}: the workspace database {path} is already closed.")
    if kind == "cantopen":
        return StoreError(f"Could not {doing}: the workspace database {path} cannot be opened ({detail}); check "
                          "that its folder exists and is yours.")
    return StoreError(f"Could not {doing}: the workspace database {path} failed ({detail}).")


# -- the schema ------------------------------------------------------------------------------

def _label(column: str) -> str:
    """SQL for the text of a label column (``source_id`` -> the source's text)."""
    return f"(SELECT text FROM label WHERE id = {column})"


#: The text the search index holds for one history row (``{p}`` is ``new.``, ``old.`` or
#: ``history.``). Tokens, codes and the timestamp stay out: they are secrets or noise, and they
#: would double the index. Changing it needs a migration that rebuilds ``history_search``.
_SEARCH_TEXT = " || ' ' || ".join((
    _label("{p}source_id"), "{p}user", _label("{p}address_kind_id"), "ifnull({p}status, '')",
    "ifnull({p}scene, '')", _label("{p}url_id"), _label("{p}path_id"), "{p}query", "{p}codes"))


def _migrate_3(db: sqlite3.Connection) -> None:
    """History at a million rows (issue 13) and bounded bodies (issue 11). Plain columns are only
    what the list shows, searches and filters; repeated strings (source, appid, address, path...)
    are labels; the rest of a row is packed (:func:`pack_detail`); a body over
    :data:`BODY_INLINE_MAX` is stored once in ``blob`` by its hash; a trigram index, kept by
    triggers, finds substrings."""
    _run_script(db, """
        CREATE TABLE label (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL UNIQUE
        );
        CREATE TABLE blob (
            id INTEGER PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            data BLOB NOT NULL
        );
        CREATE TABLE history_v3 (
            id INTEGER PRIMARY KEY,
            started_ms INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            replay_of INTEGER REFERENCES history(id) ON DELETE SET NULL,
            appid_id INTEGER NOT NULL,
            user TEXT NOT NULL,
            fetch_type_id INTEGER NOT NULL,
            address_kind_id INTEGER NOT NULL,
            url_id INTEGER NOT NULL,
            path_id INTEGER NOT NULL,
            query TEXT NOT NULL,
            scene INTEGER,
            status INTEGER,
            body_size INTEGER NOT NULL,
            cached INTEGER NOT NULL,
            codes TEXT NOT NULL,
            body_id INTEGER,
            detail BLOB NOT NULL
        );
    """)
    labels: dict[str, int] = {}
    old = db.execute("SELECT * FROM history ORDER BY id")
    old.row_factory = sqlite3.Row
    while batch := old.fetchmany(500):
        _insert(db, [_record_from_v1_row(r) for r in batch], labels, keep_ids=True, table="history_v3")
    _run_script(db, f"""
        DROP TABLE history;
        ALTER TABLE history_v3 RENAME TO history;
        CREATE INDEX history_replay ON history(replay_of) WHERE replay_of IS NOT NULL;
        CREATE INDEX history_body ON history(body_id) WHERE body_id IS NOT NULL;
        CREATE INDEX cache_entry_history ON cache_entry(history_id);
        CREATE VIEW history_text(id, text) AS SELECT id, {_SEARCH_TEXT.format(p='history.')} FROM history;
        CREATE VIRTUAL TABLE history_search USING fts5(
            text, content='history_text', content_rowid='id', tokenize='trigram', detail=none, columnsize=0);
        INSERT INTO history_search(history_search) VALUES ('rebuild');
        CREATE TABLE history_total (n INTEGER NOT NULL);
        INSERT INTO history_total SELECT count(*) FROM history;
        CREATE TRIGGER history_insert AFTER INSERT ON history BEGIN
            INSERT INTO history_search(rowid, text) VALUES (new.id, {_SEARCH_TEXT.format(p='new.')});
            UPDATE history_total SET n = n + 1;
        END;
        CREATE TRIGGER history_delete AFTER DELETE ON history BEGIN
            INSERT INTO history_search(history_search, rowid, text)
            VALUES ('delete', old.id, {_SEARCH_TEXT.format(p='old.')});
            UPDATE history_total SET n = n - 1;
        END;
        CREATE TRIGGER history_search_update AFTER UPDATE ON history BEGIN
            INSERT INTO history_search(history_search, rowid, text)
            VALUES ('delete', old.id, {_SEARCH_TEXT.format(p='old.')});
            INSERT INTO history_search(rowid, text) VALUES (new.id, {_SEARCH_TEXT.format(p='new.')});
        END;
    """)
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction (``executescript`` would
    commit it first); a statement ends where SQLite says it is complete (triggers hold ';')."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


#: How long close() waits for operations other threads are running (interrupted) to end.
CLOSE_WAIT_S = 10.0

#: Each entry upgrades the schema by one version; never edit one that has shipped. An entry is
#: SQL, or a function for a migration that converts rows (it runs inside the transaction).
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
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
    _migrate_3,
)
SCHEMA_VERSION = len(MIGRATIONS)
#: The tables a workspace database of any version has; a file without them is not ours.
_OUR_TABLES = {"history", "cache_entry", "token"}


# -- one history row <-> one HistoryRecord ---------------------------------------------------

#: The columns of a stored row, in the order :func:`_insert` fills them.
_STORED_COLUMNS = ("id", "started_ms", "source_id", "replay_of", "appid_id", "user", "fetch_type_id",
                   "address_kind_id", "url_id", "path_id", "query", "scene", "status", "body_size", "cached", "codes",
                   "body_id", "detail")
#: What a read returns, in the same order, labels as their text (see :func:`record_from_row`).
_READ_COLUMNS = tuple(_label("h." + c) if c.endswith("_id") and c != "body_id" else "h." + c
                      for c in _STORED_COLUMNS)
#: A history row: the list's line (``_SELECT_ITEM``), and with the stored body (``_SELECT_RECORD``).
_SELECT_ITEM = f"SELECT {', '.join(_READ_COLUMNS)} FROM history h"
_SELECT_RECORD = f"SELECT {', '.join(_READ_COLUMNS)}, b.data FROM history h LEFT JOIN blob b ON b.id = h.body_id"
_LABEL_COLUMNS = ("source", "appid", "fetch_type", "address_kind", "url", "path")

#: Deflate dictionary for :func:`pack_detail`: what the packed part of a row usually holds, so a
#: row's headers and reasons cost a few bytes. Version 1: never change it (add a version).
_DETAIL_DICT_1 = (
    b'"Not Found","Internal Server Error","Bad Gateway","Service Unavailable","Found","Moved Permanently",'
    b'["x-powered-by","Express"],["server","nginx"],["transfer-encoding","chunked"],["vary","Accept-Encoding"],'
    b'["content-encoding","gzip"],["cache-control","no-cache"],["server","uvicorn"],["location","https://'
    b'{"code":"status","message":"The server answered ","key":"status","args":[["status",""]]},'
    b'{"code":"too_large","message":"The body is  bytes (KB), over the 262,144 bytes (256.0 KB) limit (P12), so it '
    b'is not cached: send less data.","key":"too_large","args":[["size",""],["limit","262,144 bytes (256.0 KB)"]]},'
    b'{"code":"timeout","message":"No complete response within the  s timeout (P11), so nothing is cached: make the '
    b'server answer faster.","key":"timeout","args":[["timeout","5"]]},'
    b'{"code":"refused","message":"The connection to 127.0.0.1: was refused: no server is listening there; start '
    b'the server or fix the port.","key":"refused","args":[["where",""]]},'
    b'[["host","127.0.0.1:8765"],["accept","*/*"],["accept-encoding","gzip, deflate, br"],["connection","close"],'
    b'["user-agent","PrepullWorkbench/0.1.0 (simulating the WeChat pre-pull client)"]]'
    # a typical row last: the nearer a match, the fewer bits it costs
    b'[3,null,null,"",null,0,"","ms",0,"OK","HTTP/1.1",[["host","127.0.0.1:8765"],["accept","*/*"],'
    b'["accept-encoding","gzip, deflate, br"],["connection","keep-alive"],'
    b'["user-agent","PrepullWorkbench/0.1.0 (simulating the WeChat pre-pull client)"]],'
    b'[["date","Thu, 01 Jan 2026 00:00:00 GMT"],["content-length",""],["content-type","application/json"]],'
    b'0,0.412,1.873,2.905,[]]\x00{"'
)
_DETAIL_DICTS = {1: _DETAIL_DICT_1}


def pack_detail(fields: list[Any], body: bytes = b"") -> bytes:
    """The packed part of a history row: compact JSON, then a NUL and a small body, deflated with
    a shared dictionary. One version byte first, so a later dictionary can come without touching
    old rows."""
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, zdict=_DETAIL_DICT_1)
    return b"\x01" + packer.compress(text + b"\x00" + body) + packer.flush()


def unpack_detail(data: bytes) -> tuple[list[Any], bytes]:
    """(fields, small body) of :func:`pack_detail`'s output (JSON never holds a raw NUL)."""
    unpacker = zlib.decompressobj(-15, zdict=_DETAIL_DICTS[data[0]])
    text, _, body = (unpacker.decompress(data[1:]) + unpacker.flush()).partition(b"\x00")
    return json.loads(text), body


def _timestamp_delta(timestamp: str | None, started_ms: int, unit: str) -> int | str | None:
    """The timestamp parameter as sent, kept as its (small) distance from the start when it is a
    plain number; else as it was."""
    if timestamp is None or not (timestamp.isascii() and timestamp.isdigit()) or str(int(timestamp)) != timestamp:
        return timestamp
    return int(timestamp) - (started_ms // 1000 if unit == "s" else started_ms)


def _timestamp_of(kept: int | str | None, started_ms: int, unit: str) -> str | None:
    if not isinstance(kept, int):
        return kept
    return str(kept + (started_ms // 1000 if unit == "s" else started_ms))


def _guess_params(appid: str, token: str | None, code: str | None, timestamp: str | None, path: str, query: str,
                  scene: int | None, version: str, fetch_type: str) -> list[tuple[str, str]]:
    """The parameters a pre-pull built from these fields carries (P2-P7, P21). Only a guess to
    save space: a row whose parameters differ keeps them explicitly."""
    out = [("appid", appid)]
    if token is not None:
        out.append(("token", token))
    elif code is not None and fetch_type == "pre":
        out.append(("code", code))
    if timestamp is not None:
        out.append(("timestamp", timestamp))
    if fetch_type == "periodic":
        return out
    for key, value in (("path", path), ("query", query), ("scene", "" if scene is None else str(scene)),
                       ("customMiniprogramVersion", version)):
        if value:
            out.append((key, value))
    return out


def _guess_full_url(url: str, params: Sequence[tuple[str, str]]) -> str:
    sep = "&" if "?" in url and urlsplit(url).query else ("" if url.endswith("?") else "?")
    return url + sep + "&".join(f"{encode_component(k)}={encode_component(v)}" for k, v in params)


def _insert(db: sqlite3.Connection, records: Sequence[HistoryRecord], labels: dict[str, int], *,
            keep_ids: bool = False, table: str = "history") -> list[int]:
    """Insert records in one ``executemany``. Ids count on from the highest (the transaction holds
    the write lock, so no one else takes them); ``keep_ids`` keeps the records' own (recover,
    migrations). ``labels`` caches label ids: valid as long as the transaction commits."""
    if keep_ids:
        ids = [r.id for r in records]
    else:
        first = (db.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1
        ids = list(range(first, first + len(records)))
    known: dict[bytes, int] = {}

    def label(text: str) -> int:
        found = labels.get(text)
        if found is None:
            row = db.execute("SELECT id FROM label WHERE text = ?", (text,)).fetchone()
            found = labels[text] = int(row[0] if row else db.execute("INSERT INTO label (text) VALUES (?)",
                                                                     (text,)).lastrowid or 0)
        return found

    rows = []
    for r, history_id in zip(records, ids, strict=True):
        params = [(str(k), str(v)) for k, v in r.params]
        timestamp = next((v for k, v in params if k == "timestamp"), None)
        guessed = _guess_params(r.appid, r.token, r.code, timestamp, r.path, r.query, r.scene, r.version,
                                r.fetch_type)
        params_kept = None if params == guessed else params
        full_url_kept = None if r.full_url == _guess_full_url(r.url, params) else r.full_url
        small = len(r.body) <= BODY_INLINE_MAX
        detail = pack_detail([
            r.finished_ms - r.started_ms, full_url_kept, params_kept, r.token, r.code,
            _timestamp_delta(timestamp, r.started_ms, r.timestamp_unit), r.version, r.timestamp_unit,
            int(r.allow_plain_http), r.reason_phrase, r.http_version, r.request_headers, r.response_headers,
            int(r.body_truncated), r.connect_ms, r.first_byte_ms, r.total_ms, [x.to_json() for x in r.reasons],
        ], r.body if small else b"")
        rows.append((history_id, r.started_ms, label(r.source), r.replay_of, label(r.appid), r.user,
                     label(r.fetch_type), label(r.address_kind), label(r.url), label(r.path), r.query, r.scene,
                     r.status, r.body_size, int(r.cached), " ".join(x.code for x in r.reasons),
                     None if small else _blob_id(db, r.body, known), detail))
    db.executemany(f"INSERT INTO {table} ({', '.join(_STORED_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * len(_STORED_COLUMNS))})", rows)
    return ids


def _detail_fields(row: Sequence[Any], d: list[Any]) -> dict[str, Any]:
    """The fields of a record that come from its packed part (``row`` in _READ_COLUMNS order)."""
    (finished_delta, full_url, params, token, code, timestamp, version, unit, plain, reason_phrase, http_version,
     request_headers, response_headers, truncated, connect_ms, first_byte_ms, total_ms, reasons) = d
    started, appid, fetch_type, url, path, query, scene = row[1], row[4], row[6], row[8], row[9], row[10], row[11]
    if params is None:
        params = _guess_params(appid, token, code, _timestamp_of(timestamp, started, unit), path, query, scene,
                               version, fetch_type)
    params = [tuple(p) for p in params]
    return {
        "finished_ms": started + finished_delta,
        "full_url": full_url if full_url is not None else _guess_full_url(url, params),
        "params": params, "token": token, "code": code, "version": version, "timestamp_unit": unit,
        "allow_plain_http": bool(plain), "reason_phrase": reason_phrase, "http_version": http_version,
        "request_headers": [tuple(p) for p in request_headers],
        "response_headers": [tuple(p) for p in response_headers],
        "body_truncated": bool(truncated), "connect_ms": connect_ms, "first_byte_ms": first_byte_ms,
        "total_ms": total_ms, "reasons": [Reason.from_json(x) for x in reasons],
    }


def record_from_row(row: Sequence[Any], body: bytes | None = None) -> HistoryRecord:
    """The one mapper from a history row (``_SELECT_RECORD``: the columns, then a stored body's
    data) to a record. ``body`` gives a stored body read separately."""
    fields, small = unpack_detail(row[17])
    if row[16] is None:
        body = small
    elif body is None:
        body = row[18] if len(row) > 18 and row[18] is not None else b""
    return HistoryRecord(
        id=row[0], started_ms=row[1], source=row[2], replay_of=row[3], appid=row[4], user=row[5],
        fetch_type=row[6], address_kind=row[7], url=row[8], path=row[9], query=row[10], scene=row[11],
        status=row[12], body_size=row[13], cached=bool(row[14]), body=bytes(body), **_detail_fields(row, fields),
    )


def record_from_outcome(o: Outcome, *, source: str, user: str = "", address_kind: str = "",
                        replay_of: int | None = None) -> HistoryRecord:
    """What the history keeps of one pre-pull (its id is given when it is stored)."""
    r = o.request
    return HistoryRecord(
        id=0, started_ms=o.started_ms, finished_ms=o.finished_ms, source=str(source), replay_of=replay_of,
        appid=r.appid, user=user, fetch_type=str(r.fetch_type), address_kind=str(address_kind), url=r.url,
        full_url=o.sent.url, params=list(o.sent.params), request_headers=list(o.sent.headers),
        token=r.identity.token, code=r.identity.code, path=r.launch.path, query=r.launch.query,
        scene=r.launch.scene, version=r.launch.version, timestamp_unit=str(r.timestamp_unit),
        allow_plain_http=r.allow_plain_http, status=o.status, reason_phrase=o.reason_phrase,
        http_version=o.http_version, response_headers=list(o.headers), body=o.body, body_size=o.body_size,
        body_truncated=o.body_truncated, connect_ms=o.timings.connect_ms, first_byte_ms=o.timings.first_byte_ms,
        total_ms=o.timings.total_ms, cached=o.verdict.cached, reasons=list(o.verdict.reasons),
    )


def cache_entry_from_outcome(o: Outcome, user: str, address_kind: str, history_id: int | None) -> CacheEntry:
    """The entry a cached pre-pull becomes (P14, P15)."""
    r = o.request
    return CacheEntry(
        appid=r.appid, user=user, fetch_type=str(r.fetch_type), fetched_data=o.body.decode("utf-8"),
        time_stamp=o.finished_ms, path=r.launch.path, query=r.launch.query,
        scene=r.launch.scene if r.launch.scene is not None else 0, address_kind=str(address_kind), url=r.url,
        size=o.body_size, status=o.status or 0, history_id=history_id,
    )


def _record_from_v1_row(row: sqlite3.Row) -> HistoryRecord:
    """A row of schema versions 1-2 (one column per field, JSON lists) as a record."""
    d = dict(row)
    for key in ("params", "request_headers", "response_headers"):
        d[key] = [tuple(p) for p in json.loads(d[key])]
    d["reasons"] = [Reason.from_json(r) for r in json.loads(d["reasons"])]
    for key in ("allow_plain_http", "body_truncated", "cached"):
        d[key] = bool(d[key])
    d["body"] = bytes(d["body"])
    return HistoryRecord(**d)


def _blob_id(db: sqlite3.Connection, body: bytes, known: dict[bytes, int]) -> int:
    """The id of ``body`` in ``blob``, stored there once (content-addressed by SHA-256)."""
    digest = hashlib.sha256(body).digest()
    blob_id = known.get(digest)
    if blob_id is None:
        row = db.execute("SELECT id FROM blob WHERE hash = ?", (digest,)).fetchone()
        blob_id = known[digest] = int(row[0] if row else db.execute(
            "INSERT INTO blob (hash, data) VALUES (?, ?)", (digest, body)).lastrowid or 0)
    return blob_id


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One line of the history list: what the table shows, without the body."""

    id: int
    started_ms: int
    source: str
    replay_of: int | None
    appid: str
    user: str
    fetch_type: str
    address_kind: str
    full_url: str
    token: str | None
    code: str | None
    scene: int | None
    status: int | None
    body_size: int
    body_truncated: bool
    total_ms: float | None
    cached: bool
    reasons: list[Reason]


def _item_from_row(row: Sequence[Any]) -> HistoryItem:
    """A list line from a row of ``_SELECT_ITEM``."""
    d = _detail_fields(row, unpack_detail(row[17])[0])
    return HistoryItem(id=row[0], started_ms=row[1], source=row[2], replay_of=row[3], appid=row[4], user=row[5],
                       fetch_type=row[6], address_kind=row[7], full_url=d["full_url"], token=d["token"],
                       code=d["code"], scene=row[11], status=row[12], body_size=row[13],
                       body_truncated=d["body_truncated"], total_ms=d["total_ms"], cached=bool(row[14]),
                       reasons=d["reasons"])


def _like_escape_free(term: str) -> str:
    """A LIKE pattern for ``term`` the trigram index can use. FTS5 ignores ESCAPE, so ``%`` and ``_``
    stay wildcards here (a superset); :meth:`Store._search_clause` checks those terms exactly."""
    return f"%{term}%"


# -- the store -------------------------------------------------------------------------------

#: Why a store opened with ``readonly=True`` refuses writes.
OPENED_READ_ONLY = "opened for reading only"

#: Database files that stores of this process have open, by (device, inode): how many stores.
#: Python must not open and close such a file itself: closing any descriptor of a file drops every
#: POSIX lock the process holds on it, SQLite's included, and another process (a traffic run's)
#: then believes it is the last one open, checkpoints and deletes the write-ahead log under our
#: connections ("database disk image is malformed"). SQLite's own connections share their locks.
_OPEN_HERE: dict[tuple[int, int], int] = {}
_OPEN_HERE_LOCK = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


class Store:
    """The workspace's SQLite file. Thread-safe: every thread gets its own connection.

    ``readonly=True`` opens it for reading only (export, recover): nothing in the file changes,
    and a damaged file can still be read as far as it goes. ``wait_s`` is how long a write waits
    for another program holding the file; ``on_wait`` is told once when a write starts waiting.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False, wait_s: float = WRITE_WAIT_S,
                 on_wait: Callable[[str], None] | None = None, refusal: str | None = None) -> None:
        self.path = Path(path)
        #: With ``readonly``: the sentence a refused write raises instead of the advice to make the
        #: file writable (a window that only looks at a workspace another window has open).
        self.refusal = refusal
        self.wait_s = wait_s
        self.on_wait = on_wait
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        #: operations running now, in any thread: close() waits for them (closing a connection
        #: another thread is using crashes the process)
        self._users = 0
        self._use_cond = threading.Condition()
        self._write_lock = threading.Lock()
        #: Label ids known to be in the file (labels are never deleted; cleared on a rollback).
        self._labels: dict[str, int] = {}
        self._closed = False
        #: Why writes are refused (a sentence), or None.
        self._readonly: str | None = OPENED_READ_ONLY if readonly else None
        self._damaged: str | None = None
        self._checked = threading.Event()
        self._check_thread: threading.Thread | None = None
        self._uri: str | None = None  # set when the file is opened read-only
        self._open_here: tuple[int, int] | None = None
        self._open(readonly)
        self._register_open()

    @classmethod
    def in_workspace(cls, workspace: Path | str | None, **kwargs: Any) -> Store:
        """The database of the workspace a file or folder names (as ``--workspace`` does)."""
        from workbench.core.workspace import open_workspace

        return cls(open_workspace(workspace).store_path(), **kwargs)

    # -- opening ----------------------------------------------------------------------------

    def _open(self, readonly: bool) -> None:
        path = self.path
        exists = path.exists() and path.stat().st_size > 0
        if not exists and readonly:
            # nothing to read: an empty database in memory answers every read with nothing
            self._uri = f"file:empty-{id(self)}?mode=memory&cache=shared"
            self._keep_empty = self._conn()
            _run_script(self._keep_empty, "".join(m for m in MIGRATIONS if isinstance(m, str)))
            self._checked.set()
            return
        if exists:
            self._probe()  # refuses a foreign file before anything can write to it
        else:
            self._checked.set()  # a new file: nothing to check
        writable = not readonly and _writable(path) and self._damaged is None
        if not writable:  # (a damaged file is only read: not even switched to WAL)
            self._open_readonly(OPENED_READ_ONLY if readonly else "damaged" if self._damaged else
                                "the file or its folder cannot be written")
            return
        try:
            if not exists:
                self._create_private()
            else:
                _make_private(path)
            db = self._conn()
            db.execute("PRAGMA journal_mode=WAL")
            _make_private(path)  # -wal and -shm exist now
            self._start_check()  # a big file: checked in a thread; writes (and migrations) wait for it
            self._migrate(db)
        except sqlite3.Error as exc:
            error = store_error(exc, path, "open the workspace database", self.wait_s)
            self.close()
            if isinstance(error, StoreReadOnly):
                self._reopen_readonly(str(exc))
                return
            raise error from None
        except OSError as exc:
            self.close()
            raise store_error(exc, path, "create the workspace database", self.wait_s) from None
        except StoreError:
            self.close()
            raise

    def _start_check(self) -> None:
        if self._checked.is_set() or self._check_thread is not None:
            return
        self._check_thread = threading.Thread(target=self._check_in_thread, name="store-quick-check", daemon=True)
        self._check_thread.start()

    def _reopen_readonly(self, why: str) -> None:
        self._closed = False
        self._open_readonly(why)

    def _create_private(self) -> None:
        """Create the folder (700) and an empty file (600) before SQLite writes a byte to it."""
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            folder.chmod(0o700)  # mkdir's mode goes through the umask
        fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        self.path.chmod(0o600)

    def _register_open(self) -> None:
        key = _file_key(self.path) if self._uri is None or "mode=memory" not in self._uri else None
        if key is not None:
            with _OPEN_HERE_LOCK:
                _OPEN_HERE[key] = _OPEN_HERE.get(key, 0) + 1
            self._open_here = key

    def _unregister_open(self) -> None:
        key, self._open_here = self._open_here, None
        if key is not None:
            with _OPEN_HERE_LOCK:
                left = _OPEN_HERE.get(key, 1) - 1
                if left > 0:
                    _OPEN_HERE[key] = left
                else:
                    _OPEN_HERE.pop(key, None)

    def _probe(self) -> None:
        """Read-only look at an existing file: ours, foreign, or unreadable? Checked before the
        file is opened for writing (switching to WAL rewrites the header of a foreign file)."""
        path = self.path
        key = _file_key(path)
        with _OPEN_HERE_LOCK:
            open_here = key is not None and key in _OPEN_HERE
        if open_here:  # another store of this process has it open: it is ours, and Python must
            header = b"SQLite format 3\x00"  # not open and close it (see _OPEN_HERE)
        else:
            try:
                with path.open("rb") as f:
                    header = f.read(100)
            except OSError as exc:
                raise store_error(exc, path, "open the workspace database", self.wait_s) from None
        if not header.startswith(b"SQLite format 3\x00"):
            raise StoreDamaged(f"{path} is not a Prepull Workbench database (not an SQLite file): it is left as it "
                               "is; choose another workspace or move the file away.")
        db = None
        try:
            db = _connect_readonly(path)
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            small = path.stat().st_size <= CHECK_BEFORE_OPEN_BYTES
            problem = _quick_check(db) if small and app_id in (0, APPLICATION_ID) else None
        except sqlite3.Error as exc:
            raise store_error(exc, path, "open the workspace database", self.wait_s) from None
        finally:
            if db is not None:
                db.close()
        ours = app_id == APPLICATION_ID or (app_id == 0 and (
            tables >= _OUR_TABLES or (not tables and version == 0)))
        if not ours:
            raise StoreDamaged(f"{path} is not a Prepull Workbench database (another program's SQLite file): it "
                               "is left as it is; choose another workspace or move the file away.")
        if version > SCHEMA_VERSION:
            raise StoreError(f"The workspace database {path} was written by a newer Prepull Workbench (schema "
                             f"{version}, this one knows {SCHEMA_VERSION}): update the workbench.")
        if small:
            self._set_checked(problem)

    def _open_readonly(self, why: str) -> None:
        self._readonly = why
        path = self.path
        self._uri = f"file:{_uri_path(path)}?mode=ro"
        try:
            db = self._conn()
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            self.close()
            self._closed = False
            if _kind(exc) not in ("readonly", "cantopen"):
                raise store_error(exc, path, "open the workspace database", self.wait_s) from None
            # a WAL file in a folder that cannot be written: read the file as it is on disk
            self._uri = f"file:{_uri_path(path)}?mode=ro&immutable=1"
            try:
                self._conn().execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc2:
                self.close()
                raise store_error(exc2, path, "open the workspace database", self.wait_s) from None
        self._start_check()

    def _check_in_thread(self) -> None:
        try:
            db = _connect_readonly(self.path) if self._uri is None else sqlite3.connect(
                self._uri, uri=True, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            self._set_checked(str(exc))
            return
        self._check_db = db
        try:
            result = _quick_check(db)
        except sqlite3.Error as exc:
            result = None if _kind(exc) == "closed" else str(exc)
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        self._set_checked(result)

    def _set_checked(self, problem: str | None) -> None:
        if problem is not None and self._damaged is None:
            self._damaged = problem
        self._checked.set()

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"The workspace database {self.path} was written by a newer Prepull Workbench (schema "
                             f"{version}, this one knows {SCHEMA_VERSION}): update the workbench.")
        if version == SCHEMA_VERSION:
            return
        self._wait_checked()
        db.execute("PRAGMA foreign_keys=OFF")  # a migration rebuilds tables; it checks the keys itself
        try:
            with self._write("upgrade the workspace database") as w:
                version = w.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
                for target, step in enumerate(MIGRATIONS[version:], start=version + 1):
                    if callable(step):
                        step(w)
                    else:
                        _run_script(w, step)
                    w.execute(f"PRAGMA user_version={target}")
                if w.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise StoreDamaged(f"The workspace database {self.path} has broken references and was not "
                                       f"upgraded: {_recover_hint(self.path)}.")
                w.execute(f"PRAGMA application_id={APPLICATION_ID}")
        finally:
            db.execute("PRAGMA foreign_keys=ON")

    # -- connections and transactions --------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (made on first use)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            return db
        if self._closed:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        step = min(BUSY_STEP_S, self.wait_s)  # SQLite's own wait, one attempt of _begin's
        if self._uri is not None:
            db = sqlite3.connect(self._uri, uri=True, check_same_thread=False, isolation_level=None, timeout=step)
        else:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=step)
            db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        self._local.db = db
        with self._connections_lock:
            self._connections.append(db)
        return db

    @property
    def _db(self) -> sqlite3.Connection:
        return self._conn()

    @property
    def schema_version(self) -> int:
        with self._reading("read the schema version") as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    @property
    def damaged(self) -> str | None:
        """Why the file is damaged (SQLite's words), once a check or a read found out; else None."""
        return self._damaged

    @property
    def readonly(self) -> str | None:
        """Why the store cannot write (a phrase), or None."""
        return self._readonly

    def _wait_checked(self) -> None:
        self._checked.wait()

    def require_writable(self) -> None:
        """Raise the store's error now if a write would fail anyway: a command calls this before it
        sends anything, so nothing is sent that cannot be kept."""
        if self._damaged is None and self._readonly is None:
            self._wait_checked()
        if self._damaged is not None:
            raise StoreDamaged(f"The workspace database {self.path} is damaged ({self._damaged}); nothing more is "
                               f"written to it: {_recover_hint(self.path)}.")
        if self._readonly is not None:
            if self.refusal and self._readonly == OPENED_READ_ONLY:
                raise StoreReadOnly(self.refusal)
            raise StoreReadOnly(f"The workspace database {self.path} is read-only ({self._readonly}); make the file "
                                "and its folder writable, or use another workspace.")

    @contextmanager
    def _in_use(self) -> Iterator[None]:
        """Count an operation as running, so that close() waits for it to end."""
        with self._use_cond:
            if self._closed:
                raise StoreError(f"The workspace database {self.path} was closed (the window or command that "
                                 "opened it has ended).")
            self._users += 1
        try:
            yield
        finally:
            with self._use_cond:
                self._users -= 1
                self._use_cond.notify_all()

    @contextmanager
    def _reading(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._in_use():
            try:
                yield self._conn()
            except sqlite3.Error as exc:
                raise self._error(exc, doing) from None

    def _error(self, exc: BaseException, doing: str) -> StoreError:
        error = store_error(exc, self.path, doing, self.wait_s)
        if isinstance(error, StoreDamaged) and self._damaged is None:
            self._damaged = str(exc)
        return error

    @contextmanager
    def _write(self, doing: str = "write to the workspace database") -> Iterator[sqlite3.Connection]:
        """One write transaction: serialized in this process, ``BEGIN IMMEDIATE`` against others,
        waiting up to ``wait_s`` for a busy file. Refused on a read-only or damaged file."""
        self.require_writable()
        with self._in_use(), self._write_lock:
            try:
                db = self._conn()
                self._begin(db)
            except sqlite3.Error as exc:
                raise self._error(exc, doing) from None
            try:
                yield db
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                self._labels.clear()  # labels made in this transaction are gone
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc, doing) from None
                raise
            try:
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                self._labels.clear()
                raise self._error(exc, doing) from None

    # kept for tests and tools that write directly
    _transaction = _write

    def _begin(self, db: sqlite3.Connection) -> None:
        deadline = time.monotonic() + self.wait_s
        told = False
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if _kind(exc) != "busy" or time.monotonic() >= deadline:
                    raise
                if not told and self.on_wait is not None:
                    told = True
                    self.on_wait(f"The workspace database {self.path} is busy (another program is writing to "
                                 f"it); waiting up to {self.wait_s:g} s to store the result…")

    def close(self) -> None:
        """Close every thread's connection (and stop a running check). Safe to call twice."""
        self._closed = True
        check = getattr(self, "_check_db", None)
        if check is not None:
            with contextlib.suppress(sqlite3.Error):
                check.interrupt()
        if self._check_thread is not None and self._check_thread is not threading.current_thread():
            self._check_thread.join()
        with self._connections_lock:
            running = list(self._connections)
        with self._use_cond:
            if self._users:
                for db in running:  # a query another thread runs ends at once, with an error it reports
                    with contextlib.suppress(sqlite3.Error):
                        db.interrupt()
                self._use_cond.wait_for(lambda: self._users == 0, timeout=CLOSE_WAIT_S)
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for db in connections:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        self._local = threading.local()
        self._unregister_open()  # last: until now our connections hold the file's locks

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- history -------------------------------------------------------------------------

    def add_outcome(self, outcome: Outcome, *, source: str, user: str = "", address_kind: str = "",
                    replay_of: int | None = None) -> int:
        """Persist one pre-pull and, when cached, make it the current cache entry (P15)."""
        return self.add_outcomes([(outcome, source, user, address_kind)], replay_of=replay_of)[0]

    def add_outcomes(self, items: Sequence[tuple[Outcome, str, str, str]], *,
                     replay_of: int | None = None) -> list[int]:
        """Persist many (outcome, source, user, address_kind) in one transaction (traffic runs)."""
        records = [record_from_outcome(o, source=s, user=u, address_kind=k, replay_of=replay_of)
                   for o, s, u, k in items]
        with self._write("store the results") as db:
            ids = _insert(db, records, self._labels)
            latest: dict[tuple[str, str, str], CacheEntry] = {}
            for (o, _source, user, kind), history_id in zip(reversed(items), reversed(ids), strict=True):
                key = (o.request.appid, user, str(o.request.fetch_type))
                if o.verdict.cached and key not in latest:  # the last cached one is the entry (P15)
                    latest[key] = cache_entry_from_outcome(o, user, kind, history_id)
            if latest:
                db.executemany(f"INSERT OR REPLACE INTO cache_entry ({', '.join(_CACHE_COLUMNS)}) "
                               f"VALUES ({', '.join('?' * len(_CACHE_COLUMNS))})",
                               [tuple(getattr(e, c) for c in _CACHE_COLUMNS) for e in latest.values()])
        return ids

    def add_imported(self, records: Sequence[HistoryRecord]) -> list[int]:
        """Insert records built by an importer (HAR); they never touch the cache."""
        with self._write("store the imported entries") as db:
            return _insert(db, records, self._labels)

    def history(self, history_id: int) -> HistoryRecord | None:
        with self._reading("read the history") as db:
            row = db.execute(_SELECT_RECORD + " WHERE h.id = ?", (history_id,)).fetchone()
            return record_from_row(row) if row else None

    def history_ids(self) -> list[int]:
        with self._reading("read the history") as db:
            return [r[0] for r in db.execute("SELECT id FROM history ORDER BY id")]

    def iter_history(self, ids: Sequence[int] | None = None, *, batch: int = 32,
                     skipped: list[int] | None = None) -> Iterator[HistoryRecord]:
        """Every record (or those of ``ids``), oldest first, a few at a time: memory stays bounded
        however long the history is, and records that share a stored body share one bytes object.
        With ``skipped`` (a list), rows that cannot be read are left out and their ids appended to
        it instead of failing: a damaged file is read as far as it goes."""
        blobs: dict[int, bytes] = {}
        if ids is not None:
            wanted = sorted(set(ids))
            for start in range(0, len(wanted), batch):
                chunk = wanted[start:start + batch]
                keep = set(chunk)
                for lo, hi in _runs(chunk):
                    yield from (r for r in self._read_range(lo, hi, skipped, blobs) if r.id in keep)
            return
        lo, hi = self._id_bounds(skipped is not None)
        for start in range(lo, hi + 1, batch):
            yield from self._read_range(start, min(start + batch - 1, hi), skipped, blobs)

    def _id_bounds(self, tolerant: bool) -> tuple[int, int]:
        with self._reading("read the history") as db:
            try:
                lo, hi = db.execute("SELECT min(id), max(id) FROM history").fetchone()
                return (lo or 1), (hi or 0)
            except sqlite3.DatabaseError:
                if not tolerant:
                    raise
                # the ends of the table are unreadable: try every id the file could hold
                return 1, db.execute("PRAGMA page_count").fetchone()[0] * 150

    def _read_range(self, lo: int, hi: int, skipped: list[int] | None,
                    blobs: dict[int, bytes]) -> list[HistoryRecord]:
        with self._reading("read the history") as db:
            old_format = "detail" not in {r[1] for r in db.execute("PRAGMA table_info(history)")}
            select = "SELECT * FROM history h" if old_format else _SELECT_ITEM
            if old_format:  # a file of schema 1-2, opened read-only
                db.row_factory = sqlite3.Row
            try:
                rows = db.execute(f"{select} WHERE h.id BETWEEN ? AND ? ORDER BY h.id", (lo, hi)).fetchall() \
                    if skipped is None else list(_tolerant_rows(db, select, "h.id", lo, hi, skipped))
            finally:
                db.row_factory = None
            if old_format:
                return [_record_from_v1_row(r) for r in rows]
            return [self._with_body(db, r, skipped is not None, blobs) for r in rows]

    @staticmethod
    def _with_body(db: sqlite3.Connection, row: Sequence[Any], tolerant: bool,
                   blobs: dict[int, bytes]) -> HistoryRecord:
        body_id = row[16]
        if body_id is None:
            return record_from_row(row)
        body = blobs.get(body_id)
        if body is None:
            try:
                found = db.execute("SELECT data FROM blob WHERE id = ?", (body_id,)).fetchone()
            except sqlite3.DatabaseError:
                if not tolerant:
                    raise
                found = None
            if found is None:  # unreadable (or lost): the record keeps an empty body, marked cut
                from dataclasses import replace

                return replace(record_from_row(row, b""), body_truncated=True)
            if len(blobs) >= 4:
                blobs.clear()
            body = blobs[body_id] = bytes(found[0])
        return record_from_row(row, body)

    def history_count(self) -> int:
        """How many entries the history holds (kept by triggers: no count over a million rows)."""
        with self._reading("count the history") as db:
            if self._readonly is not None and not _has_table(db, "history_total"):
                return int(db.execute("SELECT count(*) FROM history").fetchone()[0])  # an older file, read-only
            return int(db.execute("SELECT n FROM history_total").fetchone()[0])

    def history_page(self, search: str = "", before_id: int | None = None, limit: int = 200) -> list[HistoryItem]:
        """Newest first, ``limit`` entries older than ``before_id`` (keyset paging: a deep page
        costs what the first does), without bodies. Search is a substring search of URL, path,
        query, status, scene, user, source and verdict codes; ``cached``/``not-cached`` filter."""
        where, args, fts = self._search_clause(search)
        # with a search, the index walks its row ids newest first and stops after ``limit`` matches
        key = "s.rowid" if fts else "h.id"
        if before_id is not None:
            where.append(f"{key} < ?")
            args.append(before_id)
        sql = _SELECT_ITEM.replace("FROM history h", "FROM history_search s JOIN history h ON h.id = s.rowid") \
            if fts else _SELECT_ITEM
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {key} DESC LIMIT ?"
        with self._reading("read the history") as db:
            return [_item_from_row(r) for r in db.execute(sql, (*args, limit))]

    def history_search_count(self, search: str = "", cap: int = COUNT_CAP) -> tuple[int, bool]:
        """(how many entries match, exact?). A count past ``cap`` stops there: the view says
        "10,000+" rather than walking a million rows on every refresh."""
        where, args, fts = self._search_clause(search)
        if not where:
            return self.history_count(), True
        with self._reading("count the history") as db:
            sql = "SELECT 1 FROM " + ("history_search s JOIN history h ON h.id = s.rowid" if fts else "history h")
            sql += " WHERE " + " AND ".join(where)
            n = db.execute(f"SELECT count(*) FROM ({sql} LIMIT ?)", (*args, cap + 1)).fetchone()[0]
        return (cap, False) if n > cap else (n, True)

    @staticmethod
    def _search_clause(search: str) -> tuple[list[str], list[Any], bool]:
        where: list[str] = []
        args: list[Any] = []
        fts = False
        for term in search.split():
            lowered = term.lower()
            if lowered in ("cached", "not-cached", "uncached"):
                where.append("h.cached = ?")
                args.append(1 if lowered == "cached" else 0)
                continue
            fts = True
            where.append("s.text LIKE ?")
            args.append(_like_escape_free(term))
            if "%" in term or "_" in term:
                # the index treats them as wildcards: keep only the rows that hold the term itself
                where.append("instr(lower(s.text), ?) > 0")
                args.append(lowered)
        return where, args, fts

    def delete_history(self, ids: Sequence[int]) -> int:
        with self._write("delete history entries") as db:
            n = db.executemany("DELETE FROM history WHERE id = ?", [(i,) for i in ids]).rowcount
            self._drop_unused_blobs(db)
            return n

    def delete_history_before(self, before_ms: int) -> int:
        """"Clear older than": drop entries started before ``before_ms`` (cache entries stay)."""
        with self._write("clear old history entries") as db:
            n = db.execute("DELETE FROM history WHERE started_ms < ?", (before_ms,)).rowcount
            self._drop_unused_blobs(db)
            return n

    @staticmethod
    def _drop_unused_blobs(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM blob WHERE id NOT IN (SELECT body_id FROM history WHERE body_id IS NOT NULL)")

    def latest_history(self, appid: str, user: str, fetch_type: str, limit: int = 20) -> list[HistoryRecord]:
        """The user's newest entries, in the order they were stored (the order the cache saw them).
        The search index finds the user's rows (there is no index on users: it would cost 50 bytes
        a row); a name under 3 characters is looked for row by row."""
        where = (f"h.user = ? AND {_label('h.appid_id')} = ? AND {_label('h.fetch_type_id')} = ?")
        args: list[Any] = [user, appid, str(fetch_type)]
        if len(user) >= 3:
            sql = (_SELECT_RECORD.replace("FROM history h", "FROM history_search s JOIN history h ON h.id = s.rowid")
                   + f" WHERE s.text LIKE ? AND {where} ORDER BY s.rowid DESC LIMIT ?")
            args.insert(0, _like_escape_free(user))
        else:
            sql = _SELECT_RECORD + f" WHERE {where} ORDER BY h.id DESC LIMIT ?"
        with self._reading("read the history") as db:
            return [record_from_row(r) for r in db.execute(sql, (*args, limit)).fetchall()]

    # -- cache ---------------------------------------------------------------------------

    def cache_entry(self, appid: str, user: str, fetch_type: str) -> CacheEntry | None:
        with self._reading("read the cache") as db:
            row = db.execute(f"SELECT {', '.join(_CACHE_COLUMNS)} FROM cache_entry "
                             "WHERE appid = ? AND user = ? AND fetch_type = ?",
                             (appid, user, str(fetch_type))).fetchone()
        return CacheEntry(*row) if row else None

    def cache_entries(self) -> list[CacheEntry]:
        with self._reading("read the cache") as db:
            rows = db.execute(f"SELECT {', '.join(_CACHE_COLUMNS)} FROM cache_entry "
                              "ORDER BY appid, user, fetch_type").fetchall()
        return [CacheEntry(*r) for r in rows]

    def clear_cache(self, *, appid: str | None = None, user: str | None = None,
                    fetch_type: str | None = None) -> int:
        """Remove cache entries matching every given field ("clear data cache" / "clear all")."""
        where, args = [], []
        for col, val in (("appid", appid), ("user", user), ("fetch_type", fetch_type)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(str(val))
        sql = "DELETE FROM cache_entry" + (" WHERE " + " AND ".join(where) if where else "")
        with self._write("clear the cache") as db:
            return db.execute(sql, args).rowcount

    # -- the mock server's request log ----------------------------------------------------

    def add_mock_requests(self, records: Sequence[Any]) -> None:
        """Persist a batch of mock-server request logs (one transaction: cheap at 1,000/s)."""
        rows = [(r.time_ms, r.endpoint, r.method, r.target, json.dumps(r.params, ensure_ascii=False), r.user,
                 r.token_state, r.rule, r.status, r.size, r.latency_ms, r.fault,
                 json.dumps(r.request_headers), json.dumps(r.response_headers), r.response_body) for r in records]
        with self._write("store the mock server's log") as db:
            db.executemany(
                "INSERT INTO mock_request (time_ms, endpoint, method, target, params, user, token_state, rule, "
                "status, size, latency_ms, fault, request_headers, response_headers, response_body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def mock_request_count(self) -> int:
        with self._reading("read the mock server's log") as db:
            return int(db.execute("SELECT count(*) FROM mock_request").fetchone()[0])

    # -- tokens (P5, P20) ----------------------------------------------------------------

    def set_token(self, appid: str, user: str, token: str, now_ms: int) -> None:
        Identity(token=token)  # validates P9
        with self._write("store the token") as db:
            db.execute("INSERT OR REPLACE INTO token (appid, user, token, set_ms) VALUES (?, ?, ?, ?)",
                       (appid, user, token, now_ms))

    def token_set_ms(self, appid: str, user: str) -> int | None:
        with self._reading("read the token") as db:
            row = db.execute("SELECT set_ms FROM token WHERE appid = ? AND user = ?", (appid, user)).fetchone()
        return row[0] if row else None

    def token(self, appid: str, user: str) -> str | None:
        with self._reading("read the token") as db:
            row = db.execute("SELECT token FROM token WHERE appid = ? AND user = ?", (appid, user)).fetchone()
        return row[0] if row else None

    # -- recovery ----------------------------------------------------------------------------

    @classmethod
    def recover(cls, source: Path | str, target: Path | str) -> dict[str, int]:
        """Copy everything readable of ``source`` (damaged, say) into a new database ``target``.
        The source is only read. Returns how many rows each table got, and ``unreadable``: how
        many history ids could not be read (an upper bound: a lost page hides which ids it held)."""
        target = Path(target)
        if not Path(source).exists():
            raise StoreError(f"There is no workspace database at {source} to recover.")
        if target.exists():
            raise StoreError(f"{target} already exists: recover into a new file.")
        src = cls(source, readonly=True)
        try:
            out = cls(target)
        except BaseException:
            src.close()
            raise
        counts: dict[str, int] = {}
        try:
            skipped: list[int] = []
            n = 0
            batch: list[HistoryRecord] = []
            for record in src.iter_history(skipped=skipped):
                batch.append(record)
                if len(batch) >= 256:
                    n += len(batch)
                    with out._write("write the recovered history") as db:
                        _insert(db, batch, out._labels, keep_ids=True)
                    batch = []
            if batch:
                n += len(batch)
                with out._write("write the recovered history") as db:
                    _insert(db, batch, out._labels, keep_ids=True)
            counts["history"] = n
            counts["unreadable"] = len(skipped)
            with src._reading("read the workspace database") as sdb:
                tables = {r[0] for r in sdb.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in ("cache_entry", "token", "mock_request"):
                counts[table] = cls._copy_table(src, out, table) if table in tables else 0
        finally:
            src.close()
            out.close()
        return counts

    @staticmethod
    def _copy_table(src: Store, out: Store, table: str) -> int:
        with src._reading(f"read {table}") as sdb:
            columns = [r[1] for r in sdb.execute(f"PRAGMA table_info({table})")]
            try:
                hi = sdb.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
            except sqlite3.DatabaseError:
                hi = sdb.execute("PRAGMA page_count").fetchone()[0] * 150
            skipped: list[int] = []
            rows = list(_tolerant_rows(sdb, f"SELECT {', '.join(columns)} FROM {table}", "rowid", 1, hi, skipped))
        with out._write(f"write the recovered {table}") as db:
            db.executemany(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
                           f"VALUES ({', '.join('?' * len(columns))})", [tuple(r) for r in rows])
        return len(rows)


_CACHE_COLUMNS = tuple(CacheEntry.__dataclass_fields__)


def _runs(ids: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted ids as (first, last) ranges of consecutive ids."""
    it = iter(ids)
    first = next(it, None)
    if first is None:
        return
    start = prev = first
    for i in it:
        if i == prev + 1:
            prev = i
        else:
            yield start, prev
            start = prev = i
    yield start, prev


def _tolerant_rows(db: sqlite3.Connection, select: str, key: str, lo: int, hi: int, skipped: list[int],
                   step: int = 512) -> Iterator[Any]:
    """Rows of ``select`` with ``key`` in lo..hi, in order; a range that cannot be read is split in
    halves down to single keys, read by equality (a range read steps past its last row, into the
    damaged page next to it), and the keys that still fail are appended to ``skipped``."""
    for start in range(lo, hi + 1, step):
        stack = [(start, min(start + step - 1, hi))]
        while stack:
            a, b = stack.pop()
            try:
                if a == b:
                    rows = db.execute(f"{select} WHERE {key} = ?", (a,)).fetchall()
                else:
                    rows = db.execute(f"{select} WHERE {key} BETWEEN ? AND ? ORDER BY {key}", (a, b)).fetchall()
            except sqlite3.DatabaseError as exc:
                if _kind(exc) not in ("damaged", "other"):
                    raise
                if a == b:
                    skipped.append(a)
                    continue
                mid = (a + b) // 2
                stack += [(mid + 1, b), (a, mid)]
                continue
            yield from rows


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _quick_check(db: sqlite3.Connection) -> str | None:
    """None when SQLite's quick check finds the file sound; else its first complaint."""
    row = db.execute("PRAGMA quick_check(1)").fetchone()
    if row and row[0] == "ok":
        return None
    return " ".join(str(row[0]).replace("*** in database main ***", "").split()) if row else "no answer from the check"


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (falls back to ``immutable`` when SQLite could not
    even read a WAL file without writing beside it)."""
    uri = f"file:{_uri_path(path)}?mode=ro"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=BUSY_STEP_S)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        db.close()
        if _kind(exc) not in ("readonly", "cantopen"):
            raise
    return sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False, isolation_level=None)


def _writable(path: Path) -> bool:
    """Can this process write the file and create its -wal/-shm beside it?"""
    folder = path.parent
    if path.exists():
        if not os.access(path, os.W_OK):
            return False
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists() and not os.access(side, os.W_OK):
                return False
        return os.access(folder, os.W_OK)
    existing = folder
    while not existing.exists():
        existing = existing.parent
    return os.access(existing, os.W_OK)


def _make_private(path: Path) -> None:
    """600 for the database and its -wal/-shm (an older workbench made them 644)."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            if stat.S_IMODE(p.stat().st_mode) & 0o077:
                p.chmod(0o600)

