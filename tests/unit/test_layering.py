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


def _imports(package: str) -> list[tuple[Path, str]]:
    found = []
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found += [(path, a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.append((path, node.module))
    return found


def test_core_imports_no_other_layer():
    """core/ is the bottom layer: not mockserver/, ui/, the workflows, services or the CLI."""
    above = ("workbench.mockserver", "workbench.ui", "workbench.services", "workbench.workflows", "workbench.cli",
             "workbench.app")
    offenders = [f"{p.name}: {m}" for p, m in _imports("core") if m.startswith(above)]
    assert offenders == []


def test_workflows_and_mockserver_import_no_views():
    """Workflows live outside the widgets; the mock server outside both."""
    offenders = [f"{p.name}: {m}" for pkg in ("workflows", "mockserver") for p, m in _imports(pkg)
                 if m.startswith(("workbench.ui", "workbench.cli", "workbench.app"))]
    offenders += [f"mockserver/{p.name}: {m}" for p, m in _imports("mockserver")
                  if m.startswith(("workbench.workflows", "workbench.services"))]
    assert offenders == []


def test_views_never_emit_another_objects_signal():
    """Views render and forward: they do not emit the services' (or a workflow's) signals."""
    import re

    pattern = re.compile(r"services\.(?:[a-z_]+\.)?[A-Za-z_]+\.emit\(")
    offenders = [f"{path.name}:{n}" for path in (ROOT / "ui").rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_views_ask_the_services_not_the_mock_server_store_or_client_behind_them():
    """Views go through the Services facade (mock_url, mock_config, query...), never past it to
    the mock server, the store or the HTTP client: storage and workflows stay outside the views."""
    import re

    pattern = re.compile(r"services\.(?:mock|store|client)\b(?!_)")
    offenders = [f"{path.name}:{n}" for path in (ROOT / "ui").rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
