"""Cold start and the periodic clock, outside the widgets (the Cache tab renders them)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from workbench.core import cache
from workbench.core.errors import WorkbenchError
from workbench.core.model import AddressKind, CacheEntry, FetchType, Outcome, Source
from workbench.core.periodic import HOUR_MS, PeriodicDecision, periodic_decision
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.core.simulator import ColdStart, cold_start

if TYPE_CHECKING:
    from workbench.services import Services


@dataclass(frozen=True, slots=True)
class ColdStartRequest:
    """What the user asked for: one launch of one user."""

    url: str
    user: str
    address_kind: str = AddressKind.MAIN.value
    package_ms: float = 800.0
    platform: str = "android"
    launch: Launch | None = None
    set_token_in_onlaunch: str | None = None


@dataclass(frozen=True, slots=True)
class EntryBefore:
    """The user's pre entry as a launch found it: a cached answer replaces it (P15), so the view
    can say whose entry went (the Composer's, say) instead of overwriting it silently."""

    entry: CacheEntry | None
    #: where that entry's pre-pull came from (a history source: composer, coldstart, ...), or ""
    source: str = ""


class ColdStartFlow(QObject):
    """Simulates one launch at a time: the pre-pull during the package download, then onLaunch."""

    #: A launch began.
    started = Signal()
    #: Just before the request: the EntryBefore that a cached answer will replace (P15).
    entryBefore = Signal(object)
    #: A launch finished: the ColdStart result.
    finished = Signal(object)
    #: A launch could not run: one sentence.
    failed = Signal(str)

    TASK = "cold start"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services

    @property
    def running(self) -> bool:
        return self.services.tasks.running(self.TASK)

    def launch(self, ask: ColdStartRequest) -> asyncio.Task[ColdStart | None] | None:
        """Start a launch unless one is running (a second click while one runs does nothing)."""
        if self.running:
            return None
        return self.services.tasks.run(self.TASK, self._launch(ask))

    async def _launch(self, ask: ColdStartRequest) -> ColdStart | None:
        services = self.services
        if not services.document.doc.prepull_enabled:
            self.failed.emit("not_enabled")
            return None
        self.started.emit()
        self.entryBefore.emit(await asyncio.to_thread(self._entry_before, services.settings_appid(), ask.user))
        mock = services.mock
        # the workspace's login codes: any process on the workspace can redeem them (P4)
        kwargs: dict[str, Any] = {"code_factory": mock.issue_code}
        try:
            result = await cold_start(services.client, services.store, ask.url, services.settings_appid(), ask.user,
                                      package_ms=ask.package_ms, platform=ask.platform, launch=ask.launch,
                                      set_token_in_onlaunch=ask.set_token_in_onlaunch,
                                      address_kind=ask.address_kind or AddressKind.CUSTOM.value, **kwargs)
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return None
        self.finished.emit(result)
        services.outcomeStored.emit(result.history_id or -1)
        return result

    def _entry_before(self, appid: str, user: str) -> EntryBefore:
        """Worker thread: the user's pre entry and the source of the pre-pull behind it."""
        store = self.services.store
        entry = store.cache_entry(appid, user, FetchType.PRE)
        record = store.history(entry.history_id) if entry is not None and entry.history_id is not None else None
        return EntryBefore(entry, record.source if record is not None else "")


class PeriodicClock(QObject):
    """Periodic updates (P21-P24) on a simulated clock: jump ahead, mark use, fetch when due.

    The token is the one the Mini Program stored with wx.setBackgroundFetchToken (P20), the same
    one the Token tab shows: the mock server's list of users and tokens says what the server
    accepts, not what the client holds, so a user the mock knows still has no token until one is
    set (here, by a cold start's onLaunch, or `prepull-workbench token set`)."""

    #: The clock moved or something changed what is due: the PeriodicDecision and the clock (ms).
    changed = Signal(object, object)
    #: One line for the periodic log.
    logged = Signal(str)

    TASK = "periodic update"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services
        self.clock_ms = int(time.time() * 1000)
        # where the simulated clock started: reads are judged at now + (clock - start) (P24)
        self.start_ms = self.clock_ms
        self.last_used_ms: int | None = self.clock_ms
        self.last_periodic_ms: int | None = None
        self.user = ""
        self.decision: PeriodicDecision | None = None

    async def token(self, user: str) -> str | None:
        """The token stored for ``user``: what getBackgroundFetchToken returns and a periodic
        request carries (P20, P21)."""
        return await asyncio.to_thread(self.services.store.token, self.services.settings_appid(), user)

    def url(self) -> str:
        """Where a periodic update goes: the workspace's periodic address (today's port when it is
        the embedded mock's), or "" when there is none."""
        url = self.services.document.doc.addresses.periodic
        mock = self.services.mock
        if mock.running and (not url or url.startswith(mock.base_url)):
            url = mock.url("periodic")
        return url

    def read_now_ms(self) -> int:
        """When a read happens: the wall clock moved on by the simulated clock's jumps (P24 expiry)."""
        return int(time.time() * 1000) + (self.clock_ms - self.start_ms)

    def _stamp(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.clock_ms / 1000))

    async def refresh(self, user: str | None = None) -> PeriodicDecision:
        """Recompute what is due for ``user`` now, on the simulated clock."""
        if user is not None:
            self.user = user
        decision = periodic_decision(self.clock_ms, self.last_periodic_ms, self.last_used_ms,
                                     await self.token(self.user) is not None, self.services.settings)
        self.decision = decision
        self.changed.emit(decision, self.clock_ms)
        return decision

    def jump(self, hours: float) -> asyncio.Task[None]:
        """Move the clock ahead; an update that falls due is sent, as WeChat would."""
        self.clock_ms += int(hours * HOUR_MS)
        return self.services.tasks.run("periodic clock", self._after_jump())

    async def _after_jump(self) -> None:
        if (await self.refresh()).due:
            await self._fetch(scheduled=True)

    def used(self, platform: str = "android") -> asyncio.Task[str]:
        """The user opened the Mini Program at the clock's time (P23 counts from here). An update
        that is due goes out, as WeChat would send it; the log then says what happened (fetched,
        or skipped and why) and what getBackgroundFetchData({fetchType: 'periodic'}) returns."""
        return self.services.tasks.run("periodic clock", self._opened(platform))

    async def _opened(self, platform: str) -> str:
        self.last_used_ms = self.clock_ms
        user = self.user or "?"
        self.logged.emit(self._stamp() + "  " + self.tr("%1 opened the Mini Program: periodic updates continue "
                                                        "for 7 days (P23).").replace("%1", user))
        decision = await self.refresh()
        if decision.due:
            outcome = await self._fetch(scheduled=True)
            if outcome is None:
                what = self.tr("Nothing was sent (see above).")
            elif outcome.verdict.cached:
                what = self.tr("Fetched: an update was due, so WeChat sends it now (%1, cached).").replace(
                    "%1", str(outcome.status))
            else:
                what = self.tr("Fetched, but not cached (%1): the Mini Program keeps the entry it had (P15).") \
                    .replace("%1", str(outcome.status or self.tr("no response")))
        else:
            what = self.skipped_text(decision)
        line = "  → " + what + " " + await self._read_text(platform)
        self.logged.emit(line)
        return line

    def skipped_text(self, decision: PeriodicDecision) -> str:
        """Why no periodic update goes out now, in one sentence."""
        user = self.user or "?"
        if decision.why == "no_token":
            return self.tr("Skipped: %1 has no token (P20), and a periodic request carries only a token (P21)."
                           ).replace("%1", user)
        if decision.why == "inactive":
            return self.tr("Skipped: %1 has not opened the Mini Program for 7 days (P23).").replace("%1", user)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime((decision.next_due_ms or 0) / 1000))
        return self.tr("Skipped: the last update is recent; the next is due at %1 (P22).").replace("%1", when)

    async def _read_text(self, platform: str) -> str:
        """What getBackgroundFetchData({fetchType: 'periodic'}) gives the user now, in a sentence."""
        services = self.services
        entry = await asyncio.to_thread(services.store.cache_entry, services.settings_appid(), self.user,
                                        FetchType.PERIODIC)
        now = self.read_now_ms()
        if entry is None:
            return self.tr("getBackgroundFetchData({fetchType: 'periodic'}) finds nothing: %1 (P18).").replace(
                "%1", self.tr("fail on Android, an empty fetchedData on iOS"))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.time_stamp / 1000))
        if cache.is_expired(entry, services.settings, now):
            return self.tr("getBackgroundFetchData({fetchType: 'periodic'}) finds nothing: the entry with timeStamp "
                           "%1 expired (P24).").replace("%1", stamp)
        return self.tr("getBackgroundFetchData({fetchType: 'periodic'}) on %1 is served from the cache: the entry "
                       "with timeStamp %2 (P16).").replace("%1", platform).replace("%2", stamp)

    def fetch_now(self) -> asyncio.Task[None] | None:
        """Send a periodic update at once, as the DevTools menu "fetch periodic cache data" does: the
        12-hour cadence and the 7-day window (P22, P23) do not hold it back; a token does (P21)."""
        if self.services.tasks.running(self.TASK):
            return None
        return self.services.tasks.run(self.TASK, self._fetch_now())

    async def _fetch_now(self) -> None:
        await self.refresh()  # is it due? the log says when it was sent outside the schedule
        await self._fetch(scheduled=False)

    async def _fetch(self, scheduled: bool) -> Outcome | None:
        """Send one periodic update for the user and log it; the Outcome, or None when nothing was
        sent (no token, no address)."""
        services = self.services
        user = self.user
        token = await self.token(user)
        url = self.url()
        if token is None:
            text = self.tr("Not sent: %1 has no token (getBackgroundFetchToken fails, P20), and a periodic request "
                           "carries only a token (P21). Set it under Cache › Periodic update.")
            self.logged.emit(text.replace("%1", user or "?"))
            return None
        if not url:
            self.logged.emit(self.tr("Not sent: no periodic address. Set it in the workspace, or start the mock "
                                     "server."))
            return None
        due = self.decision.due if self.decision is not None else True
        request = PrefetchRequest(url=url, appid=services.settings_appid(), identity=Identity(token=token),
                                  fetch_type=FetchType.PERIODIC, timestamp_unit=services.settings.timestamp_unit)
        _, outcome = await services.send(request, source=Source.PERIODIC.value, user=user,
                                         address_kind=AddressKind.PERIODIC.value)
        verdict = self.tr("cached") if outcome.verdict.cached else self.tr("not cached")
        if scheduled:
            how = self.tr("scheduled")
        elif due:
            how = self.tr("fetched now")
        else:  # the DevTools menu sends outside the schedule: the log says so
            how = self.tr("fetched now, outside the schedule (as the DevTools menu does)")
        self.logged.emit(f"{self._stamp()}  {how}: {outcome.status} · {verdict}")
        if outcome.verdict.cached:
            self.last_periodic_ms = self.clock_ms
        await self.refresh()
        return outcome
