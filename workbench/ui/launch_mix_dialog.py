"""The Launches dialog of the Traffic tab: how a run's simulated users launch the Mini Program
(page path, query, scene, customMiniprogramVersion, by weight, P7), kept in the workspace file
(``traffic.launches``) so that a run, its Locust export and the CLI's `traffic` all use it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import InvalidInput
from workbench.core.launch_mix import DEFAULT_LAUNCH, LaunchMix, LaunchVariant, parse_weight
from workbench.core.protocol import Launch, parse_scene
from workbench.ui.theme import toned_label
from workbench.workflows.document import WorkspaceDocument

if TYPE_CHECKING:
    import asyncio

WEIGHT, PATH, QUERY, SCENE, VERSION, SHARE = range(6)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class LaunchMixDialog(QDialog):
    """An editable table of launches; OK checks every row and writes them into the workspace."""

    def __init__(self, document: WorkspaceDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        #: the last Load CSV… (its file is read in a thread)
        self.csv_task: asyncio.Task[bool] | None = None
        self.read_only = document.read_only
        self.setObjectName("launchMixDialog")
        self.setWindowTitle(self.tr("Launches of the simulated users"))
        intro = QLabel(self.tr(
            "Each simulated user opens the Mini Program with one of these launches, picked by weight: "
            "the same launch for the same user in every run and in the Locust export. The table is saved "
            "in the workspace file, and the command line's traffic uses it too. With no rows, every user "
            "launches %1 with scene %2.").replace("%1", DEFAULT_LAUNCH.path).replace("%2", str(DEFAULT_LAUNCH.scene)))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("launchTable")
        for column, label, tip in (
                (WEIGHT, self.tr("Weight"), self.tr("A whole number of at least 1: how often this launch is picked")),
                (PATH, self.tr("Page path"), self.tr("The page the user opens, e.g. pages/index/index")),
                (QUERY, self.tr("Query"), self.tr("The launch query as typed, e.g. id=1&from=qr (P8 encodes it)")),
                (SCENE, self.tr("Scene"), self.tr("A positive integer such as 1047; empty: no scene")),
                (VERSION, self.tr("Version"), self.tr("customMiniprogramVersion; empty: not sent")),
                (SHARE, self.tr("Share"), self.tr("This row's weight as a share of all weights"))):
            heading = QTableWidgetItem(label)
            heading.setToolTip(tip)
            self.table.setHorizontalHeaderItem(column, heading)
        header = self.table.horizontalHeader()
        for column, width in ((WEIGHT, 80), (SCENE, 80), (VERSION, 90), (SHARE, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(PATH, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(QUERY, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(True)  # the row numbers the error sentences name
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(160)
        self.table.setWordWrap(False)  # a long path or query is cut with "…", one line a launch
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addLaunch")
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removeLaunch")
        self.csv_button = QPushButton(self.tr("Load CSV…"))
        self.csv_button.setObjectName("loadLaunchCsv")
        self.csv_button.setToolTip(self.tr("Replace the table with a CSV file whose first line is "
                                            "weight,path,query,scene,version (the command line's --launch-mix)"))
        self.total = QLabel()
        self.total.setObjectName("launchTotal")
        self.error = toned_label("launchError", "error", hidden=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close if self.read_only else
                                        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.csv_button):
            row.addWidget(button)
        row.addWidget(self.total, 1, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if self.read_only:
            layout.addWidget(toned_label("launchReadOnly", "notice", document.refusal))
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            for button in (self.add_button, self.remove_button, self.csv_button):
                button.setEnabled(False)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(820, 420)

        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_rows)
        self.csv_button.clicked.connect(self._load_csv_dialog)
        self.table.itemChanged.connect(self._changed)
        #: Asks for the CSV file to load (a file dialog); tests replace it.
        self.choose_csv = self._choose_csv
        self.set_mix(document.workspace.launch_mix())

    # -- the table -----------------------------------------------------------------------

    def set_mix(self, mix: LaunchMix | None) -> None:
        """Show ``mix`` (None: no rows, the default launch)."""
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for variant in mix.variants if mix is not None else ():
            self._append(variant)
        self.table.blockSignals(False)
        self._update_shares()

    def add_row(self, variant: LaunchVariant | None = None) -> int:
        """A new row (the default launch, weight 1), selected for editing; its index."""
        self.table.blockSignals(True)
        row = self._append(variant or LaunchVariant(1, DEFAULT_LAUNCH.path, "", DEFAULT_LAUNCH.scene, ""))
        self.table.blockSignals(False)
        self._update_shares()
        self.table.setCurrentCell(row, PATH)
        return row

    def _append(self, variant: LaunchVariant) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        texts = (str(variant.weight), variant.path, variant.query,
                 "" if variant.scene is None else str(variant.scene), variant.version)
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column in (WEIGHT, SCENE):
                item.setTextAlignment(_RIGHT)
            self.table.setItem(row, column, item)
        share = QTableWidgetItem()
        share.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)  # computed, never typed
        share.setTextAlignment(_RIGHT)
        self.table.setItem(row, SHARE, share)
        return row

    def remove_rows(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}
                      or ({self.table.currentRow()} if self.table.currentRow() >= 0 else set()), reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._update_shares()

    def text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def set_text(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell (as an edit does: the shares follow)."""
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.table.setItem(row, column, item)
        item.setText(text)

    def _changed(self, item: QTableWidgetItem) -> None:
        if item.column() == WEIGHT:
            self._update_shares()
        self.error.hide()

    def _weight(self, row: int) -> int | None:
        try:
            return parse_weight(self.text(row, WEIGHT))
        except InvalidInput:
            return None

    def _update_shares(self) -> None:
        weights = [self._weight(row) for row in range(self.table.rowCount())]
        total = sum(w for w in weights if w is not None)
        self.table.blockSignals(True)
        for row, weight in enumerate(weights):
            share = self.table.item(row, SHARE)
            if share is not None:
                share.setText(f"{weight * 100 / total:.1f} %" if weight is not None and total else "—")
        self.table.blockSignals(False)
        rows = self.table.rowCount()
        self.total.setText(self.tr("No rows: the default launch") if not rows else
                           self.tr("%1 launches, total weight %2").replace("%1", f"{rows:,}")
                           .replace("%2", f"{total:,}"))
        self.remove_button.setEnabled(bool(rows) and not self.read_only)

    # -- checking and saving -------------------------------------------------------------

    def mix(self) -> LaunchMix | None:
        """The table as a launch mix (None: no rows); InvalidInput naming the first bad row."""
        variants = []
        for row in range(self.table.rowCount()):
            try:
                weight = parse_weight(self.text(row, WEIGHT))
                launch = Launch(path=self.text(row, PATH).strip(), query=self.text(row, QUERY),
                                scene=parse_scene(self.text(row, SCENE)), version=self.text(row, VERSION).strip())
                variants.append(LaunchVariant(weight, launch.path, launch.query, launch.scene, launch.version))
            except InvalidInput as exc:
                raise InvalidInput(self.tr("Row %1: %2").replace("%1", str(row + 1)).replace("%2", str(exc))) from None
        return LaunchMix(tuple(variants)) if variants else None

    def accept(self) -> None:
        """Check every row, then write them into the workspace; a bad row keeps the dialog open."""
        if self.read_only:
            super().accept()
            return
        try:
            mix = self.mix()
            self.document.set_launch_mix(mix)
        except InvalidInput as exc:  # a bad row, a total above the limit, or a read-only workspace
            self._show_error(str(exc))
            return
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # -- CSV -----------------------------------------------------------------------------

    def _choose_csv(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load launches"), "",
                                              self.tr("CSV files (*.csv);;All files (*)"))
        return path

    def _load_csv_dialog(self) -> None:
        path = self.choose_csv()
        if path:
            self.csv_task = self.document.tasks.run("load launches", self.load_csv(path))

    async def load_csv(self, path: str) -> bool:
        """Replace the rows with a CSV file's (LaunchMix.loads_csv's format); a bad file changes
        nothing. Read in a thread: the file may be big, or on a slow disk."""
        try:
            mix = await self.document.tasks.in_thread(LaunchMix.load, path)
        except InvalidInput as exc:
            self._show_error(str(exc))
            return False
        self.set_mix(mix)
        self.error.hide()
        return True
