"""The one place that owns the store, the httpx client (and later the mock server) for the GUI.

Views call these coroutines and listen to the Qt signals; they never talk to each other.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from workbench.core.client import Outcome, PrefetchClient
from workbench.core.protocol import PrefetchRequest, ProtocolSettings
from workbench.core.store import Store


class Services(QObject):
    #: A pre-pull was stored: its history id.
    outcomeStored = Signal(int)

    def __init__(self, workspace: Path, settings: ProtocolSettings | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings or ProtocolSettings()
        self.store = Store.in_workspace(workspace)
        self.client = PrefetchClient(self.settings)
        self._tasks: set[asyncio.Task] = set()

    async def send(self, request: PrefetchRequest, *, source: str, user: str = "",
                   address_kind: str = "custom", replay_of: int | None = None) -> tuple[int, Outcome]:
        """Send one pre-pull, store it (off the UI thread) and announce it."""
        outcome = await self.client.prefetch(request)
        history_id = await asyncio.to_thread(
            self.store.add_outcome, outcome, source=source, user=user, address_kind=address_kind,
            replay_of=replay_of)
        self.outcomeStored.emit(history_id)
        return history_id, outcome

    def spawn(self, coro) -> asyncio.Task:
        """Run a coroutine on the loop, keeping a reference so it is cancelled at shutdown."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def aclose(self) -> None:
        """Cancel what still runs, close the client and the database: nothing left pending."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.aclose()
        self.store.close()
