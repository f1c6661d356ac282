"""PySide's ``__feature__`` scan, skipped for modules that cannot use it (start-up time)."""

from __future__ import annotations

import sys
from pathlib import Path

import shiboken6  # noqa: F401 (loads shibokensupport.feature, whose table this fills)


def skip_feature_scan() -> int:
    """Tell PySide that the modules loaded so far, and every workbench module, do not use its
    ``__feature__`` switches.

    From its import on, PySide reads the source of every module named in an import statement
    the first time it sees it (``inspect.getsource``), to look for ``from __feature__ import``:
    15-17 ms over ~155 modules before the first paint, mostly the standard library and the
    workbench's own modules, which never use it (no workbench module imports ``__feature__``; a
    test holds that). A module it already knows is not read again; -1 is the value its scan gives
    a module without PySide, and for a module with PySide it only means "switch nothing", the
    same as its 0 where no module ever switches. Returns how many modules were marked; 0 where
    PySide keeps no such table (another version).
    """
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    names = [name for name in sys.modules if not name.startswith(("PySide6", "shiboken6"))]
    package = Path(__file__).resolve().parents[1]  # workbench/
    for path in package.rglob("*.py"):  # the workbench's modules loaded later (the first screen's)
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    marked = 0
    for name in names:
        if name not in table:
            table[name] = -1
            marked += 1
    return marked
