"""A cold start as the Mini Program lives it: the pre-pull runs while the code package
downloads; then onLaunch reads the cache and registers the listener (P4, P5, P16-P19).

The request is real (real server, real timings); the package download is a timer of the
chosen length, running at the same time on the same loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core import cache
from workbench.core.client import Outcome, PrefetchClient
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.core.protocol import FetchType, Launch, Platform, PrefetchRequest, generate_code, identity_for
from workbench.core.store import CacheEntry, Store

#: Phase names (the GUI translates them in the "Phases" context).
PHASES = {
    "package": QT_TRANSLATE_NOOP("Phases", "package download"),
    "request": QT_TRANSLATE_NOOP("Phases", "pre-pull request"),
    "connect": QT_TRANSLATE_NOOP("Phases", "connect"),
    "wait": QT_TRANSLATE_NOOP("Phases", "waiting for the first byte"),
    "receive": QT_TRANSLATE_NOOP("Phases", "receiving the body"),
    "onlaunch_current": QT_TRANSLATE_NOOP("Phases", "onLaunch: getBackgroundFetchData → current"),
    "onlaunch_previous": QT_TRANSLATE_NOOP("Phases", "onLaunch: getBackgroundFetchData → previous"),
    "onlaunch_none": QT_TRANSLATE_NOOP("Phases", "onLaunch: getBackgroundFetchData → none"),
    "listener": QT_TRANSLATE_NOOP("Phases", "onBackgroundFetchData fires"),
}


@dataclass(slots=True)
class Phase:
    name: str
    start_ms: float
    end_ms: float

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "start_ms": round(self.start_ms, 3), "end_ms": round(self.end_ms, 3)}


@dataclass(slots=True)
class ColdStart:
    """What one simulated launch did and what the Mini Program saw."""

    read: str                       # "current" | "previous" | "none"
    read_success: bool
    result: dict[str, Any]          # the P16 object or the P18 failure
    listener_fired: bool
    listener_payload: dict[str, Any] | None
    phases: list[Phase] = field(default_factory=list)
    saved_ms: float = 0.0
    outcome: Outcome | None = None
    history_id: int | None = None
    identity_kind: str = ""
    token_set_in_onlaunch: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"read": self.read, "listener_fired": self.listener_fired, "result": self.result,
                "phases": [p.to_json() for p in self.phases], "saved_ms": round(self.saved_ms, 3)}


async def cold_start(
    client: PrefetchClient,
    store: Store,
    url: str,
    appid: str,
    user: str,
    *,
    package_ms: float = 800.0,
    platform: Platform | str = Platform.ANDROID,
    launch: Launch | None = None,
    token: str | None = None,
    set_token_in_onlaunch: str | None = None,
    code_factory: Callable[[str], str] = lambda _user: generate_code(),
    address_kind: str = "main",
    allow_plain_http: bool = False,
    identity_kind: str = "auto",
) -> ColdStart:
    """Simulate one launch of ``user``. A token passed or stored earlier travels with the
    request; otherwise a fresh code does (P4). ``identity_kind`` forces a token, a code or
    neither (the composer's choice). A token set in onLaunch is stored for the next launch
    only (P5)."""
    launch = launch or Launch(path="pages/index/index", scene=1001)
    # every query goes to a thread: a GUI runs this on its UI loop
    token = token if token is not None else await asyncio.to_thread(store.token, appid, user)
    # a login code from the workspace's authority waits for its lock and writes its database:
    # in a thread, as the queries are
    identity = await asyncio.to_thread(identity_for, identity_kind, token, lambda: code_factory(user))
    request = PrefetchRequest(url=url, appid=appid, identity=identity, launch=launch, fetch_type=FetchType.PRE,
                              timestamp_unit=client.settings.timestamp_unit, allow_plain_http=allow_plain_http)
    previous: CacheEntry | None = await asyncio.to_thread(store.cache_entry, appid, user, FetchType.PRE)

    t0 = time.perf_counter()

    def now_ms() -> float:
        return (time.perf_counter() - t0) * 1000

    arrived: dict[str, Any] = {}
    listener: dict[str, Any] = {"registered_ms": None, "payload": None}

    stored = asyncio.Event()

    async def fetch() -> None:
        outcome = await client.prefetch(request)
        arrived["ms"], arrived["outcome"] = now_ms(), outcome
        arrived["history_id"] = await asyncio.to_thread(store.add_outcome, outcome, source="coldstart", user=user,
                                                        address_kind=address_kind)
        stored.set()
        if outcome.verdict.cached and listener["registered_ms"] is not None:
            entry = await asyncio.to_thread(store.cache_entry, appid, user, FetchType.PRE)
            listener["payload"] = cache.listener_payload(entry) if entry else None

    fetch_task = asyncio.ensure_future(fetch())
    try:
        # the code package downloads meanwhile; Qt's coarse timers may wake a few percent early
        deadline = package_ms
        while (remaining := deadline - now_ms()) > 0:
            await asyncio.sleep(remaining / 1000)
        onlaunch_ms = now_ms()
        # onLaunch: the read does not wait for the request (P17)
        current = None
        if "outcome" in arrived and arrived["outcome"].verdict.cached:
            await stored.wait()  # it arrived: WeChat has cached it (our write takes a moment)
            current = await asyncio.to_thread(store.cache_entry, appid, user, FetchType.PRE)
        read, entry = cache.entry_seen_at(onlaunch_ms, previous, current, arrived.get("ms"))
        success, result = cache.get_background_fetch_data(entry, platform)
        listener["registered_ms"] = onlaunch_ms  # onBackgroundFetchData registered in onLaunch
        if set_token_in_onlaunch:
            await asyncio.to_thread(store.set_token, appid, user, set_token_in_onlaunch, int(time.time() * 1000))
        await fetch_task
    finally:
        if not fetch_task.done():
            fetch_task.cancel()

    outcome: Outcome = arrived["outcome"]
    arrived_ms = arrived["ms"]
    fired = cache.listener_fires(onlaunch_ms, arrived_ms, outcome.verdict.cached) and listener["payload"] is not None
    t = outcome.timings
    # the measured end: a timer on a Qt loop may fire a few percent early or late
    phases = [Phase(PHASES["package"], 0.0, onlaunch_ms), Phase(PHASES["request"], 0.0, arrived_ms)]
    if t.connect_ms:
        phases.append(Phase(PHASES["connect"], 0.0, t.connect_ms))
    if t.first_byte_ms is not None:
        phases.append(Phase(PHASES["wait"], t.connect_ms or 0.0, t.first_byte_ms))
        phases.append(Phase(PHASES["receive"], t.first_byte_ms, t.total_ms or arrived_ms))
    phases.append(Phase(PHASES[f"onlaunch_{read}"], onlaunch_ms, onlaunch_ms))
    if fired:
        phases.append(Phase(PHASES["listener"], arrived_ms, arrived_ms))
    # Without pre-pull the page would request the data once launched: ready at onLaunch + request.
    saved = 0.0
    if outcome.verdict.cached:
        saved = max(0.0, (onlaunch_ms + (t.total_ms or arrived_ms)) - max(onlaunch_ms, arrived_ms))
    return ColdStart(read=read, read_success=success, result=result, listener_fired=fired,
                     listener_payload=listener["payload"] if fired else None, phases=phases, saved_ms=saved,
                     outcome=outcome, history_id=arrived.get("history_id"), identity_kind=identity.kind,
                     token_set_in_onlaunch=bool(set_token_in_onlaunch))
