"""Waiting for a blocking call (a thread's or a process's join) without blocking the loop."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any


async def in_own_thread(fn: Callable[..., object], *args: Any, name: str = "prepull-join") -> None:
    """Wait for a blocking ``fn`` (a join) in a thread of its own. Not in the loop's shared pool:
    there it would queue behind whatever fills the pool (writes waiting for a busy database), and
    closing the loop waits for every job of that pool. Cancelling the caller stops the waiting,
    not ``fn``."""
    loop = asyncio.get_running_loop()
    finished = loop.create_future()

    def resolve() -> None:
        if not finished.done():
            finished.set_result(None)

    def run() -> None:
        try:
            fn(*args)
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                loop.call_soon_threadsafe(resolve)

    threading.Thread(target=run, name=name, daemon=True).start()
    await finished
