"""The composer shows the P10 warning for plain http elsewhere and sends no launch with a
periodic update (P21). Nothing here is sent to a non-loopback address: only the preview is read."""

from __future__ import annotations

from workbench.core.protocol import Launch
from workbench.ui.composer import ComposerView


async def composer(qtbot, services) -> ComposerView:
    await services.start_mock()
    view = ComposerView(services)
    qtbot.addWidget(view)
    view.show()
    return view


async def test_p10_plain_http_to_another_host_shows_a_warning_and_stays_sendable(qtbot, services):
    c = await composer(qtbot, services)
    c.target.setCurrentIndex(c.target.findData("custom"))
    c.url.setText("http://dev.example.test/prefetch")
    assert c.http_warning.isVisible()
    assert c.http_warning.text().startswith("WeChat would not accept this address")
    assert c.error.text() == "" and c.send_button.isEnabled()  # allowed, not refused
    assert c.preview.toPlainText().startswith("GET http://dev.example.test/prefetch?appid=")
    for ok in ("https://dev.example.test/prefetch", "http://127.0.0.1:9/p", "http://localhost/p"):
        c.url.setText(ok)
        assert not c.http_warning.isVisible(), ok


async def test_p21_periodic_disables_the_launch_fields_and_sends_none(qtbot, services):
    c = await composer(qtbot, services)
    c.path.setText("pages/x")
    c.query.set_text("k=v")
    c.version.setText("1.0.0")
    c.target.setCurrentIndex(c.target.findData("periodic"))
    assert c.fetch_type.currentData() == "periodic"
    assert not any(w.isEnabled() for w in (c.path, c.query, c.scene, c.version))
    request = c.build_request()
    assert request.launch == Launch() and [k for k, _ in request.params()] == ["appid", "token", "timestamp"]
    c.target.setCurrentIndex(c.target.findData("main"))
    assert c.path.isEnabled() and c.build_request().launch.query == "k=v"
