"""The whole app works in a 1280×720 window and fits a 1366×768 laptop, in English and Chinese:
no tab, sub-tab, dialog or long text (the periodic clock, a verdict quoting a long URL, a long
mock URL, a long status message) raises the window's minimum size above 1280×720 or widens the
window (issue 12 item 1: it was 1396×802, and the periodic clock label grew it to 1817 px)."""

from __future__ import annotations

import asyncio
import dataclasses

from PySide6.QtWidgets import QTabWidget

from tests.support.outcomes import traffic_outcomes
from workbench.core.launch_mix import LaunchMix
from workbench.core.model import Reason, Verdict
from workbench.core.protocol import Launch
from workbench.core.rollout import Population
from workbench.ui.main_window import MainWindow

MAX_W, MAX_H = 1280, 720
LONG_URL = "http://127.0.0.1:8765/" + "/".join(f"segment{i}" for i in range(40)) + "?token=" + "t" * 120


class Fit:
    """Checks the window after every step; remembers the first width (it must never grow)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.width = window.width()
        self.steps: list[str] = []

    async def check(self, step: str) -> None:
        await asyncio.sleep(0.02)  # the loop runs: posted layout requests are handled
        w = self.window
        hint, size = w.minimumSizeHint(), w.size()
        where = f"after {step}: minimumSizeHint {hint.width()}×{hint.height()}, size {size.width()}×{size.height()}"
        assert hint.width() <= MAX_W and hint.height() <= MAX_H, where
        assert size.width() <= MAX_W and size.height() <= MAX_H, where
        assert size.width() <= self.width, where + f" (it was {self.width} px wide)"
        self.steps.append(step)


async def _visit_tabs(fit: Fit, tabs: QTabWidget, name: str) -> None:
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        await fit.check(f"{name} › {tabs.tabText(i)}")
        for inner in tabs.widget(i).findChildren(QTabWidget):
            if inner.isVisible():
                for j in range(inner.count()):
                    inner.setCurrentIndex(j)
                    await fit.check(f"{name} › {tabs.tabText(i)} › {inner.tabText(j)}")


async def _fits(dialog, name: str) -> None:
    """A dialog, just opened, fits the screen: its smallest size and its size; then it is closed."""
    await asyncio.sleep(0)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= MAX_W and hint.height() <= MAX_H, f"{name} {hint.width()}×{hint.height()}"
    assert dialog.width() <= MAX_W and dialog.height() <= MAX_H
    dialog.close()


async def test_every_view_fits_1280x720_and_no_text_widens_the_window(qtbot, services, language):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    await asyncio.sleep(0)
    fit = Fit(window)
    await fit.check("opening")
    assert fit.width <= MAX_W

    await _visit_tabs(fit, window.tabs, "main")

    # Cache › Periodic update: the clock label grew the window to 1817 px as the clock moved on
    cache = window.cache_view
    window.tabs.setCurrentWidget(cache)
    cache.tools.setCurrentIndex(2)
    before = cache.clock_label.text()
    for hours in (1, 12, 24, 168, 168):
        await cache.jump(hours)
        await fit.check(f"periodic clock +{hours} h")
    assert cache.clock_label.text() != before
    cache.clock_label.setText(cache.clock_label.text() + " · " + "a verdict that goes on and on " * 20)
    await fit.check("a very long clock line")
    assert cache.clock_label.is_elided() and cache.clock_label.toolTip() == cache.clock_label.text()
    cache.cold_summary.setText("onLaunch read nothing (P18); " * 30 + LONG_URL)
    cache.tools.setCurrentIndex(0)
    await fit.check("a long cold-start summary")
    cache.why_text.setPlainText(LONG_URL)
    cache.tools.setCurrentIndex(1)
    await fit.check("a long why-empty answer")
    # the state lines that say what each panel will do and what to do next (issue 12 item 6)
    cache.cold_state.setText("Ready: " + "a user with a long name " * 20 + LONG_URL)
    cache.cold_url.setEditText(LONG_URL)
    cache.tools.setCurrentIndex(0)
    await fit.check("a long cold-start state and address")
    cache.periodic_state.setText("Up to date: " + "the next update is due later " * 20)
    cache.periodic_token.state.setText("a token state " * 30)
    cache.tools.setCurrentIndex(2)
    await fit.check("a long periodic state")

    # Composer: a verdict quoting a long redirect URL, a long status line, a long URL typed in
    composer = window.composer
    window.tabs.setCurrentWidget(composer)
    outcome = traffic_outcomes(Population(size=10, seed="fit"), 0, 1)[0][0]
    outcome = dataclasses.replace(outcome, status=302, reason_phrase="Found " + "very " * 40 + "long",
                                  verdict=Verdict(False, (Reason.of("redirect", status=302, where=f" to {LONG_URL}"),
                                                          Reason.of("status", status=302))))
    await composer.response.show_outcome(outcome, (False, {"errMsg": "getBackgroundFetchData:fail"}), "android")
    await fit.check("a long verdict")
    for i in range(composer.response.tabs.count()):
        composer.response.tabs.setCurrentIndex(i)
        await fit.check(f"response › {composer.response.tabs.tabText(i)}")
    composer.url.setText(LONG_URL)
    await fit.check("a long URL in the composer")

    # Mock server: a long URL in its bar, both sub-tabs (Rules, Users and tokens)
    mock = window.mock_view
    window.tabs.setCurrentWidget(mock)
    mock.url_label.setText(LONG_URL)
    await fit.check("a long mock URL")
    await _visit_tabs(fit, window.tabs, "main again")

    # Traffic: a long rollout line and a long run summary
    traffic = window.traffic_view
    window.tabs.setCurrentWidget(traffic)
    traffic.rollout_label.setText("Rollout r-" + "x" * 300)
    traffic.run_summary.setText("10,000 cold starts: main 9,000, gray 1,000; " * 10)
    traffic.preview_note.setText("Preview: the slider's 7.68% (not applied) over all 1,000,000 users " * 6)
    await fit.check("long traffic lines")

    # status bar: a long message and a long workspace path
    services.notify("Wrote " + LONG_URL + ": 10,000 users")
    await fit.check("a long status message")
    window.workspace_label.setText("Workspace: /home/someone/" + "deep/" * 80 + "app.prepull.toml")
    await fit.check("a long workspace path")

    # the dialogs: each fits the screen too
    settings = window.show_settings()
    await asyncio.sleep(0)
    assert settings.minimumSizeHint().width() <= MAX_W and settings.minimumSizeHint().height() <= MAX_H
    settings.close()
    await _fits(window.show_check_dialog(), "check dialog")
    traffic.set_launch_mix(LaunchMix.parse_scene_mix("1001:7,1047:2,1089:1", Launch(path="pages/" + "long/" * 60)))
    await _fits(traffic.show_launches(), "launches dialog")
    await fit.check("the dialogs")
    assert len(fit.steps) > 30


def test_elided_label_keeps_its_text_and_explains_the_cut(qtbot):
    from workbench.ui.elided_label import ElidedLabel

    label = ElidedLabel("short")
    qtbot.addWidget(label)
    label.resize(400, 30)
    label.show()
    assert not label.is_elided() and label.toolTip() == ""
    long = "Simulated clock: 2030-01-01 12:00 · " + "not due before tomorrow " * 20
    label.setText(long)
    assert label.text() == long  # callers and tests read the whole text
    assert label.is_elided() and label.toolTip() == long
    assert label.displayed_text().endswith("…") and len(label.displayed_text()) < len(long)
    assert label.minimumSizeHint().width() < 120  # a layout may shrink it instead of the window growing
    label.setToolTip("mine")
    label.setText(long + "!")
    assert label.toolTip() == "mine"
