"""The Check server workflow: runs the contract checks of core/check.py for the GUI.

It owns the running task and says what happens through signals; the dialog only renders them.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from workbench.core.check import CheckOptions, CheckResult, run_checks
from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.services import Services


class CheckWorkflow(QObject):
    #: A run began.
    started = Signal()
    #: One check was decided (a CheckResult), in the order the checks run.
    resultReady = Signal(object)
    #: The run ended with every check (list[CheckResult]).
    finished = Signal(list)
    #: The run could not go on: one sentence for the user (store trouble, cancelled).
    failed = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.task: asyncio.Future[list[CheckResult]] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self, options: CheckOptions) -> asyncio.Future[list[CheckResult]] | None:
        """Run the checks in the background; None when a run is already going."""
        if self.running:
            return None
        self.task = self.services.spawn(self.run(options))
        return self.task

    def cancel(self) -> None:
        if self.running:
            assert self.task is not None
            self.task.cancel()

    async def run(self, options: CheckOptions) -> list[CheckResult]:
        """Every check against the server, each request stored in the history (source "check")."""
        self.started.emit()
        services = self.services
        try:
            results = await run_checks(options, services.client, store=services.store,
                                       on_result=self.resultReady.emit)
        except asyncio.CancelledError:
            self.failed.emit(self.tr("The check was cancelled; the requests sent so far are in the history."))
            raise
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return []
        finally:
            services.historyChanged.emit()
        self.finished.emit(results)
        return results


def check_defaults(services: Services) -> dict[str, Any]:
    """What the Check server dialog starts with: the mock server's addresses and a token it
    accepts when it runs, so a first run works at once. (The workspace will fill these later.)"""
    values: dict[str, Any] = {"appid": services.settings_appid()}
    mock = services.mock
    if mock.running:
        values.update(url=mock.url("main"), gray_url=mock.url("gray"), periodic_url=mock.url("periodic"),
                      code_exchange_url=mock.base_url + mock.config.code2session_path)
        token = next((u.token for u in mock.config.users if u.token), None)
        if token:
            values["token"] = token
    return values
