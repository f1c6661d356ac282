"""The workspace database: what a record keeps, search, keyset pages, bodies stored once, one
connection per thread, migrations, and errors as sentences (issues 9.6, 11, 13)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading

import pytest

from tests.support.outcomes import APPID, traffic_outcomes
from tests.unit.test_har_curl import har_validator
from workbench.core import store as store_module
from workbench.core.errors import StoreBusy, StoreDamaged, StoreError, StoreReadOnly
from workbench.core.har import export_har, parse_har, write_har
from workbench.core.model import Outcome, Reason, SentRequest, Timings, Verdict
from workbench.core.protocol import FetchType, Identity, Launch, PrefetchRequest
from workbench.core.rollout import Population
from workbench.core.store import MIGRATIONS, Store, record_from_outcome, store_error


def outcome(url: str = "http://127.0.0.1:9/p", *, body: bytes = b'{"ok":1}', status: int | None = 200,
            identity: Identity | None = None, launch: Launch | None = None, fetch_type: str = "pre",
            unit: str = "ms", reasons: tuple[Reason, ...] = (), started: int = 1_780_000_000_000,
            sent_url: str | None = None, params: tuple[tuple[str, str], ...] | None = None) -> Outcome:
    request = PrefetchRequest(url=url, appid=APPID, identity=identity or Identity(token="tok-1"),
                              launch=launch or Launch(path="pages/a", query="id=1", scene=1047),
                              fetch_type=FetchType(fetch_type), timestamp_ms=started - 1, timestamp_unit=unit)
    return Outcome(
        request=request,
        sent=SentRequest("GET", sent_url or request.full_url(), params or tuple(request.params()),
                         (("host", "127.0.0.1:9"), ("user-agent", "x"))),
        started_ms=started, finished_ms=started + 7, status=status, reason_phrase="OK" if status else "",
        http_version="HTTP/1.1" if status else "", headers=(("content-type", "application/json"),),
        body=body, body_size=len(body), timings=Timings(0.5, 1.25, 3.125),
        verdict=Verdict(not reasons, reasons))


RECORDS = {
    "plain": outcome(),
    "code, no launch query, no scene": outcome(identity=Identity(code="c0de"), launch=Launch(path="p")),
    "periodic": outcome(fetch_type="periodic"),
    "seconds": outcome(unit="s"),
    "base address with a query": outcome(url="http://127.0.0.1:9/p?v=2&x=%20y"),
    "unicode launch": outcome(launch=Launch(path="pages/详情", query="来源=扫码&a=1 2", scene=1011, version="1.0")),
    "big body, stored apart": outcome(body=b"x" * 5000),
    "not UTF-8": outcome(body=b"caf\xe9", reasons=(Reason.of("not_utf8", offset=3),)),
    "no response": outcome(status=None, body=b"", reasons=(Reason.of("refused", where="127.0.0.1:9"),)),
    "parameters that differ from the launch": outcome(
        sent_url="http://127.0.0.1:9/p?appid=wx0123456789abcdef&extra=1",
        params=(("appid", APPID), ("extra", "1"))),
}


@pytest.mark.parametrize("name", RECORDS)
def test_a_record_comes_back_exactly_as_stored(store, name):
    """The store keeps a row small (labels, packed fields, parameters and URL rebuilt when they
    can be): whatever it saves, the record read back is the one stored, field for field."""
    o = RECORDS[name]
    history_id = store.add_outcome(o, source="cli", user="alice", address_kind="custom")
    expected = dataclasses.replace(record_from_outcome(o, source="cli", user="alice", address_kind="custom"),
                                   id=history_id)
    assert store.history(history_id) == expected
    assert list(store.iter_history()) == [expected]
    item = store.history_page()[0]
    assert (item.full_url, item.token, item.code, item.reasons) == (o.sent.url, expected.token, expected.code,
                                                                   list(o.verdict.reasons))


def test_har_import_goes_through_the_same_mapper(store, tmp_path):
    """Imported records are HistoryRecords stored by the same insert as outcomes."""
    ids = [store.add_outcome(o, source="cli", user="u", address_kind="main") for o in RECORDS.values()]
    records = list(store.iter_history())
    path = tmp_path / "h.har"
    assert write_har(path, iter(records), include_secrets=True) == len(ids)
    har = json.loads(path.read_text())
    har_validator().validate(har)
    assert har == json.loads(json.dumps(export_har(records, include_secrets=True), ensure_ascii=False))
    imported, _ = parse_har(path.read_text())
    new_ids = store.add_imported(imported)
    for before, after in zip(records, (store.history(i) for i in new_ids), strict=True):
        assert (after.full_url, after.body, after.status) == (before.full_url, before.body, before.status)
        assert set(before.params) <= set(after.params)  # an import keeps every parameter of the URL


def test_search_is_a_substring_search_with_wildcards_taken_literally(store):
    for query in ("deal=50%_off", "deal=50xxoff", "deal=5_0"):
        store.add_outcome(outcome(launch=Launch(path="p", query=query)), source="cli", user="bob")
    store.add_outcome(outcome(status=500, reasons=(Reason.of("status", status=500),)), source="traffic",
                      user="carol")

    def found(search: str) -> list[str]:
        return [r.user + ":" + r.full_url.split("query=")[-1].split("&")[0] for r in store.history_page(search)]

    assert len(found("deal")) == 3
    assert found("50%_") == ["bob:deal%3D50%25_off"]  # % and _ are the characters, not LIKE wildcards
    assert found("5_0") == ["bob:deal%3D5_0"]
    assert [r.user for r in store.history_page("CAROL")] == ["carol"]  # case-insensitive, like before
    assert [r.user for r in store.history_page("not-cached")] == ["carol"]
    assert [r.user for r in store.history_page("status")] == ["carol"]  # the verdict code
    assert [r.user for r in store.history_page("cached bob")] == ["bob"] * 3
    assert store.history_page("nothing-like-this") == []
    assert store.history_search_count("deal") == (3, True)
    assert store.history_search_count("deal", cap=2) == (2, False)  # "2+": no walk over every match


def test_keyset_pages_cover_everything_once_newest_first(store):
    store.add_outcomes(traffic_outcomes(Population(size=20), 0, 1234, users=20))
    seen, before = [], None
    while page := store.history_page("", before, 100):
        seen += [r.id for r in page]
        before = page[-1].id
    assert seen == list(range(1234, 0, -1))
    gray, before = [], None
    while page := store.history_page("gray", before, 50):
        gray += [r.id for r in page]
        before = page[-1].id
    assert gray == sorted(gray, reverse=True) and len(gray) == len(set(gray)) == 124
    assert store.history_count() == 1234 and store.history_search_count("gray") == (124, True)


def test_a_big_body_is_stored_once_and_dropped_with_its_last_entry(store):
    body = json.dumps({"pad": "y" * 300_000}).encode()
    ids = store.add_outcomes([(outcome(body=body, started=1000 + i), "traffic", f"u{i}", "main") for i in range(3)])
    db = store._db
    assert db.execute("SELECT count(*), sum(length(data)) FROM blob").fetchone() == (1, len(body))
    assert all(store.history(i).body == body for i in ids)
    store.delete_history(ids[:2])
    assert db.execute("SELECT count(*) FROM blob").fetchone()[0] == 1
    assert store.delete_history_before(10_000) == 1
    assert db.execute("SELECT count(*) FROM blob").fetchone()[0] == 0


def test_the_ui_reads_while_another_thread_holds_a_write(store):
    """9.6: one connection per thread, WAL: a read never waits for a write in progress."""
    entered, release = threading.Event(), threading.Event()

    def writer() -> None:
        with store._write() as db:
            db.execute("INSERT INTO token VALUES (?, 'w', 't', 1)", (APPID,))
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert entered.wait(10)
        result: list[object] = []
        reader = threading.Thread(target=lambda: result.append((store.history_count(), store.token(APPID, "w"))))
        reader.start()
        reader.join(5)
        assert not reader.is_alive() and result == [(0, None)]  # it read the last committed state
    finally:
        release.set()
        thread.join()
    assert store.token(APPID, "w") == "t"


def test_writes_from_many_threads_all_land(store):
    population = Population(size=10)
    batches = [traffic_outcomes(population, i * 50, 50, users=10) for i in range(8)]
    ids: list[int] = []
    lock = threading.Lock()

    def write(batch: list) -> None:
        new = store.add_outcomes(batch)
        with lock:
            ids.extend(new)

    threads = [threading.Thread(target=write, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(ids) == list(range(1, 401)) and store.history_count() == 400


def test_latest_history_finds_a_users_entries_in_stored_order(store):
    for i, (user, ft) in enumerate([("al", "pre"), ("alice", "pre"), ("alice", "periodic"), ("alice", "pre"),
                                    ("malice", "pre")]):
        store.add_outcome(outcome(started=1000 + i, fetch_type=ft), source="cli", user=user)
    assert [r.id for r in store.latest_history(APPID, "alice", "pre")] == [4, 2]
    assert [r.id for r in store.latest_history(APPID, "al", "pre")] == [1]  # under 3 characters
    assert store.latest_history("wx1111111111111111", "alice", "pre") == []


@pytest.mark.parametrize("checked", ["before opening", "in a thread (a big file)"])
def test_migration_3_keeps_every_field_of_older_rows(workspace, monkeypatch, checked):
    """Schema 2 rows (one column a field, JSON lists) come through migration 3 unchanged."""
    if checked != "before opening":
        monkeypatch.setattr(store_module, "CHECK_BEFORE_OPEN_BYTES", 0)
    path = workspace / "old.sqlite3"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        for statement in filter(str.strip, script.split(";")):
            db.execute(statement)
    expected = []
    for i, o in enumerate(RECORDS.values(), 1):
        r = dataclasses.replace(record_from_outcome(o, source="traffic", user=f"u{i}", address_kind="main"), id=i)
        row = dataclasses.asdict(r)
        for key in ("params", "request_headers", "response_headers"):
            row[key] = json.dumps(row[key], ensure_ascii=False)
        row["reasons"] = json.dumps([x.to_json() for x in r.reasons], ensure_ascii=False)
        db.execute(f"INSERT INTO history ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        expected.append(r)
    db.execute("INSERT INTO cache_entry VALUES (?, 'u1', 'pre', 'd', 1, '', '', 0, 'main', 'u', 1, 200, 1)",
               (APPID,))
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()
    store = Store(path)
    try:
        assert list(store.iter_history()) == expected
        assert store.history_count() == len(expected) and store.cache_entry(APPID, "u1", "pre").history_id == 1
        assert [r.user for r in store.history_page("u1")] == ["u10", "u1"]  # the search index was built
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


def test_a_big_file_is_checked_in_a_thread_and_no_write_reaches_it_when_damaged(workspace, monkeypatch):
    from tests.reliability.test_storage_faults import damage_history_pages, digest, filled_workspace

    path = filled_workspace(workspace)
    damage_history_pages(path)
    before = digest(path)
    monkeypatch.setattr(store_module, "CHECK_BEFORE_OPEN_BYTES", 0)
    store = Store(path)  # opens at once: the check runs beside the reads
    try:
        assert store.token(APPID, "alice") == "token-alice"
        with pytest.raises(StoreDamaged, match=r"is damaged .*history recover"):
            store.add_outcomes(traffic_outcomes(Population(size=2), 0, 2, users=2))
        assert store.damaged
    finally:
        store.close()
    assert digest(path) == before


def test_damage_met_while_reading_stops_every_later_write(workspace, monkeypatch):
    """Damage the check did not see (say, in a page it skipped) is found by a read: from then on
    the file is only read."""
    from tests.reliability.test_storage_faults import damage_history_pages, digest, filled_workspace

    path = filled_workspace(workspace)
    damage_history_pages(path)
    before = digest(path)
    monkeypatch.setattr(store_module, "_quick_check", lambda db: None)
    store = Store(path)
    try:
        assert store.damaged is None
        with pytest.raises(StoreDamaged, match="malformed"):
            list(store.iter_history())
        with pytest.raises(StoreDamaged, match="nothing more is written to it"):
            store.set_token(APPID, "bob", "t", 1)
    finally:
        store.close()
    assert digest(path) == before


def test_reading_a_workspace_that_has_no_database_creates_nothing(tmp_path):
    store = Store(tmp_path / "none" / "workbench.sqlite3", readonly=True)
    try:
        assert store.history_count() == 0 and list(store.iter_history()) == []
    finally:
        store.close()
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("exc, kind", [
    (sqlite3.OperationalError("database is locked"), StoreBusy),
    (sqlite3.OperationalError("attempt to write a readonly database"), StoreReadOnly),
    (sqlite3.DatabaseError("database disk image is malformed"), StoreDamaged),
    (sqlite3.DatabaseError("file is not a database"), StoreDamaged),
    (sqlite3.OperationalError("database or disk is full"), StoreError),
    (sqlite3.OperationalError("unable to open database file"), StoreError),
    (PermissionError(13, "Permission denied"), StoreReadOnly),
])
def test_every_sqlite_error_is_one_sentence_of_the_right_kind(tmp_path, exc, kind):
    error = store_error(exc, tmp_path / "w.sqlite3", "store the results")
    assert type(error) is kind
    text = str(error)
    assert text.startswith("Could not store the results: ") and text.endswith(".") and "\n" not in text


def test_closing_while_other_threads_read_waits_for_them_instead_of_crashing(tmp_path):
    """A window closing while a view's thread still reads: closing a connection in use by another
    thread crashed the process (seen in CI as a segmentation fault)."""
    import threading

    from workbench.core.errors import StoreError

    store = Store(tmp_path / "w.sqlite3")
    errors: list[BaseException] = []
    started = threading.Barrier(5)

    def reader() -> None:
        started.wait()
        try:
            for _ in range(2000):
                store.history_count()
                store.cache_entries()
        except StoreError as exc:  # closed meanwhile: said in a sentence, not a crash
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    store.close()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert all("was closed" in str(e) or "interrupted" in str(e).lower() for e in errors)
