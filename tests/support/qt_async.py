"""Waiting from async tests on the qasync loop: for a Qt signal, or until a condition holds.

qtbot.waitSignal and qtbot.waitUntil spin a nested Qt event loop, in which qasync cannot step
other asyncio tasks while the test's own task is running; these helpers await instead. Each wait
has a timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from typing import Any


class signal_emitted:  # noqa: N801 - used like a function: `args = await signal_emitted(sig)`
    """Connects at once (create it before the action), then ``await`` it for the arguments."""

    def __init__(self, signal: Any, timeout: float = 5.0, check: Callable[..., bool] | None = None) -> None:
        self.signal = signal
        self.timeout = timeout
        self.check = check
        self.future: asyncio.Future = asyncio.get_running_loop().create_future()
        signal.connect(self._slot)

    def _slot(self, *args: Any) -> None:
        if not self.future.done() and (self.check is None or self.check(*args)):
            self.future.set_result(args)

    async def wait(self) -> tuple:
        try:
            return await asyncio.wait_for(self.future, self.timeout)
        finally:
            self.signal.disconnect(self._slot)

    def __await__(self) -> Generator[Any, None, tuple]:
        return self.wait().__await__()


async def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait (letting the loop run) until ``condition()`` is true; TimeoutError after ``timeout`` s."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
