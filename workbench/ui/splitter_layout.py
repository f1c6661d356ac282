"""Where the user left a view's splitters and inner tabs comes back at the next start (QSettings:
a machine thing), as tables keep their columns (table_layout.py). The main window saves every
built view's layout when it closes and restores it when the view is built."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget


def layout_widgets(view: QWidget) -> tuple[list[QSplitter], list[QTabWidget]]:
    """A view's splitters and inner tabs, in the order findChildren gives them.

    A view on the first screen names them itself (a ``layout_widgets()`` method): findChildren
    makes a Python object for every widget below the view, and the Python types and enums of
    their classes (~5 ms for the composer, before the first paint)."""
    named = getattr(view, "layout_widgets", None)
    if callable(named):
        splitters, tabs = named()
        return list(splitters), list(tabs)
    return view.findChildren(QSplitter), view.findChildren(QTabWidget)


def _layout_items(view: QWidget) -> list[tuple[str, QSplitter | QTabWidget]]:
    """A view's splitters and inner tabs, each under a stable key (its object name, else its place)."""
    items: list[tuple[str, QSplitter | QTabWidget]] = []
    splitters, tabs = layout_widgets(view)
    for kind, found in (("splitters", splitters), ("subtabs", tabs)):
        for index, widget in enumerate(found):
            if isinstance(widget, QSplitter | QTabWidget):
                items.append((f"layout/{view.objectName()}/{kind}/{widget.objectName() or index}", widget))
    return items


def save_layout(view: QWidget) -> None:
    """Keep where the user put a view's splitters and which inner tab was open (QSettings)."""
    settings = QSettings()
    for key, widget in _layout_items(view):
        if isinstance(widget, QSplitter):
            settings.setValue(key, widget.saveState())
            settings.setValue(key + "/panes", widget.count())
        else:
            settings.setValue(key, widget.currentIndex())


def restore_layout(view: QWidget) -> None:
    """Put a view's splitters and inner tabs back as they were when the window last closed."""
    settings = QSettings()
    for key, widget in _layout_items(view):
        value = settings.value(key)
        if isinstance(widget, QSplitter) and isinstance(value, QByteArray):
            if str(settings.value(key + "/panes")) == str(widget.count()):  # not one of another shape
                widget.restoreState(value)
        elif isinstance(widget, QTabWidget) and str(value).isdigit() and int(str(value)) < widget.count():
            widget.setCurrentIndex(int(str(value)))
