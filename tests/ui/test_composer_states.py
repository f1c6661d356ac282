"""Issue 12 item 5: what the composer and the response view show between answers. While a send
runs, after a Cancel or a failure, the previous verdict, timing and body are dimmed and labelled
as the previous response; a timeout is headed by the timeout, never by "200 OK"; the URL and page
path fields hold hints, not values. Real widgets, the real mock server on a free loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import socket

from PySide6.QtCore import Qt

from tests.ui.test_composer_history import send_from_composer
from tests.ui.windows import open_window
from workbench.core.protocol import ProtocolSettings
from workbench.services import Services


async def test_sending_and_cancel_dim_the_previous_response_and_say_so(qtbot, services):
    window = await open_window(qtbot, services)
    c, r = window.composer, window.composer.response
    await send_from_composer(qtbot, window)
    assert r.status.text() == "200 OK" and r.verdict.text().startswith("✔ Cached")
    assert not r.is_dimmed() and not r.stale_note.isVisible()
    previous_body = r.body.toPlainText()

    services.mock.rules.default.delay_ms = 3000
    c.send()
    await asyncio.sleep(0)  # the send task starts: the request is on its way
    assert r.status.text() == "Sending…"
    assert r.is_dimmed() and r.stale_note.isVisible()
    assert "previous response" in r.stale_note.text()
    qtbot.mouseClick(c.cancel_button, Qt.MouseButton.LeftButton)
    with contextlib.suppress(asyncio.CancelledError):
        await c.send_task
    assert r.status.text().startswith("Cancelled") and "200" not in r.status.text()
    # the previous response is still there to read, but never looks like the answer
    assert r.is_dimmed() and r.stale_note.isVisible() and r.body.toPlainText() == previous_body

    services.mock.rules.default.delay_ms = 0
    await send_from_composer(qtbot, window)  # a new answer: shown undimmed, the note gone
    assert r.status.text() == "200 OK" and not r.is_dimmed() and not r.stale_note.isVisible()


async def test_a_first_send_has_nothing_to_dim(qtbot, services):
    window = await open_window(qtbot, services)
    c, r = window.composer, window.composer.response
    services.mock.rules.default.delay_ms = 3000
    c.send()
    await asyncio.sleep(0)
    assert r.status.text() == "Sending…" and not r.is_dimmed() and not r.stale_note.isVisible()
    c.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await c.send_task


async def test_a_timeout_after_a_200_status_line_is_headed_as_a_timeout(qtbot, workspace):
    """The mock sends "200 OK" and its headers, then the body stalls past the timeout (P11)."""
    services = Services(workspace, ProtocolSettings(timeout_s=0.3))
    try:
        window = await open_window(qtbot, services)
        r = window.composer.response
        await send_from_composer(qtbot, window)
        assert r.status.text() == "200 OK"
        services.mock.rules.default.fault = "stall"
        await send_from_composer(qtbot, window)
        assert r.status.text().startswith("Timed out after 0.3 s"), r.status.text()
        assert not r.status.text().startswith("200") and not r.is_dimmed()
        assert r.verdict.text().startswith("✘ Not cached") and "0.3 s timeout" in r.verdict.text()
        assert r.headers.toPlainText().split("\n")[0].split()[1] == "200"  # the raw status line is kept
    finally:
        await services.aclose()


async def test_a_refused_connection_is_not_headed_by_the_previous_status(qtbot, services):
    window = await open_window(qtbot, services)
    c, r = window.composer, window.composer.response
    await send_from_composer(qtbot, window)
    assert r.status.text() == "200 OK"
    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    c.target.setCurrentIndex(c.target.findData("custom"))
    c.url.setText(f"http://127.0.0.1:{closed}/prefetch")
    await send_from_composer(qtbot, window)
    assert r.status.text() == "Connection refused" and not r.is_dimmed()
    assert "refused" in r.verdict.text()


async def test_another_url_starts_empty_and_a_doubled_scheme_is_named(qtbot, services):
    """Pasting a URL after a pre-filled "https://" gave https://https://… and a DNS error."""
    window = await open_window(qtbot, services)
    c = window.composer
    c.target.setCurrentIndex(c.target.findData("custom"))
    assert c.url.isEnabled() and c.url.text() == ""
    assert c.url.placeholderText().startswith("e.g. ")  # a hint, not a value
    c.url.insert("https://api.example.test/prefetch")  # as a paste does
    assert c.preview.toPlainText().startswith("GET https://api.example.test/prefetch?appid=")
    c.url.setText("https://https://api.example.test/prefetch")
    assert c.error.text() == "The address starts with its scheme twice (https://https://…): remove one."
    assert not c.send_button.isEnabled() and c.preview.toPlainText() == ""


