"""GUI bootstrap: one QApplication, one qasync loop for Qt, httpx and (later) uvicorn."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import shiboken6
from PySide6.QtCore import QEvent, QEventLoop, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from workbench import __version__
from workbench.core.errors import WorkbenchError
from workbench.core.workspace import SUFFIX, Workspace
from workbench.ui.pyside_features import skip_feature_scan, skip_feature_scan_of

if TYPE_CHECKING:
    import asyncio

    from workbench.services import Services
    from workbench.ui.instance import WorkspaceGuard
    from workbench.ui.main_window import MainWindow


skip_feature_scan()  # right after the imports above: the modules they loaded, and the rest of the workbench


def resource_path(*parts: str) -> Path:
    """A file the app loads at run time (built .qm, icon).

    They ship inside the package, in workbench/resources, so a checkout, an editable or a normal
    install (pip, pipx) and a PyInstaller bundle all find them the same way: beside this module.
    (``importlib.resources.files`` gives the same folder for every way we ship, and cost 2-3 ms of
    imports before the first paint.)
    """
    return Path(__file__).resolve().parent.joinpath("resources", *parts)


def translations_dir() -> Path:
    """The built .qm files (their .ts sources live in resources/translations of the checkout)."""
    return resource_path("translations")


def install_translators(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load the workbench's and Qt's own translations for ``locale`` (default: the system's).

    PREPULL_LANG=zh_CN (or en) overrides the system locale.
    """
    if locale is None:
        locale = chosen_locale()
    # The ones installed before are kept here, not found among the application's children: the
    # first children() after a lambda was connected to a signal made the Python types of every
    # QObject subclass and their enums (10-20 ms before the first paint).
    for old in _TRANSLATORS:  # switching language
        if shiboken6.isValid(old):
            app.removeTranslator(old)
            old.deleteLater()
    _TRANSLATORS.clear()
    installed = []
    for name, folder in (("workbench", str(translations_dir())),
                         ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    _TRANSLATORS.extend(installed)
    return installed


#: The translators install_translators installed last (it replaces them when the language changes).
_TRANSLATORS: list[QTranslator] = []


class MainThreadCollector(QObject):
    """Python's cyclic garbage collector runs in whichever thread happens to allocate. A Qt object
    it frees in a worker thread (SQLite and formatting run in threads) is destroyed there: Qt
    warns "Timers cannot be stopped from another thread" and the process can crash later. So
    automatic collection is off and this collects on the GUI thread instead, on a timer, by the
    same thresholds automatic collection uses (the pattern PyQt's documentation recommends)."""

    #: The last one made (create_application makes one per application).
    instance: MainThreadCollector | None = None

    def __init__(self, parent: QObject | None = None, interval_ms: int = 250) -> None:
        super().__init__(parent)
        MainThreadCollector.instance = self
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] > thresholds[0]:
            generation = 2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0
            gc.collect(generation)


#: QSettings key of the language the user chose in View › Language (a machine thing).
LANGUAGE_KEY = "language"


