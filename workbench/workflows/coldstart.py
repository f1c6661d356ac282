"""Cold start and the periodic clock, outside the widgets (the Cache tab renders them)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.model import AddressKind, FetchType, Source
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


class ColdStartFlow(QObject):
    """Simulates one launch at a time: the pre-pull during the package download, then onLaunch."""

    #: A launch began.
    started = Signal()
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


class PeriodicClock(QObject):
    """Periodic updates (P21-P23) on a simulated clock: jump ahead, mark use, fetch when due."""

    #: The clock moved or something changed what is due: the PeriodicDecision and the clock (ms).
    changed = Signal(object, object)
    #: One line for the periodic log.
    logged = Signal(str)

    TASK = "periodic update"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services
        self.clock_ms = int(time.time() * 1000)
        #: Where the simulated clock started: reads are judged at now + (clock - start) (P24).
        self.start_ms = self.clock_ms
        self.last_used_ms: int | None = self.clock_ms
        self.last_periodic_ms: int | None = None
        self.user = ""
        self.decision: PeriodicDecision | None = None

    async def _has_token(self, user: str) -> bool:
        token = await asyncio.to_thread(self.services.store.token, self.services.settings_appid(), user)
        return token is not None or self._mock_token(user) is not None

    def _mock_token(self, user: str) -> str | None:
        return next((u.token for u in self.services.mock.config.users if u.name == user and u.token), None)

    async def refresh(self, user: str | None = None) -> PeriodicDecision:
        """Recompute what is due for ``user`` now, on the simulated clock."""
        if user is not None:
            self.user = user
        decision = periodic_decision(self.clock_ms, self.last_periodic_ms, self.last_used_ms,
                                     await self._has_token(self.user), self.services.settings)
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

    def used(self) -> asyncio.Task[PeriodicDecision]:
        """The user opened the Mini Program at the clock's time (P23 counts from here)."""
        self.last_used_ms = self.clock_ms
        self.logged.emit(time.strftime("%Y-%m-%d %H:%M", time.localtime(self.clock_ms / 1000)) + "  " +
                         self.tr("the user opened the Mini Program (periodic updates continue for 7 days, P23)"))
        return self.services.tasks.run("periodic clock", self.refresh())

    def fetch_now(self) -> asyncio.Task[None] | None:
        if self.services.tasks.running(self.TASK):
            return None
        return self.services.tasks.run(self.TASK, self._fetch(scheduled=False))

    async def _fetch(self, scheduled: bool) -> None:
        services = self.services
        user = self.user
        token = await asyncio.to_thread(services.store.token, services.settings_appid(), user)
        token = token or self._mock_token(user)
        url = services.document.doc.addresses.periodic
        mock = services.mock
        if mock.running and (not url or url.startswith(mock.base_url)):
            url = mock.url("periodic")  # today's port of the embedded mock
        if token is None:
            text = self.tr("Not sent: %1 has no token, and a periodic request carries only a token (P21). "
                           "Give the user a token under Mock server › Users and tokens.")
            self.logged.emit(text.replace("%1", user or "?"))
            return
        if not url:
            self.logged.emit(self.tr("Not sent: no periodic address. Set it in the workspace, or start the mock "
                                     "server."))
            return
        request = PrefetchRequest(url=url, appid=services.settings_appid(), identity=Identity(token=token),
                                  fetch_type=FetchType.PERIODIC, timestamp_unit=services.settings.timestamp_unit)
        _, outcome = await services.send(request, source=Source.PERIODIC.value, user=user,
                                         address_kind=AddressKind.PERIODIC.value)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.clock_ms / 1000))
        verdict = self.tr("cached") if outcome.verdict.cached else self.tr("not cached")
        how = self.tr("scheduled") if scheduled else self.tr("fetched now")
        self.logged.emit(f"{when}  {how}: {outcome.status} · {verdict}")
        if outcome.verdict.cached:
            self.last_periodic_ms = self.clock_ms
        await self.refresh()
