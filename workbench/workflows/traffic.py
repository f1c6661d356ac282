"""Traffic runs and the split preview, outside the widgets (the Traffic tab renders them)."""

from __future__ import annotations

import asyncio
import functools
import gc
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.launch_mix import LaunchMix
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.core.traffic import TrafficStats

if TYPE_CHECKING:
    from workbench.core.traffic_worker import TrafficResult
    from workbench.services import Services


#: A million users hash in about a second on one core; a second process halves that.
SPLIT_PROCESSES = 2 if (os.cpu_count() or 1) > 1 else 1


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
    #: the population's seed: with the size, which simulated users the run drew from (P29)
    seed: str = ""


class TrafficFlow(QObject):
    """Builds split indexes and runs real cold-start traffic; owns the run's own client."""

    #: A split index is ready: (key, SplitIndex).
    indexReady = Signal(object, object)
    #: A run began: how many cold starts it will send.
    started = Signal(int)
    #: Cold starts finished: a list of TrafficResult (side, cached, total_ms), about every 100 ms.
    progressed = Signal(list)
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
        index = await asyncio.to_thread(functools.partial(SplitIndex.build, *key, processes=SPLIT_PROCESSES))
        self.indexReady.emit(key, index)
        return index

    def run(self, rollout: Rollout, population: Population, count: int, *, rate: float | None = None,
            concurrency: int = 16, launch_mix: LaunchMix | None = None) -> asyncio.Task[RunResult | None] | None:
        """``launch_mix``: how the users launch (None: the default launch), as the Locust export gets it."""
        if self.running:
            return None
        return self.services.tasks.run(self.RUN, self._run(rollout, population, count, rate, concurrency,
                                                           launch_mix))

    def cancel(self) -> bool:
        return self.services.tasks.cancel(self.RUN)

    async def _run(self, rollout: Rollout, population: Population, count: int, rate: float | None,
                   concurrency: int, launch_mix: LaunchMix | None) -> RunResult | None:
        # the worker process's module (multiprocessing) loads with the first run, not at start-up
        from workbench.core.traffic_worker import TrafficPlan, run_in_worker

        services = self.services
        if services.read_only:  # its outcomes would be stored: a read-only window writes nothing
            self.failed.emit(services.read_only_reason)
            return None
        appid = services.settings_appid()
        mock = services.mock
        uses_mock = mock.running and rollout.main_url.startswith(mock.base_url)
        self.done = 0
        self.started.emit(count)

        def on_results(batch: list[TrafficResult]) -> None:
            self.done += len(batch)
            self.progressed.emit(batch)

        # Everything alive now lives on (modules, widgets): the collector stops scanning it during
        # the run. Full collections of it were the run's longest UI stalls (~50 ms each).
        gc.freeze()
        try:
            # in a worker process: the run gets a core of its own and this loop (which also
            # serves the mock server and the window) stays free
            plan = TrafficPlan(rollout, population, appid, count, settings=services.settings, rate=rate,
                               concurrency=concurrency, launch_mix=launch_mix, store_path=str(services.store.path),
                               codes_from_app=uses_mock)
            # login codes for the run's users, a window at a time, in one transaction, off the UI thread
            stats = await run_in_worker(
                plan, issue_codes=(lambda openids: services.tasks.in_thread(mock.issue_codes, openids))
                if uses_mock else None, on_results=on_results)
        except asyncio.CancelledError:
            self.cancelled.emit(self.done)
            raise
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return None
        finally:
            gc.unfreeze()  # what became garbage meanwhile is collected as usual from now on
            services.historyChanged.emit()
        index = await asyncio.to_thread(SplitIndex.build, population, appid, rollout.rollout_id, count)
        result = RunResult(stats=stats, count=count, preview=index.split(rollout.percent, rollout.active),
                           rollout_id=rollout.rollout_id, percent=rollout.percent, active=rollout.active,
                           population_size=population.size, seed=population.seed)
        self.finished.emit(result)
        return result
