"""Database writes off the critical path: one thread runs them in the order they were given.

A pre-pull's result is on screen as soon as it is judged; storing it follows in the background.
One thread keeps the writes in order (a replay is stored after what it replays) and never
cancels one: ``close()`` waits until every write given to it has run.

Measured with the app's loop (qasync) on this 2-core machine: a write per pre-pull on the
writer's thread, right as the next pre-pull goes, cost that one ~0.3 ms (the two threads
trading the interpreter lock), and each wake-up of the loop from the thread ~0.1 ms more. So
writes of one kind that come within ``linger`` seconds are made in one call (one transaction),
and results reach the loop together, at most every ``notify_interval`` seconds.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # (asyncio loads with the app's event loop, after the first paint)
    import asyncio

    #: A result to hand back: the loop it belongs to, its future there, the worker's future.
    _Delivery = tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], concurrent.futures.Future[Any]]

T = TypeVar("T")
_STOP = object()
#: The most items one batched call gets.
MAX_BATCH = 500


@dataclass(slots=True)
class _Job:
    future: concurrent.futures.Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    #: fn takes a list of items (args[0] of each job) and returns their results in order
    batched: bool = False


class BackgroundWriter:
    """Runs submitted calls one after another on its own thread."""

    def __init__(self, name: str = "prepull-writer", *, linger: float = 0.05, notify_interval: float = 0.01) -> None:
        self.linger = linger
        self.notify_interval = notify_interval
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        #: the batch that items of its kind still join (it is in the queue already)
        self._open_batch: list[_Job] | None = None
        self._other_work = threading.Event()
        self._to_deliver: list[_Delivery] = []
        self._delivery_due: float | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # -- giving work -------------------------------------------------------------------------

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        """Queue ``fn(*args, **kwargs)``; its result (or exception) arrives in the future."""
        return self._put(_Job(concurrent.futures.Future[Any](), fn, args, kwargs))

    def submit_item(self, fn_many: Callable[[list[Any]], Sequence[T]], item: Any) -> concurrent.futures.Future[T]:
        """Queue ``item`` for ``fn_many``, which gets a list of items queued close together (one
        transaction for many rows) and returns one result per item, in order. Only the first
        item of a batch wakes the writer's thread."""
        job = _Job(concurrent.futures.Future[Any](), fn_many, (item,), {}, batched=True)
        with self._lock:
            if self._closed:
                raise RuntimeError("The background writer is closed.")
            open_batch = self._open_batch
            if open_batch is not None and open_batch[0].fn == fn_many and len(open_batch) < MAX_BATCH:
                open_batch.append(job)
            else:
                self._open_batch = [job]
                self._queue.put(self._open_batch)
        return job.future

    def submit_to_loop(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Like ``submit``, as a future of the running loop. Cancelling that future (a caller that
        stops waiting) does not cancel the write."""
        return self._to_loop(self.submit(fn, *args, **kwargs))

    def submit_item_to_loop(self, fn_many: Callable[[list[Any]], Sequence[T]], item: Any) -> asyncio.Future[T]:
        """Like ``submit_item``, as a future of the running loop (cancelling it keeps the write)."""
        return self._to_loop(self.submit_item(fn_many, item))

    def _put(self, job: _Job) -> concurrent.futures.Future[Any]:
        with self._lock:
            if self._closed:
                raise RuntimeError("The background writer is closed.")
            self._open_batch = None  # items after this job go in a new batch, after it
            self._queue.put(job)
            self._other_work.set()
        return job.future

    def _to_loop(self, future: concurrent.futures.Future[T]) -> asyncio.Future[T]:
        import asyncio

        loop = asyncio.get_running_loop()
        result: asyncio.Future[T] = loop.create_future()
        future.add_done_callback(lambda done: self._finished(loop, result, done))
        return result

    # -- waiting -----------------------------------------------------------------------------

    def drain(self, timeout: float | None = None) -> bool:
        """Wait (blocking) until everything submitted so far has run; False on timeout."""
        try:
            self.submit(lambda: None).result(timeout)
        except concurrent.futures.TimeoutError:
            return False
        return True

    async def adrain(self) -> None:
        """Wait, without blocking the loop, until everything submitted so far has run."""
        await self.submit_to_loop(lambda: None)

    def close(self) -> None:
        """Run what is queued, then stop the thread. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
            self._other_work.set()
        if threading.current_thread() is not self._thread:
            self._thread.join()

    async def aclose(self) -> None:
        import asyncio

        await asyncio.to_thread(self.close)

    # -- the writer's thread -------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            due = self._delivery_due
            try:
                item = self._queue.get(timeout=None if due is None else max(0.0, due - time.monotonic()))
            except queue.Empty:
                self._deliver_due(time.monotonic())
                continue
            if item is _STOP:
                self._deliver_due()
                return
            if isinstance(item, list):
                self._linger(item)
                with self._lock:
                    if self._open_batch is item:
                        self._open_batch = None  # closed: later items start another batch
                self._run_batch(item)
            else:
                self._run_one(item)
            self._deliver_due(time.monotonic())

    def _linger(self, batch: list[_Job]) -> None:
        """Let more items join ``batch`` for up to ``linger`` seconds, unless other work waits
        behind it (it must not be kept waiting) or the batch is full."""
        until = time.monotonic() + self.linger
        while len(batch) < MAX_BATCH and self._open_batch is batch and self._queue.empty():
            left = until - time.monotonic()
            if left <= 0:
                return
            self._other_work.wait(left)  # set when other work is queued behind the batch
            self._other_work.clear()

    @staticmethod
    def _run_one(job: _Job) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            result = job.fn(*job.args, **job.kwargs)
        except BaseException as exc:  # handed to whoever waits for the future
            job.future.set_exception(exc)
        else:
            job.future.set_result(result)

    @staticmethod
    def _run_batch(batch: list[_Job]) -> None:
        jobs = [job for job in batch if job.future.set_running_or_notify_cancel()]
        if not jobs:
            return
        try:
            results = list(jobs[0].fn([job.args[0] for job in jobs]))
            if len(results) != len(jobs):
                raise RuntimeError(f"{jobs[0].fn!r} returned {len(results)} results for {len(jobs)} items")
        except BaseException as exc:  # every item of the call shares its fate
            for job in jobs:
                job.future.set_exception(exc)
        else:
            for job, result in zip(jobs, results, strict=True):
                job.future.set_result(result)

    # -- results to the loop -------------------------------------------------------------------

    def _finished(self, loop: asyncio.AbstractEventLoop, result: asyncio.Future[Any],
                  future: concurrent.futures.Future[Any]) -> None:
        """A write is done: its result goes to ``loop`` with the others due then."""
        with self._lock:
            self._to_deliver.append((loop, result, future))
            if self._delivery_due is None:
                self._delivery_due = time.monotonic() + self.notify_interval
        if threading.current_thread() is not self._thread:  # done before the callback was added
            self._deliver_due()

    def _deliver_due(self, now: float | None = None) -> None:
        with self._lock:
            if self._delivery_due is None or (now is not None and now < self._delivery_due):
                return
            delivered, self._to_deliver, self._delivery_due = self._to_deliver, [], None
        by_loop: dict[asyncio.AbstractEventLoop, list[Any]] = {}
        for loop, result, future in delivered:
            by_loop.setdefault(loop, []).append((result, future))
        for loop, items in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
                loop.call_soon_threadsafe(_settle_all, items)


def _settle_all(items: list[tuple[asyncio.Future[Any], concurrent.futures.Future[Any]]]) -> None:
    """On the loop: each waiting future gets its write's result or exception."""
    for result, future in items:
        if result.done():
            continue
        if future.cancelled():
            result.cancel()
        elif future.exception() is not None:
            result.set_exception(future.exception())  # type: ignore[arg-type]
        else:
            result.set_result(future.result())
