"""Periodic entries carry no launch (P21) and may expire (P24, a setting)."""

from __future__ import annotations

import pytest

from tests.e2e.test_cli_fetch import run_cli
from tests.support.servers import APPID
from workbench.core import cache
from workbench.core.client import PrefetchClient
from workbench.core.diagnose import why_empty
from workbench.core.model import CacheEntry
from workbench.core.protocol import FetchType, Identity, Launch, PrefetchRequest, ProtocolSettings
from workbench.core.store import Store

LAUNCH = Launch(path="pages/x", query="k=v", scene=1047, version="1.0.0")


def periodic_entry(time_stamp: int = 1_700_000_000_000, **kw) -> CacheEntry:
    values = dict(appid=APPID, user="alice", fetch_type="periodic", fetched_data="{}", time_stamp=time_stamp,
                  path="", query="", scene=0, address_kind="periodic", url="http://127.0.0.1/periodic", size=2,
                  status=200, history_id=None)
    values.update(kw)
    return CacheEntry(**values)


def test_p21_a_periodic_request_has_no_launch_even_if_given_one():
    request = PrefetchRequest(url="http://127.0.0.1/p", appid=APPID, identity=Identity(token="t"),
                              fetch_type=FetchType.PERIODIC, launch=LAUNCH)
    assert request.launch == Launch()
    assert [k for k, _ in request.params()] == ["appid", "token", "timestamp"]


async def test_p21_periodic_cache_entry_never_stores_launch_fields(server, store: Store):
    request = PrefetchRequest(url=server + "/echo", appid=APPID, identity=Identity(token="t"),
                              fetch_type=FetchType.PERIODIC, launch=LAUNCH)
    async with PrefetchClient() as client:
        outcome = await client.prefetch(request)
    store.add_outcome(outcome, source="cli", user="alice", address_kind="periodic")
    entry = store.cache_entry(APPID, "alice", "periodic")
    assert (entry.path, entry.query, entry.scene) == ("", "", 0)
    success, result = cache.get_background_fetch_data(entry, "android")
    assert success and (result["path"], result["query"], result["scene"]) == ("", "", 0)
    assert result["fetchedData"] == outcome.body.decode()
    record = store.history(store.history_ids()[-1])
    assert (record.path, record.query, record.scene, record.version) == ("", "", None, "")


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_p21_the_read_api_reports_no_launch_for_an_older_periodic_entry(platform):
    """An entry an older version stored with launch fields still reads as the protocol doc assumes."""
    entry = periodic_entry(path="pages/x", query="k=v", scene=1047)
    success, result = cache.get_background_fetch_data(entry, platform)
    assert success and (result["path"], result["query"], result["scene"]) == ("", "", 0)
    payload = cache.listener_payload(entry)
    assert (payload["path"], payload["query"], payload["scene"]) == ("", "", 0)


async def test_p21_fetch_refuses_launch_options_for_periodic(server, workspace):
    code, out, err = await run_cli("fetch", server + "/echo", "--appid", APPID, "--token", "t",
                                   "--fetch-type", "periodic", "--path", "pages/x", "--query", "k=v",
                                   "--scene", "1047", "--workspace", str(workspace), "--json")
    assert code == 2 and out == ""
    assert "P21" in err and "--path, --query, --scene" in err and err.count("\n") == 1
    store = Store.in_workspace(workspace)
    try:
        assert store.history_count() == 0
    finally:
        store.close()


async def test_p21_fetch_periodic_reports_the_assumed_read_result(server, workspace):
    code, out, err = await run_cli("fetch", server + "/echo", "--appid", APPID, "--token", "t",
                                   "--fetch-type", "periodic", "--workspace", str(workspace), "--json")
    assert code == 0, err
    import json

    result = json.loads(out)["result"]
    assert (result["path"], result["query"], result["scene"]) == ("", "", 0)


def test_p24_periodic_entries_never_expire_by_default():
    entry = periodic_entry()
    far = entry.time_stamp + 10 * 365 * 24 * cache.HOUR_MS
    assert cache.get_background_fetch_data(entry, "android", settings=ProtocolSettings(), now_ms=far)[0]


@pytest.mark.parametrize(("platform", "success"), [("android", False), ("ios", True)])
def test_p24_an_expired_periodic_entry_reads_as_missing(platform, success):
    entry = periodic_entry()
    settings = ProtocolSettings(periodic_expiry_h=2)
    just_before = entry.time_stamp + 2 * cache.HOUR_MS - 1
    assert cache.get_background_fetch_data(entry, platform, settings=settings, now_ms=just_before)[1][
        "fetchedData"] == "{}"
    at_expiry = entry.time_stamp + 2 * cache.HOUR_MS
    assert cache.is_expired(entry, settings, at_expiry)
    assert cache.get_background_fetch_data(entry, platform, settings=settings, now_ms=at_expiry) == \
        cache.missing_result(platform)
    assert cache.get_background_fetch_data(entry, platform, settings=settings, now_ms=at_expiry)[0] is success
    # pre-pull entries are not periodic data: the periodic expiry does not touch them
    pre = periodic_entry(fetch_type="pre")
    assert not cache.is_expired(pre, settings, at_expiry)


async def test_p24_why_empty_names_the_expiry(server, store: Store):
    request = PrefetchRequest(url=server + "/echo", appid=APPID, identity=Identity(token="t"),
                              fetch_type=FetchType.PERIODIC)
    async with PrefetchClient() as client:
        outcome = await client.prefetch(request)
    store.add_outcome(outcome, source="periodic", user="alice", address_kind="periodic")
    store.set_token(APPID, "alice", "t", 0)
    settings = ProtocolSettings(periodic_expiry_h=1)
    later = outcome.finished_ms + cache.HOUR_MS
    assert why_empty(store, APPID, "alice", "periodic", settings=ProtocolSettings(), now_ms=later) == []
    causes = why_empty(store, APPID, "alice", "periodic", settings=settings, now_ms=later)
    assert [c.key for c in causes] == ["periodic_expired"]
    assert "expired after 1 hours (P24" in causes[0].message
