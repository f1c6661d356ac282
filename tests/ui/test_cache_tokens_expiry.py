"""The Cache tab shows getBackgroundFetchToken per user and platform (P20) and honours the
periodic expiry setting (P24): an expired periodic entry reads as missing, with the reason."""

from __future__ import annotations

from tests.ui.windows import open_window
from workbench.core.protocol import ProtocolSettings
from workbench.services import Services


async def cache_window(qtbot, services):
    window = await open_window(qtbot, services)
    window.tabs.setCurrentWidget(window.cache_view)
    return window.cache_view


async def test_p20_token_results_per_user_and_platform(qtbot, services):
    view = await cache_window(qtbot, services)
    services.store.set_token(services.settings_appid(), "alice", "tok-alice-123456", 0)
    await view.refresh()
    text = view.tokens.text.toPlainText()
    alice, bob = text.split("\nbob\n")
    assert alice.startswith("alice\n") and "tok-alice-123456" not in text  # masked by default
    assert alice.count("→ success") == 2 and "android" in alice and "ios" in alice and "3456" in alice
    assert bob.count("→ fail") == 2 and "setBackgroundFetchToken first" in bob
    view.tokens.show_tokens.setChecked(True)
    await view.tokens.task
    assert '"token": "tok-alice-123456"' in view.tokens.text.toPlainText()


async def test_p24_an_expired_periodic_entry_reads_as_missing_with_the_reason(qtbot, workspace):
    services = Services(workspace, ProtocolSettings(periodic_expiry_h=1))
    try:
        view = await cache_window(qtbot, services)
        view.cold_user.setEditText("alice")
        await view.periodic_token.apply()  # the token the mock knows for alice, set as the Mini Program would (P20)
        await view.fetch_periodic_now()
        await view.refresh()
        row = next(i for i, e in enumerate(view.model.entries) if e.fetch_type == "periodic")
        view.table.selectRow(row)
        view.platform.setCurrentIndex(view.platform.findData("android"))
        assert "getBackgroundFetchData:ok" in view.read_text.toPlainText()
        await view.jump(1)  # the simulated clock passes the expiry
        text = view.read_text.toPlainText()
        assert text.startswith("// The periodic entry of") and "expired after 1 hours (P24" in text
        assert "→ fail" in text and "getBackgroundFetchData:fail" in text
        view.why_user.setEditText("alice")
        view.why_type.setCurrentIndex(view.why_type.findData("periodic"))
        assert (await view.explain())[0].key == "periodic_expired"
    finally:
        await services.aclose()
