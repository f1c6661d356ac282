"""The open workspace as the GUI edits it: every edit lands in the document and is saved soon,
off the UI thread; views listen to :attr:`WorkspaceDocument.changed` to show what others changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.errors import InvalidInput, WorkbenchError, WorkspaceError
from workbench.core.workspace import Workspace
from workbench.workflows.tasks import TaskRunner

if TYPE_CHECKING:
    import asyncio

    from workbench.core.launch_mix import LaunchMix
    from workbench.core.workspace import RolloutConfig

#: Edits come in bursts (typing): the file is written this long after the last one.
SAVE_DELAY_MS = 300


_ABSENT = object()


def _same(current: Any, value: Any) -> bool:
    """True when setting ``value`` changes nothing: equal and of the same type (the schema is strict:
    1 is not True, 1 is not 1.0)."""
    return type(current) is type(value) and current == value


class WorkspaceDocument(QObject):
    #: A section changed ("appid", "addresses", "protocol", "rollout", "launch", "traffic", ...).
    changed = Signal(str)
    #: The file was written.
    saved = Signal()

    def __init__(self, workspace: Workspace, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = tasks
        #: True when the file is never written (another window has the workspace open): edits are
        #: refused with :attr:`refusal`, one sentence.
        self.read_only = False
        self.refusal = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._saving: asyncio.Future[bool] | None = None
        self._again = False

    @property
    def doc(self) -> Any:
        """The document to read (views show it). Before the app has validated a file it opened
        without waiting for pydantic, a read-only view of its data (Workspace.shown)."""
        return self.workspace.shown

    @property
    def name(self) -> str:
        return self.workspace.name

    def edit(self, section: str, **values: Any) -> None:
        """Set fields of a section (or top-level keys with section ""); validated, saved soon.

        Raises WorkbenchError (InvalidInput) for a value the schema refuses, or for any edit of a
        read-only document (said in the status bar too); nothing changes then.
        """
        shown = self.doc if not section else getattr(self.doc, section, None)
        if shown is not None and all(_same(getattr(shown, key, _ABSENT), value) for key, value in values.items()):
            return  # nothing changes (views write back what they show): no need to load the schema
        self._refuse_if_read_only()
        from pydantic import ValidationError

        doc = self.workspace.doc
        target = doc if not section else getattr(doc, section)
        before = target.model_dump()
        try:
            type(target).model_validate({**before, **values})
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in (section, *err.get("loc", ())) if p != "")
            raise InvalidInput(f"{key}: {err.get('msg', 'invalid value')}.") from None
        for key, value in values.items():
            setattr(target, key, value)
        if target.model_dump() != before:
            self.changed.emit(section or next(iter(values)))
            self._timer.start()

    def set_launch_mix(self, mix: LaunchMix | None) -> None:
        """Keep how a traffic run's users launch (None: the default launch); InvalidInput when
        refused (a bad row, a read-only window)."""
        self.edit("traffic", launches=mix.to_json() if mix is not None else [])

    def save_now(self) -> None:
        """Write the file now (off the UI thread); a snapshot of the text is taken here."""
        self._timer.stop()
        if self.read_only:
            return
        if self._saving is not None and not self._saving.done():
            self._again = True  # one write at a time, so an older snapshot never lands last
            return
        text = self.workspace.text()  # a snapshot, taken on the UI thread
        self._saving = self.tasks.write("save workspace", self._save, text)
        self._saving.add_done_callback(self._saved)

    def _saved(self, future: asyncio.Future[bool]) -> None:
        if not future.cancelled() and future.exception() is None and future.result():
            self.saved.emit()
        if self._again:
            self._again = False
            self.save_now()

    def schedule_save(self) -> None:
        """Save soon: edits come in bursts."""
        self._timer.start()

    def _save(self, text: str) -> bool:
        """In a worker thread: write; no Qt signal from here (the done-callback emits on the loop)."""
        return self.workspace.save(text)

    def flush(self) -> None:
        """Save at once, on this thread (at quit, before a rollout change), if anything is unsaved."""
        if self._timer.isActive() or self._again or self.workspace.text() != self.workspace.saved_text:
            self._timer.stop()
            self._again = False
            if not self.read_only:
                try:
                    self.workspace.save()
                except WorkbenchError as exc:
                    self.tasks.failed.emit("save workspace", str(exc))

    # -- the rollout: P26 holds across processes, so these read the file under its lock --

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            self.tasks.failed.emit("edit workspace", self.refusal)
            raise WorkspaceError(self.refusal)

    def apply_percent(self, percent: float) -> RolloutConfig:
        self._refuse_if_read_only()
        self.flush()
        rollout = self.workspace.apply_percent(percent)
        self.changed.emit("rollout")
        self.changed.emit("addresses")
        return rollout

    def new_rollout(self, gray_url: str) -> RolloutConfig:
        self._refuse_if_read_only()
        self.flush()
        rollout = self.workspace.new_rollout(gray_url)
        self.changed.emit("rollout")
        self.changed.emit("addresses")
        return rollout
