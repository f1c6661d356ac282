"""PySide's ``__feature__`` scan, skipped for modules that cannot use it (start-up time)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from importlib.machinery import PathFinder
from pathlib import Path

import shiboken6  # noqa: F401 (loads shibokensupport.feature, whose table this fills)

#: Packages the app loads right after its first paint (its event loop): reading their sources
#: cost 3.5-4 ms while the new window waited for its loop.
LATER_PACKAGES = ("asyncio", "qasync")


def skip_feature_scan() -> int:
    """Tell PySide that the modules loaded so far, every workbench module and the standard
    library's top-level modules do not use its ``__feature__`` switches.

    From its import on, PySide reads the source of every module named in an import statement
    the first time it sees it (``inspect.getsource``), to look for ``from __feature__ import``:
    15-17 ms over ~155 modules before the first paint, mostly the standard library and the
    workbench's own modules, which never use it (no workbench module imports ``__feature__``; a
    test holds that). A module it already knows is not read again; -1 is the value its scan gives
    a module without PySide, and for a module with PySide it only means "switch nothing", the
    same as its 0 where no module ever switches. Returns how many modules were marked; 0 where
    PySide keeps no such table (another version).
    """
    names = [name for name in sys.modules if not name.startswith(("PySide6", "shiboken6"))]
    names += sys.stdlib_module_names
    names += _modules_in(Path(__file__).resolve().parents[1])  # workbench/: the first screen's, and later
    return _mark(names)


def skip_feature_scan_of(packages: Iterable[str] = LATER_PACKAGES) -> int:
    """The same for the modules of ``packages``, before they are imported (found, not loaded)."""
    names: list[str] = []
    for package in packages:
        spec = PathFinder.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            names += _modules_in(Path(folder))
    return _mark(names)


def _mark(names: Iterable[str]) -> int:
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    marked = 0
    for name in names:
        if name not in table:
            table[name] = -1
            marked += 1
    return marked


def _modules_in(package: Path) -> list[str]:
    """The names of the modules in the package whose folder is ``package``, subpackages included."""
    names = []
    for folder, _dirs, files in os.walk(package):
        prefix = ".".join(Path(folder).relative_to(package.parent).parts)
        for file in files:
            if file.endswith(".py"):
                names.append(prefix if file == "__init__.py" else f"{prefix}.{file[:-3]}")
    return names
