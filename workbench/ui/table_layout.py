"""Column layout of the workbench's tables: default widths that show what matters at 1280 px,
cells cut with "…" and shown whole in a tooltip, a header menu to show or hide columns, columns
that move, and the user's layout kept across restarts (QSettings: a machine thing)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

Index = QModelIndex | QPersistentModelIndex


def settings_key(table: QTableView) -> str:
    """Where a table's header state is kept; its column count sits beside it (``.../columns``)."""
    return f"tables/{table.objectName()}/header"


def _columns_key(table: QTableView) -> str:
    return f"tables/{table.objectName()}/columns"


class CutTextToolTips(QStyledItemDelegate):
    """Shows a cell's ToolTipRole only when its text is cut, or when the tooltip says more than
    the cell (a verdict's reasons): a tooltip repeating what is already visible is noise."""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,  # noqa: N802
                  index: Index) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            shown = index.data(Qt.ItemDataRole.DisplayRole)
            if not tip or (str(tip) == str(shown) and not self.is_cut(option, index)):
                QToolTip.hideText()
                event.ignore()
                return True
        return super().helpEvent(event, view, option, index)

    def is_cut(self, option: QStyleOptionViewItem, index: Index) -> bool:
        """True when the cell's text does not fit its width (it is drawn with "…")."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text is None:
            return False
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        margin = 2 * (opt.widget.style().pixelMetric(opt.widget.style().PixelMetric.PM_FocusFrameHMargin) + 1) \
            if opt.widget is not None else 8
        return opt.fontMetrics.horizontalAdvance(str(text)) + margin > opt.rect.width()


class TableLayout(QObject):
    """Owns one table's header behaviour; the table keeps its model and its own delegates.

    ``widths`` maps column index to a default width; ``hidden`` are columns hidden by default;
    ``order`` puts the columns that matter first (the model's own order is kept for the rest).
    The saved layout (under ``tables/<objectName>/header``) is used only if the table still has
    the same number of columns, so a new column after an upgrade resets to the defaults.
    """

    def __init__(self, table: QTableView, widths: Mapping[int, int], hidden: Iterable[int] = (),
                 order: Sequence[int] = (), stretch_last: bool = True) -> None:
        super().__init__(table)
        if not table.objectName():
            raise ValueError("a table whose layout is kept needs an objectName")
        self.table = table
        self.widths = dict(widths)
        self.hidden_by_default = frozenset(hidden)
        self.order = list(order)
        self.delegate = CutTextToolTips(table)
        table.setItemDelegate(self.delegate)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header
        header.setSectionsMovable(True)
        header.setStretchLastSection(stretch_last)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_menu)
        self._loading = True
        self.apply_defaults()
        self.restore()
        self._loading = False
        header.sectionMoved.connect(self.save)
        header.sectionResized.connect(self.save)

    @property
    def header(self) -> QHeaderView:
        return self.table.horizontalHeader()

    def column_count(self) -> int:
        model = self.table.model()
        return model.columnCount() if model is not None else 0

    def apply_defaults(self) -> None:
        header = self.header
        count = self.column_count()
        wanted = [c for c in self.order if c < count] + [c for c in range(count) if c not in self.order]
        for visual, logical in enumerate(wanted):
            if header.visualIndex(logical) != visual:
                header.moveSection(header.visualIndex(logical), visual)
        for column in range(self.column_count()):
            header.setSectionHidden(column, column in self.hidden_by_default)
            if column in self.widths:
                header.resizeSection(column, self.widths[column])

    def reset(self) -> None:
        """The defaults again (header menu › Reset columns); the saved layout is forgotten."""
        self._loading = True
        self.apply_defaults()
        self._loading = False
        settings = QSettings()
        settings.remove(settings_key(self.table))
        settings.remove(_columns_key(self.table))

    def save(self) -> None:
        if self._loading:
            return
        settings = QSettings()
        settings.setValue(settings_key(self.table), self.header.saveState())
        settings.setValue(_columns_key(self.table), self.column_count())

    def restore(self) -> bool:
        settings = QSettings()
        state, count = settings.value(settings_key(self.table)), settings.value(_columns_key(self.table))
        try:
            same_columns = int(count) == self.column_count()
        except (TypeError, ValueError):
            return False
        if not same_columns or not isinstance(state, QByteArray):
            return False
        stretch = self.header.stretchLastSection()
        restored = self.header.restoreState(state)
        self.header.setStretchLastSection(stretch)
        self.header.setSectionsMovable(True)
        return restored

    def set_column_visible(self, column: int, visible: bool) -> None:
        header = self.header
        shown = [c for c in range(self.column_count()) if not header.isSectionHidden(c)]
        if not visible and shown == [column]:
            return  # the last visible column stays: a table with none cannot get its menu back
        header.setSectionHidden(column, not visible)
        if visible and header.sectionSize(column) < 30:
            header.resizeSection(column, self.widths.get(column, header.defaultSectionSize()))
        self.save()

    def column_menu(self) -> QMenu:
        """The header's context menu: one checkable entry per column, then Reset columns."""
        menu = QMenu(self.table)
        model = self.table.model()
        header = self.header
        for column in range(self.column_count()):
            title = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            action = QAction(str(title), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setData(column)
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
            menu.addAction(action)
        menu.addSeparator()
        reset = QAction(self.tr("Reset columns"), menu)
        reset.triggered.connect(self.reset)
        menu.addAction(reset)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.header.mapToGlobal(pos))
