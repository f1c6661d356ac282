"""A placeholder that builds its widget when first shown: what the first screen does not show
costs nothing at start-up (pyqtgraph's import alone is about a third of a second).

A widget whose modules are heavy names them (``needs``): they are imported in a thread as soon as
the placeholder is made, and the widget is built as soon as they are in, so its first show does
not freeze the window (the first traffic run stalled the UI 0.3-0.4 s importing pyqtgraph and
building the charts). Shown before they are in, the placeholder says so.

A factory may be a generator that yields the widget, then yields between the steps that finish
it: built in the background, it then takes one step per turn of the event loop, a short stall
each instead of one long one (the traffic charts: 30-70 ms at once, three plots of ~8 ms).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.ui.theme import set_tone
from workbench.workflows.tasks import loop_running

if TYPE_CHECKING:
    import asyncio

    from workbench.workflows.tasks import TaskRunner


#: What builds a placeholder's widget: the widget, or a generator yielding it, then None between steps.
Factory = Callable[[], "QWidget | Iterator[QWidget | None]"]


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


class LazyWidget(QWidget):
    """Holds the place of ``factory()``'s widget; builds it on the first show or on ``widget()``.

    ``needs``: modules ``factory`` imports that take long to load; ``tasks`` imports them in a
    thread from now on (one named task per set of modules, shared by every placeholder asking).
    With ``tasks``, a placeholder shown before the app's loop runs (the tab the window was left
    on, at the next start) is built once it does: the view starts work as it is built."""

    def __init__(self, factory: Factory, parent: QWidget | None = None, *,
                 needs: tuple[str, ...] = (), tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self._factory: Factory | None = factory
        self._widget: QWidget | None = None
        #: the steps that finish the widget, taken one per turn of the event loop
        self._steps: Iterator[QWidget | None] | None = None
        self.needs = needs
        self._tasks = tasks
        self._loading_due = False
        self._loading: asyncio.Task[None] | None = None
        self._waiting: QLabel | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if needs and tasks is not None and any(name not in sys.modules for name in needs):
            self._loading_due = True
            tasks.when_running(self._start_loading)
        elif needs:  # in already (another view loaded them): built on the next turn, not when first shown
            QTimer.singleShot(0, self, self._build_if_due)

    def _start_loading(self) -> None:
        assert self._tasks is not None
        self._loading = self._tasks.run("load " + ", ".join(self.needs), self._tasks.in_thread(_import_all, self.needs),
                                        preempt=False)
        # built as soon as they are in, shown or not: later, when it is shown (a traffic run
        # starting), it is there at once instead of costing the UI its construction then
        self._loading.add_done_callback(self._loaded)

    def _build_if_due(self) -> None:
        if self._widget is None and self._factory is not None:
            self._begin()

    def is_built(self) -> bool:
        """Whether the widget is there, whole (no step of it left)."""
        return self._widget is not None and self._steps is None

    def loaded(self) -> bool:
        """Whether the modules it needs are in (building it now would not wait for them)."""
        return not self._loading_due or (self._loading is not None and self._loading.done())

    def widget(self) -> QWidget:
        """The real widget, whole, built now if it was not yet (waiting for its modules if they are
        still loading: use :meth:`built` on the event loop's thread to wait without freezing)."""
        widget = self._begin()
        steps, self._steps = self._steps, None
        for _ in steps or ():
            pass
        return widget

    def _begin(self) -> QWidget:
        """The real widget, made now if it was not yet; a generator's further steps come one per
        turn of the event loop."""
        if self._widget is None:
            assert self._factory is not None
            factory, self._factory = self._factory, None
            made = factory()
            if isinstance(made, QWidget):
                self._widget = made
            else:
                first = next(made)
                assert isinstance(first, QWidget), "a generator factory yields its widget first"
                self._widget, self._steps = first, made
                QTimer.singleShot(0, self, self._step)
            layout = self.layout()
            assert layout is not None  # made in __init__
            if self._waiting is not None:
                self._waiting.deleteLater()
                self._waiting = None
            layout.addWidget(self._widget)
            if self.isVisible():
                self._widget.show()  # at once, not on the next turn of the event loop
        return self._widget

    def _step(self) -> None:
        if self._steps is None:
            return  # finished meanwhile (widget())
        try:
            next(self._steps)
        except StopIteration:
            self._steps = None
            return
        QTimer.singleShot(0, self, self._step)

    async def built(self) -> QWidget:
        """The real widget, once its modules are in (the event loop runs meanwhile)."""
        if self._loading is not None and not self._loading.done():
            import asyncio

            await asyncio.wait([self._loading])
        return self.widget()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self._fill()
        super().showEvent(event)

    def _fill(self) -> None:
        """Shown: the real widget if it can be built now, else a word saying it is coming."""
        if self._widget is not None:
            return
        if self._tasks is not None and not loop_running():
            self._tasks.when_running(self._fill_if_shown)
        elif self.loaded():
            self._begin()
        elif self._waiting is None:
            self._waiting = QLabel(self.tr("Loading…"), self)
            set_tone(self._waiting, "muted")
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self._waiting)

    def _fill_if_shown(self) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self._fill()

    def _loaded(self, task: asyncio.Task[None]) -> None:
        if self._widget is not None or not shiboken6.isValid(self):
            return
        if task.cancelled() or task.exception() is not None:  # the task runner has said why
            if self._waiting is not None:
                self._waiting.setText(self.tr("Not available: %1 could not be loaded.")
                                      .replace("%1", ", ".join(self.needs)))
            return
        self._begin()
