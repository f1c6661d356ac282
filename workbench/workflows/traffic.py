"""Traffic runs and the split preview, outside the widgets (the Traffic tab renders them)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from workbench.core.client import Outcome, PrefetchClient
from workbench.core.errors import WorkbenchError
from workbench.core.rollout import Population, Rollout, SimUser, SplitIndex
from workbench.core.traffic import TrafficStats, run_traffic

if TYPE_CHECKING:
    from workbench.services import Services


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a finished run sent, and what the preview said for the same users and rollout."""

    stats: TrafficStats
    count: int
    preview: dict[str, int]
    rollout_id: str
    percent: float
    active: bool
    population_size: int


class TrafficFlow(QObject):
    """Builds split indexes and runs real cold-start traffic; owns the run's own client."""

    #: A split index is ready: (key, SplitIndex).
    indexReady = Signal(object, object)
    #: A run began: how many cold starts it will send.
    started = Signal(int)
    #: One cold start finished: (user, side, outcome). Emitted on the UI thread, cheap to handle.
    progressed = Signal(object, str, object)
    #: The run finished: RunResult.
    finished = Signal(object)
    #: The run was cancelled after this many cold starts (they are stored).
    cancelled = Signal(int)
    #: The run could not go on: one sentence.
    failed = Signal(str)

    RUN = "traffic run"
    INDEX = "split index"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services
        self.done = 0

    @property
    def running(self) -> bool:
        return self.services.tasks.running(self.RUN)

    def build_index(self, population: Population, appid: str, rollout_id: str) -> asyncio.Task[SplitIndex]:
        """Hash the population under a rollout off the UI thread; a newer request preempts an older."""
        key = (population, appid, rollout_id)
        return self.services.tasks.run(self.INDEX, self._build(key))

    async def _build(self, key: tuple[Population, str, str]) -> SplitIndex:
        index = await asyncio.to_thread(SplitIndex.build, *key)
        self.indexReady.emit(key, index)
        return index

    def run(self, rollout: Rollout, population: Population, count: int, *, rate: float | None = None,
            concurrency: int = 16) -> asyncio.Task[RunResult | None] | None:
        if self.running:
            return None
        return self.services.tasks.run(self.RUN, self._run(rollout, population, count, rate, concurrency))

    def cancel(self) -> bool:
        return self.services.tasks.cancel(self.RUN)

    async def _run(self, rollout: Rollout, population: Population, count: int, rate: float | None,
                   concurrency: int) -> RunResult | None:
        services = self.services
        appid = services.settings_appid()
        mock = services.mock
        kwargs: dict[str, Any] = {}
        if mock.running and rollout.main_url.startswith(mock.base_url):
            kwargs["code_factory"] = mock.issue_code
        self.done = 0
        self.started.emit(count)

        def on_outcome(user: SimUser, side: str, outcome: Outcome) -> None:
            self.done += 1
            self.progressed.emit(user, side, outcome)

        stats = None
        try:
            # its own client: many concurrent cold starts, one connection each (keep-alive off)
            async with PrefetchClient(services.settings, verify=services.client.verify, keepalive=False) as client:
                stats = await run_traffic(client, rollout, population, appid, count, store=services.store,
                                          rate=rate, concurrency=concurrency, on_outcome=on_outcome, **kwargs)
        except asyncio.CancelledError:
            self.cancelled.emit(self.done)
            raise
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return None
        finally:
            services.historyChanged.emit()
        index = await asyncio.to_thread(SplitIndex.build, population, appid, rollout.rollout_id, count)
        result = RunResult(stats=stats, count=count, preview=index.split(rollout.percent, rollout.active),
                           rollout_id=rollout.rollout_id, percent=rollout.percent, active=rollout.active,
                           population_size=population.size)
        self.finished.emit(result)
        return result
