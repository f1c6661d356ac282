"""Why the cache is empty (each cause from a real scenario against the mock), and the periodic
cadence on a simulated clock (P21-P23)."""

from __future__ import annotations

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.diagnose import why_empty
from workbench.core.periodic import DAY_MS, HOUR_MS, periodic_decision
from workbench.core.protocol import Identity, PrefetchRequest, ProtocolSettings
from workbench.core.simulator import cold_start


async def send(store, url, user="alice", token="token-alice", kind="main", timeout=5.0):
    async with PrefetchClient(ProtocolSettings(timeout_s=timeout)) as client:
        outcome = await client.prefetch(PrefetchRequest(url=url, appid=APPID, identity=Identity(token=token)))
    store.add_outcome(outcome, source="test", user=user, address_kind=kind)
    return outcome


def keys(causes):
    return [c.key for c in causes]


async def test_not_enabled_is_minus_10007(store):
    causes = why_empty(store, APPID, "alice", prefetch_enabled=False)
    assert keys(causes) == ["not_enabled"] and causes[0].message.startswith("-10007 no permission")


async def test_never_sent_and_no_token_for_periodic(store):
    assert keys(why_empty(store, APPID, "alice")) == ["never_sent"]
    causes = why_empty(store, APPID, "alice", "periodic")
    assert "no_token" in keys(causes)
    assert "token not set, maybe you should setBackgroundFetchToken first" in causes[0].message


async def test_p12_oversize_non_2xx_and_timeout_are_named(mock, store):
    mock.rules.default.body = "{{json_bytes:262145}}"
    await send(store, mock.url("main"))
    causes = why_empty(store, APPID, "alice")
    assert keys(causes) == ["last_failed"] and "262,145 bytes" in causes[0].message
    mock.rules.default.body, mock.rules.default.status = "x", 503
    await send(store, mock.url("main"))
    assert "answered 503" in why_empty(store, APPID, "alice")[0].message
    mock.rules.default.status, mock.rules.default.delay_ms = 200, 1000
    await send(store, mock.url("main"), timeout=0.3)
    assert "0.3 s timeout" in why_empty(store, APPID, "alice")[0].message


async def test_tls_and_unreachable_gray(mock, store):
    await send(store, mock.url("gray").replace("http://", "https://"), kind="gray")
    causes = why_empty(store, APPID, "alice")
    assert keys(causes) == ["last_failed", "gray_unreachable"] and "TLS" in causes[0].message


async def test_p5_token_set_in_this_launch_and_p17_in_flight(mock, store):
    mock.rules.default.status = 500  # the first launch fails, so the cache stays empty
    async with PrefetchClient() as client:
        await cold_start(client, store, mock.url("main"), APPID, "alice", package_ms=10,
                         code_factory=mock.issue_code, set_token_in_onlaunch="token-alice")
    assert "token_this_launch" in keys(why_empty(store, APPID, "alice"))
    assert "in_flight" in keys(why_empty(store, APPID, "alice", in_flight=True))


async def test_no_causes_when_the_cache_holds_data(mock, store):
    await send(store, mock.url("main"))
    assert why_empty(store, APPID, "alice") == []


def test_p22_every_12_hours_from_the_last_success():
    t0 = 1_700_000_000_000
    assert periodic_decision(t0, None, t0, True).why == "never"
    assert not periodic_decision(t0 + 11 * HOUR_MS, t0, t0, True).due
    decision = periodic_decision(t0 + 12 * HOUR_MS, t0, t0, True)
    assert decision.due and decision.next_due_ms == t0 + 12 * HOUR_MS
    assert periodic_decision(t0 + 6 * HOUR_MS, t0, t0, True).next_due_ms == t0 + 12 * HOUR_MS


def test_p23_only_users_active_in_the_last_7_days_and_p21_only_with_a_token():
    t0 = 1_700_000_000_000
    assert periodic_decision(t0 + 7 * DAY_MS, t0 - DAY_MS, t0, True).due
    inactive = periodic_decision(t0 + 7 * DAY_MS + 1, t0, t0, True)
    assert not inactive.due and inactive.why == "inactive"
    assert periodic_decision(t0, None, t0, False).why == "no_token"
    assert not periodic_decision(t0 + 2 * HOUR_MS, t0, t0, True,
                                 ProtocolSettings(periodic_interval_h=3)).due
