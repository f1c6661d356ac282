"""core/ and mockserver/ import no Qt (design.md): they must work headless, in the CLI and tests."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import workbench

QT_MODULES = ("PySide6", "shiboken6", "qasync")
ROOT = Path(workbench.__file__).parent
HEADLESS = ("core", "mockserver")


def test_no_qt_import_statement_in_core_or_mockserver():
    offenders = []
    for package in HEADLESS:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path}: {n}" for n in names if n.split(".")[0] in QT_MODULES]
    assert offenders == []


def test_importing_every_headless_module_loads_no_qt():
    modules = [m.name for pkg in HEADLESS
               for m in pkgutil.walk_packages([str(ROOT / pkg)], prefix=f"workbench.{pkg}.")]
    assert "workbench.core.protocol" in modules
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
