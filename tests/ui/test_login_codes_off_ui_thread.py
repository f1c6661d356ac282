"""Login codes are issued off the UI thread (issue 13: the UI never blocks).

The workspace's login authority (a lock and a SQLite write) is shared with the mock server's
thread, which redeems codes, and with a traffic run, which asks for hundreds at a time: a code
issued on the UI thread froze the window for as long as any of them held it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt

from tests.support.qt_async import until
from workbench.ui.main_window import MainWindow

HOLD_S = 15  # the holder lets go by itself after this: code that blocks on it fails, never hangs


@contextmanager
def authority_held(services) -> Iterator[threading.Event]:
    """Another thread holds the login authority's lock until the block ends (or HOLD_S passed).
    Yields an event that is set once that thread has let go."""
    taken, release, released = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        with services.login._lock:
            taken.set()
            release.wait(HOLD_S)
        released.set()

    holder = threading.Thread(target=hold, name="test-login-holder", daemon=True)
    holder.start()
    assert taken.wait(10)
    try:
        yield released
    finally:
        release.set()
        holder.join(HOLD_S)


def _composer(qtbot, services, user: str = "alice"):
    """The real main window's composer, with ``user`` chosen."""
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.composer.user.setEditText(user)
    return window.composer


def _code_mode(composer) -> None:
    composer.identity_kind.setCurrentIndex(composer.identity_kind.findData("code"))


async def test_new_code_returns_at_once_and_the_code_follows_when_the_authority_is_free(qtbot, services):
    c = _composer(qtbot, services)
    _code_mode(c)
    await until(lambda: len(c.secret.text()) == 32)
    first = c.secret.text()

    with authority_held(services) as released:
        qtbot.mouseClick(c.new_code, Qt.MouseButton.LeftButton)
        # the click came back while the authority is still held: the UI thread did not wait
        assert not released.is_set()
        assert c.secret.text() == "" and not c.secret.isEnabled()  # a code is on its way
        assert c.error.text() == "Issuing a login code…" and not c.send_button.isEnabled()
        for _ in range(3):  # and the loop keeps turning meanwhile
            await asyncio.sleep(0.01)
        assert not released.is_set() and c.secret.text() == ""
    await until(lambda: len(c.secret.text()) == 32)
    assert c.secret.text() != first and c.secret.isEnabled()
    # a code this workspace's mock server redeems, for the user chosen (P4)
    assert services.login.exchange(c.secret.text()).user == "alice"


async def test_a_newer_code_supersedes_one_still_on_its_way(qtbot, services):
    c = _composer(qtbot, services)
    _code_mode(c)
    await until(lambda: c.secret.text() != "")
    with authority_held(services):
        c.new_code.click()
        c.user.setEditText("bob")
        c.new_code.click()  # the first request is cancelled: only bob's code lands
    await until(lambda: c.secret.text() != "")
    await services.tasks.idle()
    assert services.login.exchange(c.secret.text()).user == "bob"


async def test_switching_to_a_token_while_a_code_is_on_its_way_keeps_the_token(qtbot, services):
    c = _composer(qtbot, services)
    with authority_held(services):
        _code_mode(c)
        assert c.secret.text() == ""
        c.identity_kind.setCurrentIndex(c.identity_kind.findData("token"))
    await services.tasks.idle()
    assert c.secret.text() == "token-alice" and c.secret.isEnabled()


async def test_a_cold_start_with_a_login_code_leaves_the_loop_free_while_the_authority_is_busy(qtbot, services):
    """The cache view's cold start issues its code in a thread, and its summary reads the new
    session_key in one too (P4, P6)."""
    await services.start_mock()
    window = MainWindow(services)
    qtbot.addWidget(window)
    view = window.cache_view
    window.tabs.setCurrentWidget(view)
    view.cold_user.setCurrentText("newcomer")  # no token: the launch carries a fresh login code (P4)
    finished = []
    services.cold_start.finished.connect(finished.append)
    with authority_held(services) as released:
        view.cold_button.click()
        turns = 0
        while turns < 20 and not released.is_set():
            await asyncio.sleep(0.005)
            turns += 1
        assert turns == 20 and not released.is_set() and not finished  # turned while it waited
    await until(lambda: bool(finished), 30)
    assert finished[0].identity_kind == "code"
    await until(lambda: "session_key is now" in view.cold_summary.text())


async def test_a_code_is_for_the_user_chosen_after_it_and_typing_a_name_asks_for_one_code(qtbot, services):
    """Review: a login code belongs to one user, but choosing another user kept the last user's
    code in the form: code2session then answered for the wrong openid."""
    c = _composer(qtbot, services)
    _code_mode(c)
    await until(lambda: len(c.secret.text()) == 32)
    issued = []
    real = services.issue_code
    services.issue_code = lambda user: issued.append(user) or real(user)
    for typed in ("b", "bo", "bob"):  # typed a key at a time
        c.user.setEditText(typed)
        assert c.secret.text() == "" and not c.send_button.isEnabled()  # never sent with alice's code
    await until(lambda: len(c.secret.text()) == 32)
    assert issued == ["bob"] and services.login.exchange(c.secret.text()).user == "bob"
