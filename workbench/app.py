"""GUI bootstrap: one QApplication, one qasync loop for Qt, httpx and (later) uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workbench import __version__
from workbench.core.errors import WorkbenchError

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def translations_dir() -> Path:
    """Built .qm files: next to the package in a checkout, or inside it when installed."""
    bundled = Path(__file__).resolve().parent / "translations"
    return bundled if bundled.is_dir() else TRANSLATIONS_DIR


def install_translators(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load the workbench's and Qt's own translations for ``locale`` (default: the system's).

    PREPULL_LANG=zh_CN (or en) overrides the system locale.
    """
    if locale is None:
        forced = os.environ.get("PREPULL_LANG")
        locale = QLocale(forced) if forced else QLocale.system()
    installed = []
    for name, folder in (("workbench", str(translations_dir())),
                         ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Prepull Workbench")
    app.setOrganizationName("prepull-workbench")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("prepull-workbench")
    app.setQuitOnLastWindowClosed(False)  # main() ends the loop itself, after cleaning up
    icon = TRANSLATIONS_DIR.parent / "icons" / "prepull-workbench.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


class QuitAfterFirstPaint(QObject):
    """Closes ``window`` once it has painted for the first time, after printing "first paint".

    For the start-up benchmark (process start to first paint) and smoke tests of a packaged app.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._seen = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            QTimer.singleShot(0, self._painted)  # after this paint has gone to the screen
        return False

    def _painted(self) -> None:
        if sys.stdout is not None:  # a GUI-script on Windows has no stdout
            sys.stdout.write("first paint\n")
            sys.stdout.flush()
        window = self.parent()
        assert isinstance(window, QWidget)
        window.close()


async def main_window_session(workspace: Path, quit_after_first_paint: bool = False) -> int:
    """Open the window, wait until the user leaves, then close everything before returning."""
    from workbench.services import Services
    from workbench.ui.main_window import MainWindow

    try:
        services = Services(workspace)
    except WorkbenchError as exc:
        QMessageBox.critical(None, QApplication.translate("app", "Prepull Workbench"), str(exc))
        return 2
    window = MainWindow(services)
    leaving = asyncio.get_running_loop().create_future()
    window.closed.connect(lambda: leaving.done() or leaving.set_result(None))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C in the terminal or a logout: quit cleanly
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, window.close)
    if quit_after_first_paint:
        QuitAfterFirstPaint(window)
    window.show()
    services.spawn(services.autostart_mock())
    try:
        await leaving
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
        window.deleteLater()
        await services.aclose()
    return 0


def run_gui(workspace: Path, quit_after_first_paint: bool = False) -> int:
    import qasync

    app = create_application()
    install_translators(app)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(main_window_session(workspace, quit_after_first_paint))
