"""The Traffic tab: the gray-scale rollout slider, simulated users, real cold-start traffic and
live charts (pyqtgraph) of where it went, how fast, and whether it was cached."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import InvalidInput
from workbench.core.launch_mix import LaunchMix, LaunchVariant
from workbench.core.protocol import validate_url
from workbench.core.rollout import BUCKETS, Population, Rollout, SplitIndex
from workbench.core.traffic import TrafficStats
from workbench.core.traffic_worker import TrafficResult
from workbench.services import Services
from workbench.ui.elided_label import ElidedLabel, fits_any_width
from workbench.ui.lazy import LazyWidget
from workbench.ui.theme import color, follow_plot, set_tone, style_plot
from workbench.workflows.traffic import RunResult

if TYPE_CHECKING:
    from collections.abc import Iterator

    from workbench.ui.launch_mix_dialog import LaunchMixDialog

MAIN_COLOR, GRAY_COLOR = "#1e88e5", "#8e24aa"


class Notice(QLabel):
    """A label that takes no room while it has nothing to say (the controls share 720 px with the
    charts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


class FloorSlider(QSlider):
    """A percentage slider (0.01 steps) that marks the rollout's non-retractable floor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, BUCKETS)
        self.setPageStep(100)
        self.setSingleStep(1)
        self.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.setTickInterval(1000)
        self.setMinimumHeight(44)
        self.floor = 0

    def set_floor(self, value: int) -> None:
        self.floor = value
        self.update()

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.floor <= 0:
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        x = groove.left() + handle.width() / 2 + span * self.floor / self.maximum()
        painter = QPainter(self)
        shade = color("error")  # the floor, readable on a light or a dark groove
        shade.setAlpha(40)
        painter.fillRect(QRectF(groove.left(), groove.top() - 4, x - groove.left(), groove.height() + 8), shade)
        painter.setPen(QPen(color("error"), 2))
        painter.drawLine(int(x), 0, int(x), self.height())


class TrafficView(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        doc = services.document.doc
        self.index: SplitIndex | None = None
        self._index_key: tuple[Population, str, str] | None = None
        self.index_task: asyncio.Future[SplitIndex] | None = None
        self.run_task: asyncio.Future[RunResult | None] | None = None
        self.stats = TrafficStats()
        self._chart = ChartCounts()
        self._started_at = 0.0

        # -- addresses and rollout --
        self.main_url = QLineEdit()
        self.main_url.setObjectName("mainUrl")
        self.gray_url = QLineEdit()
        self.gray_url.setObjectName("grayUrl")
        self.use_mock = QPushButton(self.tr("Use the mock server"))
        self.rollout_label = ElidedLabel()
        self.rollout_label.setObjectName("rolloutLabel")
        self.new_rollout_button = QPushButton(self.tr("New rollout…"))
        self.new_rollout_button.setToolTip(self.tr("Start over from 0% with a new rollout id (P26)"))

        # -- slider --
        self.slider = FloorSlider()
        self.slider.setObjectName("percentSlider")
        self.percent = QDoubleSpinBox()
        self.percent.setObjectName("percentBox")
        self.percent.setRange(0, 100)
        self.percent.setDecimals(2)
        self.percent.setSingleStep(0.01)
        self.percent.setSuffix(" %")
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setObjectName("applyPercent")
        self.split_label = QLabel()
        self.split_label.setObjectName("splitLabel")
        font = self.split_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.split_label.setFont(font)
        # what the preview counts, and how it relates to what a run uses (issue 12 item 7)
        self.preview_note = fits_any_width(QLabel())
        self.preview_note.setObjectName("previewNote")
        self.refusal = Notice()
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        set_tone(self.refusal, "error")

        # -- population --
        self.population_size = QSpinBox()
        self.population_size.setObjectName("populationSize")
        self.population_size.setRange(1, 1_000_000)
        self.population_size.setValue(doc.population.size)
        self.population_size.setGroupSeparatorShown(True)
        self.token_share = self._share(round(doc.population.token_share * 100))
        self.develop_share = self._share(round(doc.population.develop_share * 100))
        self.trial_share = self._share(round(doc.population.trial_share * 100))
        self.ios_share = self._share(round(doc.population.ios_share * 100))
        self.include = {name: QCheckBox(label) for name, label in (
            ("release", self.tr("release")), ("trial", self.tr("trial")), ("develop", self.tr("develop")))}
        for name, toggle in self.include.items():
            toggle.setChecked(name in doc.traffic.versions)

        # -- run --
        self.run_count = QSpinBox()
        self.run_count.setObjectName("runCount")
        self.run_count.setRange(1, 1_000_000)
        self.run_count.setValue(doc.traffic.users)
        self.run_count.setGroupSeparatorShown(True)
        self.rate = QSpinBox()
        self.rate.setRange(0, 100_000)
        self.rate.setSpecialValueText(self.tr("unlimited"))
        self.rate.setSuffix(self.tr(" /s"))
        self.rate.setValue(round(doc.traffic.rate))
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 256)
        self.concurrency.setValue(doc.traffic.concurrency)
        self.run_button = QPushButton(self.tr("Run cold starts"))
        self.run_button.setObjectName("runTraffic")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("trafficProgress")
        # how the users launch (the workspace's launch mix): a run and its Locust export both use it
        self.launches_button = QPushButton()
        self._launches_shown: object = None  # the document's launches the button shows
        self.launches_button.setObjectName("launchesButton")
        self.export_button = QPushButton(self.tr("Export Locust file…"))
        self.export_button.setObjectName("exportLocust")
        self.export_button.setToolTip(self.tr("Write these cold starts (users, rollout split, rate) as a Locust file "
                                              "for load from many machines; it holds tokens"))
        self.run_summary = fits_any_width(QLabel())
        self.run_summary.setObjectName("runSummary")

        # -- charts (pyqtgraph loads when the first run starts or the charts are first shown) --
        self.charts_box = LazyWidget(self._build_charts, needs=("pyqtgraph",), tasks=services.tasks)
        self.charts_box.setMinimumHeight(220)
        # before a run: what will appear, instead of empty axes
        self.chart_hint = QLabel(self.tr("Run cold starts to see, live: requests per second to the main and gray "
                                         "addresses, their latency histogram, and how many responses were cached."))
        self.chart_hint.setObjectName("chartHint")
        self.chart_hint.setWordWrap(True)
        self.chart_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self.chart_hint, "hint")
        self.chart_stack = QStackedWidget()
        self.chart_stack.setObjectName("chartStack")
        self.chart_stack.addWidget(self.chart_hint)
        self.chart_stack.addWidget(self.charts_box)
        self._chart_timer = QTimer(self)
        self._chart_timer.setInterval(250)
        self._chart_timer.timeout.connect(self.update_charts)

        # -- layout --
        addresses = QGroupBox(self.tr("Data download addresses"))
        af = QFormLayout(addresses)
        af.addRow(self.tr("Main"), self.main_url)
        af.addRow(self.tr("Gray"), self.gray_url)
        row = QHBoxLayout()
        row.addWidget(self.use_mock)
        row.addWidget(self.rollout_label, 1)
        row.addWidget(self.new_rollout_button)
        af.addRow(row)
        slider_box = QGroupBox(self.tr("Gray percentage"))
        sl = QVBoxLayout(slider_box)
        srow = QHBoxLayout()
        srow.addWidget(self.slider, 1)
        srow.addWidget(self.percent)
        srow.addWidget(self.apply_button)
        sl.addLayout(srow)
        sl.addWidget(self.split_label)
        sl.addWidget(self.preview_note)
        sl.addWidget(self.refusal)
        people = QGroupBox(self.tr("Simulated users"))
        pf = QGridLayout(people)
        pf.addWidget(QLabel(self.tr("Users")), 0, 0)
        pf.addWidget(self.population_size, 0, 1)
        pf.addWidget(QLabel(self.tr("with a token")), 0, 2)
        pf.addWidget(self.token_share, 0, 3)
        pf.addWidget(QLabel(self.tr("on iOS")), 0, 4)
        pf.addWidget(self.ios_share, 0, 5)
        pf.addWidget(QLabel(self.tr("develop")), 1, 0)
        pf.addWidget(self.develop_share, 1, 1)
        pf.addWidget(QLabel(self.tr("trial")), 1, 2)
        pf.addWidget(self.trial_share, 1, 3)
        toggles = QHBoxLayout()
        toggles.addWidget(QLabel(self.tr("Count in the split:")))
        for toggle in self.include.values():
            toggles.addWidget(toggle)
        pf.addLayout(toggles, 1, 4, 1, 2)
        run_box = QGroupBox(self.tr("Cold starts"))
        rl = QHBoxLayout(run_box)
        rl.addWidget(QLabel(self.tr("Send")))
        rl.addWidget(self.run_count)
        rl.addWidget(QLabel(self.tr("rate")))
        rl.addWidget(self.rate)
        rl.addWidget(QLabel(self.tr("in flight")))
        rl.addWidget(self.concurrency)
        rl.addWidget(self.launches_button)
        rl.addWidget(self.run_button)
        rl.addWidget(self.cancel_button)
        rl.addWidget(self.progress, 1)
        rl.addWidget(self.export_button)
        # the addresses and the users side by side would set a minimum width above 1280 px:
        # they share one row only when there is room, in a scroll area with the slider and the run
        controls = QWidget()
        cl = QGridLayout(controls)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(addresses, 0, 0)
        cl.addWidget(people, 0, 1)
        cl.addWidget(slider_box, 1, 0, 1, 2)
        cl.addWidget(run_box, 2, 0, 1, 2)
        cl.setColumnStretch(0, 1)
        cl.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setObjectName("trafficControls")
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumHeight(160)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("trafficSplit")
        split.addWidget(scroll)
        results = QWidget()  # the run's summary sits with its charts, wrapped at any width
        rl2 = QVBoxLayout(results)
        rl2.setContentsMargins(0, 0, 0, 0)
        rl2.addWidget(self.run_summary)
        rl2.addWidget(self.chart_stack, 1)
        split.addWidget(results)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.preview_note.setText(self.preview_text())  # its lines count in the controls' height
        split.setSizes([controls.sizeHint().height() + 2, 400])  # the controls whole, the charts the rest
        self._split, self._controls, self._sized = split, controls, False
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        # -- wiring --
        self.slider.valueChanged.connect(lambda v: self.percent.setValue(v / 100))
        self.percent.valueChanged.connect(self._percent_changed)
        self.apply_button.clicked.connect(self.apply)
        self.new_rollout_button.clicked.connect(self.new_rollout)
        self.use_mock.clicked.connect(self.use_mock_addresses)
        for box in (self.population_size, self.token_share, self.develop_share, self.trial_share, self.ios_share):
            box.valueChanged.connect(self.rebuild_index)
        for toggle in self.include.values():
            toggle.toggled.connect(self.update_split)
        self.run_count.valueChanged.connect(lambda _n: self.preview_note.setText(self.preview_text()))
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self._export_locust_dialog)
        self.launches_button.clicked.connect(self.show_launches)
        self._show_launches()
        services.mockStateChanged.connect(self._mock_state)
        self.main_url.setText(doc.addresses.main)
        self.gray_url.setText(doc.rollout.gray or doc.addresses.gray)
        for box in (self.population_size, self.token_share, self.develop_share, self.trial_share, self.ios_share,
                    self.run_count, self.rate, self.concurrency):
            box.valueChanged.connect(self._remember)
        for toggle in self.include.values():
            toggle.toggled.connect(self._remember)
        self.main_url.editingFinished.connect(self._remember)
        self.gray_url.editingFinished.connect(self._remember)
        services.document.changed.connect(self._document_changed)
        flow = services.traffic
        flow.indexReady.connect(self._index_ready)
        flow.started.connect(self._run_started)
        flow.progressed.connect(self._progressed)
        flow.finished.connect(self._run_finished)
        flow.cancelled.connect(self._run_cancelled)
        flow.failed.connect(self._run_failed)
        #: Asks the user to confirm a percentage (it cannot be lowered afterwards); tests replace it.
        self.confirm_apply = self._confirm_apply
        self._mock_state(services.mock_base_url())
        self._show_rollout()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        """Once shown (styled, in the language's font), the controls get their whole height again: a
        CJK font's taller lines left the Cold starts row cut off under a scroll bar."""
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            total = sum(self._split.sizes())
            controls = self._controls.sizeHint().height() + 2
            self._split.setSizes([controls, max(total - controls, self.charts_box.minimumHeight())])

    # -- the workspace holds the rollout, the population and the run settings ------------

    @property
    def rollout(self) -> Rollout:
        """The workspace's rollout at the addresses shown (P25-P29); its floor persists."""
        return self.services.workspace.rollout(self.main_url.text().strip() or None,
                                               self.gray_url.text().strip() or None)

    def _remember(self) -> None:
        doc = self.services.document
        with contextlib.suppress(InvalidInput):
            doc.edit("population", size=self.population_size.value(), token_share=self.token_share.value() / 100,
                     develop_share=self.develop_share.value() / 100, trial_share=self.trial_share.value() / 100,
                     ios_share=self.ios_share.value() / 100)
        with contextlib.suppress(InvalidInput):
            doc.edit("traffic", users=self.run_count.value(), rate=float(self.rate.value()),
                     concurrency=self.concurrency.value(),
                     versions=[n for n in ("develop", "trial", "release") if self.include[n].isChecked()])
        with contextlib.suppress(InvalidInput):
            doc.edit("addresses", main=self.main_url.text().strip(), gray=self.gray_url.text().strip())

    def _document_changed(self, section: str) -> None:
        if section == "rollout":
            self._show_rollout()
        elif section == "traffic":
            self._show_launches()
        elif section == "addresses":
            main = self.services.document.doc.addresses.main
            if main != self.main_url.text().strip():
                self.main_url.setText(main)

    def _confirm_apply(self, percent: float) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Apply gray percentage"),
            self.tr("Apply %1% to rollout %2? WeChat does not let a rollout go back: afterwards the percentage "
                    "cannot be lowered below %1% (P26), only raised or started over with a new rollout.")
            .replace("%1", f"{percent:g}").replace("%2", self.services.document.doc.rollout.id))
        return answer == QMessageBox.StandardButton.Yes
    def _build_charts(self) -> Iterator[QWidget | None]:
        """The charts, a plot per turn of the event loop (LazyWidget): all three at once were one
        30-70 ms stall of the UI, a plot is ~8 ms."""
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True)
        self.charts = pg.GraphicsLayoutWidget()
        self.charts.setObjectName("trafficCharts")
        self.charts.setMinimumHeight(220)
        sides = (("main", MAIN_COLOR, self.tr("main")), ("gray", GRAY_COLOR, self.tr("gray")))
        self.rate_plot = self.charts.addPlot(title=self.tr("Requests per second"))
        # one step per second: a run shorter than a second still shows its one bar (a line needs two points)
        self.rate_curves = {side: self.rate_plot.plot(stepMode="center", pen=pg.mkPen(color, width=2), name=label)
                            for side, color, label in sides}
        self.rate_plot.setLabel("bottom", self.tr("seconds since the start"))
        self.rate_plot.setLabel("left", self.tr("requests"))
        follow_plot(self.charts)  # the theme's background, axes and text, now and when it changes
        yield self.charts
        self.latency_plot = self.charts.addPlot(title=self.tr("Latency"))
        self.latency_curves = {side: self.latency_plot.plot(stepMode="center", pen=pg.mkPen(color, width=2),
                                                            name=label)
                               for side, color, label in sides}
        self.latency_plot.setLabel("bottom", self.tr("latency (ms)"))
        self.latency_plot.setLabel("left", self.tr("requests"))
        yield None
        self.cache_plot = self.charts.addPlot(title=self.tr("Cached / not cached"))
        self.cache_bars = pg.BarGraphItem(x=[0, 1], height=[0, 0], width=0.6, brushes=["#43a047", "#e53935"])
        self.cache_plot.addItem(self.cache_bars)
        self.cache_plot.getAxis("bottom").setTicks([[(0, self.tr("cached")), (1, self.tr("not cached"))]])
        self.cache_plot.setLabel("left", self.tr("requests"))
        self.cache_plot.setXRange(-0.6, 1.6, padding=0)
        yield None
        for plot in (self.rate_plot, self.latency_plot, self.cache_plot):
            # counts start at 0 and go up: never the -0.4..0.4 of an empty autorange
            plot.getViewBox().setLimits(yMin=0, minYRange=1)
            plot.setYRange(0, 1, padding=0)
            plot.enableAutoRange(axis="y")
        # one legend for both curves, in its own row below the plots: it covers no data
        self.charts.nextRow()
        self.chart_legend = pg.LegendItem(colCount=2)
        for side, _color, label in sides:
            self.chart_legend.addItem(self.rate_curves[side], label)
        self.charts.addItem(self.chart_legend, colspan=3)
        style_plot(self.charts)  # (the plots and the legend made since)
        self._draw(self._chart)  # a run that went while the tab was hidden

    @staticmethod
    def _share(value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 100)
        box.setSuffix(" %")
        box.setValue(value)
        return box

    # -- rollout -------------------------------------------------------------------------

    def _mock_state(self, url: str) -> None:
        if url and not self.main_url.text() and not self.gray_url.text():
            self.use_mock_addresses()

    def use_mock_addresses(self) -> None:
        main, gray = self.services.mock_url("main"), self.services.mock_url("gray")
        if main is None or gray is None:
            self.refusal.setText(self.tr("The mock server is not running: start it in the Mock server tab."))
            return
        self.main_url.setText(main)
        self.gray_url.setText(gray)

    def population(self) -> Population:
        """The simulated users: the workspace's seed (the CLI's `traffic` draws the same users, P29)."""
        return Population(size=self.population_size.value(), seed=self.services.document.doc.population.seed,
                          token_share=self.token_share.value() / 100, develop_share=self.develop_share.value() / 100,
                          trial_share=self.trial_share.value() / 100, ios_share=self.ios_share.value() / 100)

    def appid(self) -> str:
        return self.services.settings_appid()

    def launch_mix(self) -> LaunchMix:
        """The launches this tab's users make: the workspace's (the Launches dialog sets them, the
        CLI's `traffic` uses them too), else the default launch. The same for a run and its Locust
        export (one pick per user, so the file sends each user the launch the run sent it)."""
        return self.services.workspace.launch_mix() or LaunchMix.default()

    def set_launch_mix(self, mix: LaunchMix | None) -> None:
        """Keep ``mix`` in the workspace (None: the default launch); InvalidInput when refused."""
        self.services.document.set_launch_mix(mix)

    def show_launches(self) -> LaunchMixDialog:
        """The Launches dialog: edit how the users launch; OK saves it in the workspace."""
        from workbench.ui.launch_mix_dialog import LaunchMixDialog

        dialog = LaunchMixDialog(self.services.document, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _show_launches(self) -> None:
        """The Launches button says what the users launch; its tooltip lists every launch."""
        rows = getattr(self.services.document.doc.traffic, "launches", None)
        if rows is not None and rows is self._launches_shown:
            return  # another traffic setting changed (users, rate...): the launches are as shown
        self._launches_shown = rows
        mix = self.launch_mix()
        variants = mix.variants
        if len(variants) == 1:
            v = variants[0]
            what = v.path or self.tr("(no page path)")
            if len(what) > 24:
                what = what[:23] + "…"
            if v.scene is not None:
                what += f" · {v.scene}"
            if v.query or v.version:
                what += " …"
            text = self.tr("Launches: %1").replace("%1", what)
        else:
            text = self.tr("Launches: %1 kinds").replace("%1", f"{len(variants):,}")
        self.launches_button.setText(text)
        lines = [self._launch_line(v, v.weight * 100 / mix.total_weight) for v in variants[:12]]
        if len(variants) > 12:
            lines.append(self.tr("… and %1 more").replace("%1", f"{len(variants) - 12:,}"))
        self.launches_button.setToolTip(
            self.tr("How the simulated users launch the Mini Program (each user gets one launch by weight, the "
                    "same every run, and the Locust export the same). Saved in the workspace file.") + "\n"
            + "\n".join(lines))

    def _launch_line(self, v: LaunchVariant, share: float) -> str:
        parts = [f"{share:.1f} %", v.path or self.tr("(no page path)")]
        if v.query:
            parts.append(self.tr("query %1").replace("%1", v.query))
        parts.append(self.tr("scene %1").replace("%1", str(v.scene)) if v.scene is not None else self.tr("no scene"))
        if v.version:
            parts.append(self.tr("version %1").replace("%1", v.version))
        return " · ".join(parts)

    def _show_rollout(self) -> None:
        r = self.rollout
        state = self.tr("active") if r.active else self.tr("promoted: gray is now main")
        self.rollout_label.setText(self.tr("Rollout %1 · %2% applied · cannot go below %3% · %4")
                                   .replace("%1", r.rollout_id).replace("%2", f"{r.percent:g}")
                                   .replace("%3", f"{r.floor:g}").replace("%4", state))
        self.slider.set_floor(round(r.floor * 100))
        self.slider.blockSignals(True)
        self.slider.setValue(round(r.percent * 100))
        self.slider.blockSignals(False)
        self.percent.blockSignals(True)
        self.percent.setValue(r.percent)
        self.percent.blockSignals(False)
        self.rebuild_index()

    def _percent_changed(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * 100))
        self.slider.blockSignals(False)
        below = round(value * 100) < round(self.rollout.floor * 100)
        self.refusal.setText(self.tr("Below the %1% already applied: Apply will be refused (P26).")
                             .replace("%1", f"{self.rollout.floor:g}") if below else "")
        self.update_split()

    def apply(self) -> None:
        """Apply the percentage to the workspace's rollout, after the user confirms (P26, P27)."""
        percent = round(self.percent.value(), 2)
        doc = self.services.document.doc
        applied = doc.rollout
        gray = self.gray_url.text().strip()
        if applied.gray and gray and gray != applied.gray and (applied.percent > 0 or applied.steps):
            # P26: another gray address is another rollout; it must be started explicitly
            self.refusal.setText(self.tr("The gray address differs from rollout %1's (%2): use New rollout to start "
                                         "a rollout with it (P26).").replace("%1", applied.id)
                                 .replace("%2", applied.gray))
            return
        if percent < applied.percent:
            self._refuse(self.tr("The gray percentage cannot go back from %1% to %2% (P26): within a rollout it "
                                 "only goes up. Start a new rollout to begin again from 0%.")
                         .replace("%1", f"{applied.percent:g}").replace("%2", f"{percent:g}"))
            return
        if percent != applied.percent and not self.confirm_apply(percent):
            return
        self._remember()
        try:
            rollout = self.services.document.apply_percent(percent)
        except InvalidInput as exc:  # another window or the CLI raised the floor meanwhile
            self._refuse(str(exc))
            return
        self.refusal.clear()
        if rollout.promoted:
            self.main_url.setText(self.services.document.doc.addresses.main)
            self.services.notify(self.tr("100%: the gray address is now the main address (P27)."))
        self._show_rollout()

    def _refuse(self, text: str) -> None:
        self.services.notify(text)
        self._show_rollout()  # back to the applied percentage
        self.refusal.setText(text)

    def new_rollout(self) -> None:
        gray = self.gray_url.text().strip()
        try:
            self.services.document.new_rollout(gray)
        except InvalidInput as exc:
            self.refusal.setText(str(exc))
            return
        self.refusal.clear()
        self._show_rollout()

    # -- preview -------------------------------------------------------------------------

    def rebuild_index(self) -> None:
        """Hash the population under this rollout off the UI thread; previews then are instant."""
        try:
            population = self.population()
        except InvalidInput as exc:
            self.split_label.setText(str(exc))
            return
        key = (population, self.appid(), self.rollout.rollout_id)
        if key == self._index_key:
            self.update_split()
            return
        self._index_key = key
        self.index = None
        self.split_label.setText(self.tr("Computing the split for %1 users…").replace("%1", f"{population.size:,}"))
        self.index_task = self.services.traffic.build_index(*key)  # preempts an older build

    def _index_ready(self, key: tuple[Population, str, str], index: SplitIndex) -> None:
        if key == self._index_key:
            self.index = index
            self.update_split()

    def preview(self, percent: float | None = None) -> dict[str, int] | None:
        if self.index is None:
            return None
        versions = frozenset(name for name, box in self.include.items() if box.isChecked())
        return self.index.split(self.percent.value() if percent is None else percent, self.rollout.active, versions)

    def update_split(self) -> None:
        split = self.preview()
        if split is None:
            return
        main, gray = split["main"], split["gray"]
        total = max(1, main + gray)
        self.split_label.setText(self.tr("main %1 (%2%) · gray %3 (%4%)")
                                 .replace("%1", f"{main:,}").replace("%2", f"{main * 100 / total:.2f}")
                                 .replace("%3", f"{gray:,}").replace("%4", f"{gray * 100 / total:.2f}"))
        self.preview_note.setText(self.preview_text())

    def counted_versions(self) -> str:
        """The version types the preview counts, in words ("" when it counts all of them)."""
        names = [box.text() for box in self.include.values() if box.isChecked()]
        if len(names) == len(self.include):
            return ""
        return self.tr(", counting only %1 users").replace("%1", ", ".join(names) or self.tr("no"))

    def preview_text(self) -> str:
        """What the split above is, and how a run relates to it: the preview is the slider's
        percentage over the whole population; a run is the applied percentage (the rollout's
        floor, P26) over its own users, the first N of the same population."""
        rollout = self.rollout
        slider, applied = round(self.percent.value(), 2), rollout.percent
        population = self.population_size.value()
        users = min(self.run_count.value(), population)
        seed = self.services.document.doc.population.seed
        if not rollout.active:
            head = self.tr("Preview: rollout %1 was promoted (P27), so all %2 simulated users (seed \"%3\") get "
                           "the main address%4.")
        elif slider == applied:
            head = self.tr("Preview: the applied %5% over all %2 simulated users (seed \"%3\")%4.")
        else:
            head = self.tr("Preview: the slider's %6% (not applied) over all %2 simulated users (seed \"%3\")%4. "
                           "Runs use the applied %5% (the rollout's floor, P26) until you press Apply.")
        text = head.replace("%1", rollout.rollout_id).replace("%2", f"{population:,}").replace("%3", seed) \
            .replace("%4", self.counted_versions()).replace("%5", f"{applied:g}").replace("%6", f"{slider:g}")
        return text + " " + self.tr("A run of %1 users sends the first %1 of them.").replace("%1", f"{users:,}")

    # -- traffic -------------------------------------------------------------------------

    def run(self) -> asyncio.Future[RunResult | None] | None:
        """Start a run through the traffic workflow; the view renders what it reports."""
        if self.services.traffic.running:
            return None
        try:
            main, gray = validate_url(self.main_url.text()), validate_url(self.gray_url.text())
            population = self.population()
        except InvalidInput as exc:
            self.refusal.setText(str(exc))
            return None
        self._remember()
        rollout = self.services.workspace.rollout(main, gray)
        count = min(self.run_count.value(), population.size)
        task = self.services.traffic.run(rollout, population, count, rate=self.rate.value() or None,
                                         concurrency=self.concurrency.value(), launch_mix=self.launch_mix())
        self.run_task = task
        return task

    def _run_started(self, count: int) -> None:
        self.stats = TrafficStats()
        self._chart = ChartCounts()
        self._started_at = time.perf_counter()
        self.progress.setRange(0, count)
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.run_summary.clear()
        self.chart_stack.setCurrentWidget(self.charts_box)
        self._chart_timer.start()

    def _progressed(self, batch: list[TrafficResult]) -> None:
        at_s = time.perf_counter() - self._started_at
        for r in batch:
            self._chart.add(at_s, r.side, r.total_ms or 0.0, r.cached)
        self.progress.setValue(self.progress.value() + len(batch))

    def _run_ended(self) -> None:
        self._chart_timer.stop()
        self.update_charts()
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _run_cancelled(self, done: int) -> None:
        self._run_ended()
        self.run_summary.setText(self.tr("Cancelled after %1 cold starts; they are in the history.")
                                 .replace("%1", str(done)))

    def _run_failed(self, text: str) -> None:
        self._run_ended()
        self.run_summary.setText(text)

    def _run_finished(self, result: RunResult) -> None:
        self._run_ended()
        self.stats = result.stats
        self.run_summary.setText(self.run_text(result))

    def run_text(self, result: RunResult) -> str:
        """What a run sent, to which users, at which percentage, and how that relates to the
        slider's preview (a run reported "matches the preview" while the slider showed 7.68%)."""
        stats = result.stats
        sent = self.tr("%1 cold starts: main %2, gray %3; cached %4, not cached %5.") \
            .replace("%1", f"{result.count:,}").replace("%2", f"{stats.sent['main']:,}") \
            .replace("%3", f"{stats.sent['gray']:,}").replace("%4", f"{stats.cached:,}") \
            .replace("%5", f"{stats.not_cached:,}")
        who = self.tr("Users: the first %1 of %2 simulated users (seed \"%3\"). Percentage: the applied %4% of "
                      "rollout %5, the floor in the workspace (P26), not the slider's position.") \
            .replace("%1", f"{result.count:,}").replace("%2", f"{result.population_size:,}") \
            .replace("%3", result.seed).replace("%4", f"{result.percent:g}").replace("%5", result.rollout_id)
        if not result.active:
            who += self.tr(" The rollout was promoted: everyone used the gray address, now the main one (P27).")
        agree = self.tr("the run matches it") if result.preview == stats.sent else self.tr("the run differs from it")
        expected = self.tr("Expected for these %1 users at %2%: main %3, gray %4; %5 (P29).") \
            .replace("%1", f"{result.count:,}").replace("%2", f"{result.percent:g}") \
            .replace("%3", f"{result.preview['main']:,}").replace("%4", f"{result.preview['gray']:,}") \
            .replace("%5", agree)
        text = " ".join((sent, who, expected))
        slider = self.preview()
        percent = round(self.percent.value(), 2)
        if slider is not None and (percent != result.percent or result.count != result.population_size
                                   or self.counted_versions()):
            text += " " + self.tr("The slider's preview answers another question: %1% over all %2 users%3 gives "
                                  "main %4, gray %5.") \
                .replace("%1", f"{percent:g}").replace("%2", f"{self.population_size.value():,}") \
                .replace("%3", self.counted_versions()).replace("%4", f"{slider['main']:,}") \
                .replace("%5", f"{slider['gray']:,}")
        return text

    def cancel(self) -> None:
        self.services.traffic.cancel()

    # -- Locust export -------------------------------------------------------------------

    def _export_locust_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export Locust file"), "prepull_locustfile.py",
                                              self.tr("Python files (*.py)"))
        if path:
            self.export_locust(path)

    def export_locust(self, path: str) -> asyncio.Future[None] | None:
        """The cold starts this tab would send, as a Locust file (the workflow writes it)."""
        from workbench.core.locust_export import LocustScenario
        from workbench.workflows.locust import export_locust

        try:
            main, gray = validate_url(self.main_url.text()), validate_url(self.gray_url.text())
            population = self.population()
            rollout = self.services.workspace.rollout(main, gray)
            settings = self.services.settings
            scenario = LocustScenario(
                self.appid(), rollout, population, count=min(self.run_count.value(), population.size),
                launch_mix=self.launch_mix(), rate=self.rate.value() or None,
                timestamp_unit=settings.timestamp_unit, timeout_s=settings.timeout_s,
                max_body_bytes=settings.max_body_bytes,
                code_exchange_url=self.services.mock_code_exchange_url(rollout.main_url))
        except InvalidInput as exc:
            self.refusal.setText(str(exc))
            return None
        # a failure is reported in the status bar by the task runner
        return self.services.tasks.run("export Locust file", self._export(path, scenario, export_locust))

    async def _export(self, path: str, scenario: Any, export: Any) -> None:
        split = await export(path, scenario)
        self.services.notify(
            self.tr("Wrote %1: %2 users, main %3, gray %4. It holds their tokens: keep it private.")
            .replace("%1", path).replace("%2", f"{scenario.users:,}").replace("%3", f"{split['main']:,}")
            .replace("%4", f"{split['gray']:,}"))

    def update_charts(self) -> None:
        """Redraw from running counts: the cost per tick does not grow with the run."""
        self.progress.setValue(self._chart.total)  # a progress bar repaints at once: a few times a second
        if self.charts_box.is_built():
            self._draw(self._chart)

    def _draw(self, chart: ChartCounts) -> None:
        import numpy as np

        latency = {side: np.asarray(bins, dtype=float) for side, bins in chart.latency.items()}
        filled = np.nonzero(latency["main"] + latency["gray"])[0]
        shown = min(LATENCY_BINS, int(filled[-1]) + 3) if len(filled) else 1  # up to the slowest bin
        edges = np.arange(shown + 1, dtype=float) * LATENCY_BIN_MS
        for side in ("main", "gray"):
            per_second = chart.per_second[side]
            seconds = np.arange(len(per_second) + 1, dtype=float)  # the edges of each second
            self.rate_curves[side].setData(seconds, np.asarray(per_second, dtype=float))
            self.latency_curves[side].setData(edges, latency[side][:shown])
        self.cache_bars.setOpts(height=[chart.cached, chart.total - chart.cached])
        # seconds since the start run from 0, even for a run shorter than a second (never -0.4..0.4)
        longest = max(len(chart.per_second["main"]), len(chart.per_second["gray"]))
        self.rate_plot.setXRange(0, max(1, longest), padding=0.02)
        peak = max(max(chart.per_second["main"], default=0), max(chart.per_second["gray"], default=0))
        self.rate_plot.setYRange(0, max(1, peak) * 1.05, padding=0)  # counts from 0, never a zoomed band


#: Latency histogram bins: 5 ms wide up to 2 s; slower requests land in the last bin.
LATENCY_BIN_MS = 5
LATENCY_BINS = 400


class ChartCounts:
    """Running counts for the live charts, updated in O(1) per finished request."""

    def __init__(self) -> None:
        self.per_second: dict[str, list[int]] = {"main": [], "gray": []}
        self.latency: dict[str, list[int]] = {"main": [0] * LATENCY_BINS, "gray": [0] * LATENCY_BINS}
        self.cached = 0
        self.total = 0

    def add(self, at_s: float, side: str, latency_ms: float, cached: bool) -> None:
        second = int(at_s)
        for counts in self.per_second.values():  # both curves share the time axis
            counts.extend([0] * (second + 1 - len(counts)))
        self.per_second[side][second] += 1
        self.latency[side][min(int(latency_ms // LATENCY_BIN_MS), LATENCY_BINS - 1)] += 1
        self.cached += cached
        self.total += 1
