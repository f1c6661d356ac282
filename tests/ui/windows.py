"""Opening the real main window for a test: the mock server running, the window shown."""

from __future__ import annotations

from workbench.services import Services
from workbench.ui.main_window import MainWindow


async def open_window(qtbot, services: Services, *, size: tuple[int, int] | None = None) -> MainWindow:
    """The main window on ``services``, its mock server started (port 0), shown at ``size``."""
    await services.start_mock()
    window = MainWindow(services)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    return window
