"""One named, cancellable task helper for everything that runs in the background.

As FeelUOwn's ``PreemptiveTaskSpec``: a task has a name; starting one under a name that is
still running cancels the older one first (a new search replaces the last), unless the caller
asks to keep it. Every failure is reported through :attr:`TaskRunner.failed` in one sentence
(the main window shows it in the status bar) and logged, so nothing fails silently. Blocking
work (SQLite, big CPU jobs) goes through :meth:`TaskRunner.in_thread`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)
T = TypeVar("T")


def loop_running() -> bool:
    """Whether an asyncio loop runs on this thread. Not yet while the app's first window is built
    and painted (workbench.app.paint_first_window): asyncio is not even loaded then."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class TaskRunner(QObject):
    #: A task failed: its name and one sentence for the user.
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._named: dict[str, asyncio.Task[Any]] = {}
        self._all: set[asyncio.Task[Any]] = set()
        #: Writes that must finish even at shutdown (they are awaited, never cancelled).
        self._writes: set[asyncio.Future[Any]] = set()
        #: What waits for the app's loop to run (see when_running), in the order asked.
        self._when_running: list[Callable[[], object]] = []

    def run(self, name: str, coro: Coroutine[Any, Any, T], *, preempt: bool = True) -> asyncio.Task[T]:
        """Run ``coro`` as the task ``name``; a still-running task of that name is cancelled first
        (``preempt``) or the new one is refused and the running one returned."""
        old = self._named.get(name)
        if old is not None and not old.done():
            if not preempt:
                coro.close()
                return old
            old.cancel()
        import asyncio  # (not at the top: the first window paints before asyncio loads)

        task = asyncio.ensure_future(coro)
        task.set_name(name)
        self._named[name] = task
        self._all.add(task)
        task.add_done_callback(lambda t: self._done(name, t))
        return task

    def when_running(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` now if the app's loop runs, else once it does (:meth:`loop_started`).

        The first window is built and painted before the loop exists: a task started then (a
        login code, a view that loads its rows as it is built) became, through ensure_future, a
        task of a loop that never ran: lost, and at close "attached to a different loop"."""
        if loop_running():
            callback()
        else:
            self._when_running.append(callback)

    def loop_started(self) -> None:
        """The app's loop runs now: what waited for it, in order (when_running)."""
        waiting, self._when_running = self._when_running, []
        for callback in waiting:
            callback()

    def running(self, name: str) -> bool:
        task = self._named.get(name)
        return task is not None and not task.done()

    def cancel(self, name: str) -> bool:
        task = self._named.get(name)
        if task is None or task.done():
            return False
        task.cancel()
        return True

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking work (SQLite, hashing, formatting) off the UI thread."""
        import asyncio

        return await asyncio.to_thread(fn, *args)

    def write(self, name: str, fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        """A write off the UI thread that shutdown waits for (never cancelled); failures reported.

        Without a running loop (a timer firing after shutdown) it writes at once, on this thread.
        """
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            future: asyncio.Future[Any] = asyncio.Future(loop=asyncio.new_event_loop())
            try:
                future.set_result(fn(*args))
            except Exception as exc:  # reported below, as for a threaded write
                future.set_exception(exc)
                self._report(name, exc)
            return future
        future = loop.run_in_executor(None, lambda: fn(*args))
        self._writes.add(future)

        def done(f: asyncio.Future[Any]) -> None:
            self._writes.discard(f)
            exc = None if f.cancelled() else f.exception()
            if exc is not None:
                self._report(name, exc)

        future.add_done_callback(done)
        return future

    async def drain_writes(self) -> None:
        """Wait until every write started so far has finished (not those started meanwhile: while
        something keeps starting writes, the mock server's request log during a traffic run, waiting
        for all of them could last as long as it goes on)."""
        if self._writes:
            import asyncio

            await asyncio.gather(*list(self._writes), return_exceptions=True)

    def _done(self, name: str, task: asyncio.Task[Any]) -> None:
        self._all.discard(task)
        if self._named.get(name) is task:
            del self._named[name]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self._report(name, exc)

    def _report(self, name: str, exc: BaseException) -> None:
        if isinstance(exc, WorkbenchError):
            message = str(exc)
        else:
            log.error("task %s failed", name, exc_info=exc)
            message = QCoreApplication.translate("TaskRunner", "%1 failed unexpectedly: %2").replace(
                "%1", name).replace("%2", f"{type(exc).__name__}: {exc}")
        self.failed.emit(name, message)

    async def idle(self) -> None:
        """Wait until every task started so far has ended (tests; a quiet moment)."""
        import asyncio

        while self._all:
            await asyncio.gather(*list(self._all), return_exceptions=True)

    async def cancel_all(self) -> None:
        """Cancel every running task and wait until each has ended."""
        import asyncio

        for task in list(self._all):
            task.cancel()
        if self._all:
            await asyncio.gather(*list(self._all), return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel what still runs and wait for it, then let every pending write finish."""
        import asyncio

        for task in list(self._all):
            task.cancel()
        if self._all:
            await asyncio.gather(*list(self._all), return_exceptions=True)
        if self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)
