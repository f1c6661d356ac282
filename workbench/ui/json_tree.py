"""A lazy tree model over parsed JSON: nodes are made only when a branch is expanded,
so a 10 MB document opens at once."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class _Node:
    __slots__ = ("_children", "key", "parent", "row", "value")

    def __init__(self, key: str, value: Any, parent: _Node | None, row: int) -> None:
        self.key = key
        self.value = value
        self.parent = parent
        self.row = row
        self._children: list[_Node] | None = None

    @property
    def children(self) -> list[_Node]:
        if self._children is None:
            if isinstance(self.value, dict):
                items = list(self.value.items())
            elif isinstance(self.value, list):
                items = [(f"[{i}]", v) for i, v in enumerate(self.value)]
            else:
                items = []
            self._children = [_Node(str(k), v, self, i) for i, (k, v) in enumerate(items)]
        return self._children

    def has_children(self) -> bool:
        return isinstance(self.value, dict | list) and len(self.value) > 0


def preview(value: Any, limit: int = 200) -> str:
    if isinstance(value, dict):
        return f"{{…}} {len(value)} keys"
    if isinstance(value, list):
        return f"[…] {len(value)} items"
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit] + "…"
        return '"' + text + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: The view opens top-level items with up to this many children in all: opening one with
#: 40,000 children costs the UI thread a model call per row (~100 ms).
EXPAND_ROWS_MAX = 2000


def rows_to_expand(root: _Node) -> list[int]:
    """The top-level rows the view opens at once: small ones, while the total stays small."""
    rows, total = [], 0
    for node in root.children:
        size = len(node.value) if isinstance(node.value, dict | list) else 0
        if size and total + size <= EXPAND_ROWS_MAX:
            rows.append(node.row)
            total += size
    return rows


def prepared_root(document: Any) -> _Node:
    """The tree's root node with its children made, and theirs where the view will open them.
    Pure Python: a worker thread makes a big page's 40,000 first-level nodes, not the UI thread."""
    root = _Node("", {"(root)": document} if not isinstance(document, dict | list) else document, None, 0)
    for row in rows_to_expand(root):
        root.children[row].children  # noqa: B018 - made now, off the UI thread
    return root


class JsonTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node("", {}, None, 0)

    def set_document(self, document: Any) -> None:
        self.set_root(prepared_root(document))

    def set_root(self, root: _Node) -> None:
        """Show a root made by :func:`prepared_root` (in a worker thread, for big documents)."""
        self.beginResetModel()
        self._root = root
        self.endResetModel()

    def rows_to_expand(self) -> list[QModelIndex]:
        """The top-level items a view should open at once (see :func:`rows_to_expand`)."""
        return [self.index(row, 0) for row in rows_to_expand(self._root)]

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        children = node.children
        if 0 <= row < len(children) and 0 <= column < 2:
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return self._node(parent).has_children() if parent.isValid() else bool(self._root.children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Key"), self.tr("Value"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        node = index.internalPointer()
        if index.column() == 0:
            return node.key
        return preview(node.value, 2000 if role == Qt.ItemDataRole.ToolTipRole else 200)

    def path_index(self, path: list[int]) -> QModelIndex:
        """The index at a path of row numbers (used to reveal a search hit)."""
        index = QModelIndex()
        for row in path:
            index = self.index(row, 0, index)
        return index


class SearchCancelled(Exception):
    """A newer search replaced this one."""


class Cancel:
    """Set by the UI thread to stop a search running in a worker thread."""

    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False


#: A running search looks at its Cancel every this many nodes.
CHECK_EVERY = 2048


def search_paths(document: Any, needle: str, limit: int = 1000, cancel: Cancel | None = None) -> list[list[int]]:
    """Row paths of keys or scalar values containing ``needle`` (case-insensitive), as the tree
    shows them. Pure Python, no Qt: run it in a thread for big documents; raises SearchCancelled
    once ``cancel`` is set. Values are matched where they are, not copied into previews."""
    pattern = re.compile(re.escape(needle), re.IGNORECASE).search
    quoted = '"' in needle  # the tree shows strings in quotes: a needle with one may match there
    hits: list[list[int]] = []
    root = document if isinstance(document, dict | list) else {"(root)": document}
    stack: list[tuple[Any, list[int]]] = [(root, [])]
    budget = CHECK_EVERY
    while stack and len(hits) < limit:
        value, path = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value)
        keyed = isinstance(value, dict)
        found = []
        for row, (key, child) in enumerate(items):
            budget -= 1
            if budget <= 0:
                budget = CHECK_EVERY
                if cancel is not None and cancel.cancelled:
                    raise SearchCancelled
            if isinstance(child, dict | list):
                if pattern(str(key) if keyed else f"[{key}]"):
                    found.append([*path, row])
                stack.append((child, [*path, row]))
            elif pattern(str(key) if keyed else f"[{key}]") or _scalar_matches(pattern, child, quoted):
                found.append([*path, row])
        hits.extend(found)
    hits.sort()
    return hits[:limit]


def _scalar_matches(pattern: Any, value: Any, quoted: bool) -> bool:
    if isinstance(value, str):
        return bool(pattern(f'"{value}"' if quoted else value))
    return bool(pattern(preview(value)))