def chosen_locale() -> QLocale:
    """PREPULL_LANG wins; then the language chosen in the app; else the system's."""
    from PySide6.QtCore import QSettings

    forced = os.environ.get("PREPULL_LANG") or str(QSettings().value(LANGUAGE_KEY, "") or "")
    return QLocale(forced) if forced else QLocale.system()


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):  # none yet (Qt refuses a second one beside a QCoreApplication)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Prepull Workbench")
    app.setOrganizationName("prepull-workbench")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("prepull-workbench")
    app.setQuitOnLastWindowClosed(False)  # main() ends the loop itself, after cleaning up
    collector = MainThreadCollector.instance
    if collector is None or not shiboken6.isValid(collector) or collector.parent() is not app:
        MainThreadCollector(app)  # (not looked for among app.children(): see install_translators)
    from workbench.ui import theme

    theme.apply(app)  # light or dark: the system's, unless View › Theme says otherwise
    icon = resource_path("icons", "prepull-workbench.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


class AfterFirstPaint(QObject):
    """Calls ``callback`` once, on the event-loop turn after ``window`` first painted (or after
    ``fallback_ms`` if it has not painted by then): work the first screen does not need waits
    for it, so the window appears sooner. ``only_while_shown``: not for a window closed by then."""

    def __init__(self, window: QWidget, callback: Callable[[], object], fallback_ms: int = 1000, *,
                 only_while_shown: bool = True) -> None:
        super().__init__(window)
        self._callback: Callable[[], object] | None = callback
        self._only_while_shown = only_while_shown
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        window = self.parent()
        # a window closed before this turn (closed at once, or a smoke test's quit after the first
        # paint) has nothing to finish: its services are closing
        shown = isinstance(window, QWidget) and window.isVisible()
        if callback is not None and (shown or not self._only_while_shown):
            callback()


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


def demo_workspace() -> Workspace:
    """The first start's workspace: the sample Mini Program wired to the embedded mock server, with
    a launch ready to send, so one click shows a whole round trip (send, response, cache, history)."""
    from workbench.core.workspace import DEMO_NAME, default_workspace_dir, open_workspace

    folder = default_workspace_dir()
    fresh = not any(folder.glob("*" + SUFFIX)) if folder.is_dir() else True
    ws = open_workspace(folder, new_name=DEMO_NAME, validate_later=not fresh)
    if fresh:
        wire_demo(ws)
    return ws


def wire_demo(ws: Workspace) -> None:
    """Point a new workspace's addresses at its embedded mock server, with a launch worth sending:
    the first Send is a whole round trip."""
    port = ws.doc.mock.port
    ws.doc.addresses.main = f"http://127.0.0.1:{port}/prefetch"
    ws.doc.addresses.gray = f"http://127.0.0.1:{port}/prefetch/gray"
    ws.doc.addresses.periodic = f"http://127.0.0.1:{port}/periodic"
    ws.doc.rollout.gray = ws.doc.addresses.gray
    ws.doc.launch.path = "pages/index/index"
    ws.doc.launch.query = "id=42&from=demo"
    ws.doc.launch.scene = 1047
    ws.save()


def initial_workspace(arg: str | Path | None) -> Path:
    """What the app opens: the --workspace given, else the last one used, else the demo."""
    from workbench.core.workspace import resolve_path
    from workbench.ui.main_window import recent_workspaces

    if arg:
        return resolve_path(arg)
    recent = recent_workspaces()
    return Path(recent[0]) if recent else demo_workspace().path


def show_error(parent: QWidget | None, text: str) -> None:
    """One sentence in a modal box (QMessageBox loads only when there is something to say)."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, QApplication.translate("app", "Prepull Workbench"), text)


async def finish_opening(window: QWidget, services: Services, guard: WorkspaceGuard | None = None) -> None:
    """What the first screen did not need, once it is on screen: the workspace's guard answering
    second starts (QtNetwork), the workspace file validated by the schema if that was left for
    later (in a thread: importing pydantic and validating froze the new window ~110 ms), the
    workspace added to File › Open Recent (a write of the settings file), then the mock server
    started (uvicorn, the rules)."""
    from workbench.ui.main_window import remember_workspace

    if guard is not None:
        guard.listen()
    try:
        await services.tasks.in_thread(services.workspace.validate)
    except WorkbenchError as exc:  # the file changed in a way its note could not tell: say so, close
        show_error(window, str(exc))
        window.close()
        return
    remember_workspace(services.workspace.path)
    await services.autostart_mock()


def _finish_opening_soon(window: QWidget, services: Services, guard: WorkspaceGuard) -> None:
    services.spawn(finish_opening(window, services, guard), "finish opening")


@dataclass
class OpenWindow:
    """A main window on screen, with the services and the guard of its workspace."""

    path: Path
    guard: WorkspaceGuard
    services: Services
    window: MainWindow
    #: The window was closed (its ``closed`` was emitted), maybe before the session awaited it.
    closed: bool = False

    def mark_closed(self) -> None:
        self.closed = True


def open_window(path: Path, guard: WorkspaceGuard, *, read_only: bool, welcome: bool) -> OpenWindow:
    """Open the workspace at ``path`` in a new main window and show it (raises WorkbenchError)."""
    from workbench.core.workspace import open_workspace
    from workbench.services import Services
    from workbench.ui import instance
    from workbench.ui.main_window import MainWindow

    # a file the schema validated before opens without it; it is validated after the first paint
    # (a read-only window writes nothing, not even the note that makes this possible)
    services = Services(open_workspace(path, validate_later=not read_only), read_only=read_only)
    services.expect_mock_autostart()  # the composer says "starting" until finish_opening has started it
    window = MainWindow(services)
    guard.activationRequested.connect(lambda w=window: instance.bring_forward(w))
    opened = OpenWindow(path, guard, services, window)
    window.closed.connect(opened.mark_closed)
    window.show()
    if welcome:
        from workbench.ui.welcome import due_at_start

        if due_at_start():
            window.show_welcome()
    return opened


def paint_first_window(workspace: Path | str | None, *,
                       quit_after_first_paint: bool = False) -> OpenWindow | Path | int:
    """Open the first window and let Qt's own event loop paint it, before asyncio exists.

    asyncio and qasync cost ~27 ms to import (ssl, sockets, subprocesses, concurrent.futures)
    and the first screen uses neither: the app's event loop starts right after this, and what
    waits for the first paint (finish_opening) runs on it. A start that has to ask the user first
    (the workspace is open in another window) returns the workspace's path: the session asks,
    with the loop running, since asking that window to come forward is asynchronous. An error
    has been said when this returns the exit status 2.
    """
    from workbench.ui import instance

    try:
        path = initial_workspace(workspace)
    except WorkbenchError as exc:
        show_error(None, str(exc))
        return 2
    guard = instance.WorkspaceGuard(path)
    guard.begin()  # its lock file is written and synced in a thread while the first screen's modules load
    from workbench.ui import main_window  # noqa: F401 (loaded meanwhile: --workspace PATH has not yet)

    if not guard.settled():
        guard.deleteLater()
        return path
    try:
        opened = open_window(path, guard, read_only=False, welcome=not quit_after_first_paint)
    except WorkbenchError as exc:
        guard.release()
        guard.deleteLater()
        show_error(None, str(exc))
        return 2
    painted = QEventLoop()
    # installed before QuitAfterFirstPaint, so Qt asks it last: "first paint" is said on this loop
    AfterFirstPaint(opened.window, painted.quit, only_while_shown=False)
    if quit_after_first_paint:
        QuitAfterFirstPaint(opened.window)
    # A click or a key now would start work with no loop to run it (a tab opened, a send): input
    # waits for the app's loop, a moment later
    painted.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    return opened


async def main_window_session(workspace: Path | str | OpenWindow | None, *,
                              quit_after_first_paint: bool = False) -> int:
    """Open the window (or take the one paint_first_window opened), wait until the user leaves,
    then close everything before returning.

    File > New/Open/Save As close the window and open the chosen workspace in a new one. A
    workspace another window has open is not opened twice for writing: the user switches to that
    window (this process ends) or opens it read-only (see workbench.ui.instance).
    """
    import asyncio

    from workbench.ui import instance

    opened: OpenWindow | None = None
    path: Path | None
    if isinstance(workspace, OpenWindow):
        opened, path = workspace, workspace.path
    else:
        try:
            path = initial_workspace(workspace)
        except WorkbenchError as exc:
            show_error(None, str(exc))
            return 2
    loop = asyncio.get_running_loop()
    reopen = False
    previous: Path | None = None
    while path is not None:
        if opened is not None:  # painted before the loop: what waits for the first paint runs now
            opened.services.tasks.loop_started()  # and what its views asked for meanwhile
            if not opened.closed:
                _finish_opening_soon(opened.window, opened.services, opened.guard)
        else:
            if reopen:
                install_translators(QApplication.instance())  # type: ignore[arg-type]
            guard = instance.WorkspaceGuard(path)
            other = await guard.claim()
            read_only = False
            if other is not None:
                choice = instance.ask_what_to_do(path, other)
                if choice is instance.Choice.SWITCH and await guard.ask_to_activate():
                    guard.deleteLater()
                    return 0  # the running window shows it: this process has nothing more to do
                if choice is instance.Choice.CANCEL:
                    guard.deleteLater()
                    if previous is None or previous == path:
                        return 0
                    path, previous = previous, None  # back to the workspace this window had open
                    continue
                read_only = True  # chosen, or the running window stopped answering before it could switch
            try:
                opened = open_window(path, guard, read_only=read_only,
                                     welcome=not quit_after_first_paint and not reopen)
            except WorkbenchError as exc:
                guard.release()
                guard.deleteLater()
                show_error(None, str(exc))
                return 2
            AfterFirstPaint(opened.window, functools.partial(_finish_opening_soon, opened.window, opened.services,
                                                             guard))
            if quit_after_first_paint:  # a smoke test of a build: it starts, paints, then cleans up as on close
                # (installed last, so Qt asks it first: "first paint" is said before finish_opening runs)
                QuitAfterFirstPaint(opened.window)
        window, services, guard = opened.window, opened.services, opened.guard
        leaving = loop.create_future()

        def leave(f: asyncio.Future[None] = leaving) -> None:
            if not f.done():
                f.set_result(None)

        window.closed.connect(leave)
        if opened.closed:
            leave()
        for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C in the terminal or a logout: quit cleanly
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, window.close)
        try:
            await leaving
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(sig)
            previous, path = path, window.next_workspace
            reopen = True
            opened = None
            # services first: stopping the mock still signals the views, which must be alive then
            await services.aclose()
            guard.release()  # after the last write: the next window on this workspace may write
            guard.deleteLater()
            window.deleteLater()
    return 0


def run_gui(workspace: Path | str | None, *, quit_after_first_paint: bool = False, exit_fast: bool = True) -> int:
    """Run the app until the user leaves; then (``exit_fast``) end the process at once."""
    app = create_application()
    install_translators(app)
    first = paint_first_window(workspace, quit_after_first_paint=quit_after_first_paint)
    if isinstance(first, int):
        code = first
    else:  # the window is on screen: its event loop now
        skip_feature_scan_of()  # asyncio's and qasync's modules
        import asyncio

        import qasync

        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            code = runner.run(main_window_session(first, quit_after_first_paint=quit_after_first_paint))
    if exit_fast:
        exit_now(code)
    return code


def exit_now(code: int) -> NoReturn:
    """End the process now that everything is closed and saved (the session awaited it all).

    Python's own teardown (freeing every module and object, a full garbage collection, with
    automatic collection off all session long) took 0.1-0.3 s after the window closed, and does
    nothing a user needs. What it would do that matters is done here first: settings and logs
    flushed, helper processes ended, and Qt's application object destroyed as usual (on X11 that
    hands the clipboard to the desktop's clipboard manager, so a copied curl command outlives us).
    """
    import logging

    from PySide6.QtCore import QSettings

    QSettings().sync()
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None:  # a traffic or split helper ends with its run; never left behind
        for child in multiprocessing.active_children():
            child.kill()
    logging.shutdown()
    app = QApplication.instance()
    if app is not None:
        shiboken6.delete(app)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(code)
