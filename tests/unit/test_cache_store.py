"""The cache and the reads the Mini Program makes (P14-P20), and the workspace database."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.support.servers import APPID
from workbench.core import cache
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput, StoreError
from workbench.core.protocol import FetchType, Identity, Launch, PrefetchRequest, ProtocolSettings
from workbench.core.store import APPLICATION_ID, SCHEMA_VERSION, Store

P16_FIELDS = ["fetchedData", "timeStamp", "path", "query", "scene", "errMsg"]


def req(url: str, **kw) -> PrefetchRequest:
    kw.setdefault("identity", Identity(token="tok"))
    return PrefetchRequest(url=url, appid=APPID, **kw)


async def fetch_into(store: Store, url: str, user: str = "u1", **kw):
    async with PrefetchClient(kw.pop("settings", None)) as client:
        outcome = await client.prefetch(req(url, **kw))
    store.add_outcome(outcome, source="test", user=user, address_kind="main")
    return outcome



async def test_p14_p16_success_object_field_for_field(server, store):
    outcome = await fetch_into(store, server + "/echo",
                               launch=Launch(path="pages/index", query="id=7&来源=qr", scene=1047))
    entry = store.cache_entry(APPID, "u1", "pre")
    ok, result = cache.get_background_fetch_data(entry, "android")
    assert ok
    assert list(result) == P16_FIELDS
    assert result == {
        "fetchedData": outcome.body.decode(),
        "timeStamp": outcome.finished_ms,
        "path": "pages/index",
        "query": "id=7&来源=qr",
        "scene": 1047,
        "errMsg": "getBackgroundFetchData:ok",
    }
    assert isinstance(result["timeStamp"], int) and result["timeStamp"] > 1_600_000_000_000
    # P14 workbench extras
    assert (entry.address_kind, entry.user, entry.size, entry.status) == ("main", "u1", outcome.body_size, 200)



async def test_p15_failed_fetch_keeps_the_previous_entry(server, store):
    first = await fetch_into(store, server + "/size/10")
    failed = await fetch_into(store, server + "/status/500")
    assert not failed.verdict.cached
    entry = store.cache_entry(APPID, "u1", "pre")
    assert entry.fetched_data == "x" * 10 and entry.time_stamp == first.finished_ms
    await fetch_into(store, server + "/size/20")
    assert store.cache_entry(APPID, "u1", "pre").fetched_data == "x" * 20
    assert store.history_count() == 3



async def test_p15_one_entry_per_user_and_fetch_type(server, store):
    await fetch_into(store, server + "/size/1", user="a")
    await fetch_into(store, server + "/size/2", user="b")
    await fetch_into(store, server + "/size/3", user="a", fetch_type=FetchType.PERIODIC)
    keys = [(e.user, e.fetch_type, e.size) for e in store.cache_entries()]
    assert keys == [("a", "periodic", 3), ("a", "pre", 1), ("b", "pre", 2)]



async def test_p17_read_while_in_flight_returns_the_previous_entry(server, server_app, store):
    await fetch_into(store, server + "/size/5")
    previous = store.cache_entry(APPID, "u1", "pre")
    in_flight = asyncio.ensure_future(fetch_into(store, server + "/slow?s=0.5", settings=ProtocolSettings()))
    await asyncio.wait_for(server_app.state.slow_started.wait(), 5)  # the server holds the request
    assert not in_flight.done()
    ok, during = cache.get_background_fetch_data(store.cache_entry(APPID, "u1", "pre"), "android")
    assert ok and during["fetchedData"] == "xxxxx"
    outcome = await in_flight
    ok, after = cache.get_background_fetch_data(store.cache_entry(APPID, "u1", "pre"), "android")
    assert after["fetchedData"] == "late"
    current = store.cache_entry(APPID, "u1", "pre")
    # the same rule as a plain function of time
    arrived = outcome.finished_ms
    assert cache.entry_seen_at(arrived - 1, previous, current, arrived) == ("previous", previous)
    assert cache.entry_seen_at(outcome.finished_ms, previous, current, outcome.finished_ms) == ("current", current)
    assert cache.entry_seen_at(0, None, current, None) == ("none", None)


def test_p18_no_entry_fails_on_android_and_succeeds_empty_on_ios():
    ok, android = cache.get_background_fetch_data(None, "android")
    assert not ok and android["errMsg"].startswith("getBackgroundFetchData:fail")
    ok, ios = cache.get_background_fetch_data(None, "ios")
    assert ok and ios["fetchedData"] == "" and ios["errMsg"] == "getBackgroundFetchData:ok"
    assert list(ios) == P16_FIELDS



async def test_p19_listener_payload_and_when_it_fires(server, store):
    await fetch_into(store, server + "/size/3", launch=Launch(path="p", query="q=1", scene=1001))
    entry = store.cache_entry(APPID, "u1", "pre")
    assert cache.listener_payload(entry) == {
        "fetchType": "pre", "fetchedData": "xxx", "timeStamp": entry.time_stamp,
        "path": "p", "query": "q=1", "scene": 1001,
    }
    assert cache.listener_fires(registered_ms=100, arrived_ms=250, cached=True)
    assert not cache.listener_fires(registered_ms=300, arrived_ms=250, cached=True)  # already finished
    assert not cache.listener_fires(registered_ms=100, arrived_ms=250, cached=False)
    assert not cache.listener_fires(registered_ms=100, arrived_ms=None, cached=False)


def test_p20_token_read_fails_until_one_is_set(store):
    ok, result = cache.get_background_fetch_token(store.token(APPID, "u1"))
    assert not ok and "setBackgroundFetchToken first" in result["errMsg"]
    store.set_token(APPID, "u1", "t-1", now_ms=1)
    assert cache.get_background_fetch_token(store.token(APPID, "u1")) == (
        True, {"token": "t-1", "errMsg": "getBackgroundFetchToken:ok"})
    with pytest.raises(InvalidInput, match="P9"):
        store.set_token(APPID, "u1", "x" * 1025, now_ms=2)



async def test_history_keeps_the_full_request_and_replays_it(server, store):
    outcome = await fetch_into(store, server + "/echo", launch=Launch(query="a=中"))
    record = store.history(store.history_ids()[-1])
    assert record.full_url == outcome.sent.url and record.body == outcome.body
    assert record.params == list(outcome.sent.params)
    assert record.to_request().full_url().split("&timestamp=")[0] == outcome.sent.url.split("&timestamp=")[0]


def test_clear_cache_by_fetch_type_and_all(store):
    with store._transaction() as db:
        for user, ft in (("a", "pre"), ("a", "periodic"), ("b", "pre")):
            db.execute("INSERT INTO cache_entry VALUES (?,?,?,'d',1,'','',0,'main','u',1,200,NULL)", (APPID, user, ft))
    assert store.clear_cache(fetch_type="pre") == 2
    assert [e.fetch_type for e in store.cache_entries()] == ["periodic"]
    assert store.clear_cache() == 1 and store.cache_entries() == []


def test_store_uses_wal_and_records_its_schema_version(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_refuses_a_newer_schema_and_a_damaged_file(workspace):
    newer = workspace / "newer.sqlite3"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")  # a newer workbench's file is still ours
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer Prepull Workbench"):
        Store(newer)
    junk = workspace / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a Prepull Workbench database"):
        Store(junk)
    assert junk.read_bytes() == b"this is not a database" * 100  # nothing lost


def test_migrations_upgrade_an_older_workspace_and_keep_its_data(workspace):
    from workbench.core.store import MIGRATIONS

    path = workspace / "old.sqlite3"
    db = sqlite3.connect(path)
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        db.execute(statement)
    db.execute("INSERT INTO token VALUES (?, 'u', 'kept', 1)", (APPID,))
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    store = Store(path)
    try:
        assert store.schema_version == SCHEMA_VERSION > 1
        assert store.token(APPID, "u") == "kept"
        assert store.mock_request_count() == 0
    finally:
        store.close()