async def test_the_page_path_placeholder_is_a_hint_and_an_empty_path_is_not_sent(qtbot, services):
    """P7: path is optional; the placeholder must not look like the value being sent."""
    window = await open_window(qtbot, services)
    c = window.composer
    c.path.clear()
    assert c.path.placeholderText().startswith("e.g. pages/index/index")
    assert "empty: no path is sent" in c.path.placeholderText()
    assert c.query.raw.placeholderText().startswith("e.g. ")
    assert c.version.placeholderText().startswith("e.g. ")
    request = c.build_request()
    assert "path" not in dict(request.params()) and "&path=" not in c.preview.toPlainText()
    await send_from_composer(qtbot, window)
    assert '"path": ""' in window.composer.response.read_text.toPlainText()
    c.path.setText("pages/index/index")
    assert "&path=pages%2Findex%2Findex" in c.preview.toPlainText()


async def test_while_the_mock_starts_with_the_app_the_composer_says_starting_not_not_running(qtbot, services):
    """The app starts the mock server after its first paint; the first screen said, in red,
    "The mock server is not running: start it in the Mock server tab", for the moment until it
    ran, at every start. Now it says the mock server is starting, muted, and Send waits for it."""
    from workbench.ui.composer import ComposerView

    assert services.expect_mock_autostart()  # what the app says before it builds the window
    composer = ComposerView(services)
    qtbot.addWidget(composer)
    composer.show()
    assert composer.error.text() == "Starting the mock server…"
    assert composer.error.property("tone") == "muted" and not composer.send_button.isEnabled()
    await services.autostart_mock()
    assert not services.mock_starting
    assert composer.error.text() == "" and composer.send_button.isEnabled()
    assert composer.preview.toPlainText().startswith("GET " + services.mock_url("main"))
    await services.stop_mock()  # stopped by the user later: now it is a fault, said in red
    assert composer.error.text().startswith("The mock server is not running")
    assert composer.error.property("tone") == "error"


async def test_a_mock_that_does_not_start_with_the_app_is_said_to_be_not_running(qtbot, services):
    from workbench.ui.composer import ComposerView

    services.expect_mock_autostart()
    composer = ComposerView(services)
    qtbot.addWidget(composer)
    services._start_mock = _refusing_start  # its port taken, say, and no other would do
    await services.autostart_mock()
    assert not services.mock_starting and not services.mock_running
    assert composer.error.text().startswith("The mock server is not running")
    assert composer.error.property("tone") == "error"


async def _refusing_start(*args, **kwargs):
    from workbench.core.errors import ServerStartError

    raise ServerStartError("Port taken.")


async def test_before_the_first_response_the_response_side_is_its_headline_alone(qtbot, services):
    """It showed five empty tabs, an empty timing bar and a 0-byte size gauge under "No response
    yet" (and the start-up painted them all); now the headline says what to do, and the details
    appear with the first answer."""
    window = await open_window(qtbot, services)
    r = window.composer.response
    assert r.status.isVisible() and r.status.text().startswith("No response yet")
    assert not r.details.isVisible() and not r.tabs.isVisible() and not r.size_gauge.isVisible()
    await send_from_composer(qtbot, window)
    assert r.details.isVisible() and r.tabs.isVisible() and r.status.text() == "200 OK"
