"""The first screen loads only what it shows (issue 13, start-up): the schema library, the HTTP
client, the server and the traffic worker load after the first paint, when they are used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Modules the first screen must not wait for (each costs tens of milliseconds to import).
LATER = ("pydantic", "httpx", "httpcore", "uvicorn", "starlette", "h11", "multiprocessing", "PySide6.QtNetwork",
         "asyncio", "qasync", "ssl",
         "workbench.core.workspace_schema", "workbench.mockserver.server", "workbench.mockserver.rules",
         "workbench.core.traffic_worker", "workbench.cli.check", "workbench.core.check")
DRIVER = """
import json, sys
import workbench.app as app
painted = app.QuitAfterFirstPaint._painted
def record(self):
    sys.stderr.write("@@modules " + json.dumps(sorted(sys.modules)) + "\\n")
    painted(self)
app.QuitAfterFirstPaint._painted = record
from workbench.cli import main
sys.exit(main(["--workspace", sys.argv[1], "--quit-after-first-paint"]))
"""


def _start(workspace: Path, env: dict[str, str]) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(workspace)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.splitlines() == ["first paint"], proc.stderr
    line = next(line for line in proc.stderr.splitlines() if line.startswith("@@modules "))
    return set(json.loads(line.removeprefix("@@modules ")))


def test_the_second_start_paints_before_loading_the_schema_http_or_server_modules(tmp_path):
    config = tmp_path / "config" / "prepull-workbench"
    config.mkdir(parents=True)
    (config / "Prepull Workbench.conf").write_text("[mock]\nport=0\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    _start(workspace, env)  # the first start creates the workspace (the schema validates it then)
    loaded = _start(workspace, env)
    early = sorted(name for name in loaded if name.split(".")[0] in LATER or name in LATER)
    assert early == [], f"loaded before the first paint: {early}"


SCAN_DRIVER = """
import json, sys
import workbench.cli  # what the command line loads before the app (the standard library, the core)
import workbench.app  # PySide from here on
feature = sys.modules["shibokensupport.feature"]
read = []
scan = feature._mod_uses_pyside
def counting(module):
    read.append(module.__name__)
    return scan(module)
feature._mod_uses_pyside = counting
from workbench.ui.pyside_features import skip_feature_scan_of
skip_feature_scan_of()  # as the app does once its first window has painted, before its event loop
import os, json, asyncio, qasync, workbench.core.protocol, workbench.core.workspace, workbench.core.errors
import workbench.services, workbench.ui.main_window  # the first screen's modules
print(json.dumps(read))
"""


def test_pyside_does_not_read_the_source_of_the_workbench_or_of_modules_loaded_before_it():
    """PySide reads each module's source the first time an import statement names it, looking for
    ``from __feature__ import`` (15-17 ms before the first paint); the app tells it that the
    modules loaded before PySide and every workbench module use no feature
    (workbench.ui.pyside_features). Before, the first screen's workbench modules were still read,
    40 of them, 4-8 ms."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", SCAN_DRIVER], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    read = json.loads(proc.stdout.splitlines()[-1])
    assert [name for name in read if name.split(".")[0] == "workbench"] == []
    assert "json" not in read  # loaded before PySide
    assert [name for name in read if name.split(".")[0] in ("asyncio", "qasync")] == []  # loaded after it


def test_no_workbench_module_uses_a_pyside_feature():
    """What makes skipping the scan right: a module that switched a feature (snake_case, say)
    would have to be scanned."""
    users = [str(path.relative_to(ROOT)) for path in (ROOT / "workbench").rglob("*.py")
             if "__feature__" in path.read_text(encoding="utf-8") and path.name != "pyside_features.py"]
    assert users == []


TAB_DRIVER = """
import asyncio, json, sys
import qasync
from workbench.app import create_application
from workbench.core.workspace import open_workspace
from workbench.services import Services
from workbench.ui.main_window import MainWindow

app = create_application()

async def main():
    services = Services(open_workspace(sys.argv[1]))
    window = MainWindow(services)
    before = set(sys.modules)
    getattr(window, sys.argv[2])  # the tab built, as when the user first opens it
    print(json.dumps(sorted(set(sys.modules) - before)))
    await services.aclose()

with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
    runner.run(main())
"""


def test_opening_one_tab_loads_no_other_tabs_module(tmp_path):
    """Each tab is built when first opened (issue 13, start-up); but building any of them gave it
    its empty-table message by asking which view it was, importing every lazy view's module (the
    mock server's rules and, through them, pydantic, for the cache tab)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    views = ("cache_view", "history_view", "mock_view", "traffic_view")  # MainWindow's property = the module
    for view in views:
        proc = subprocess.run([sys.executable, "-c", TAB_DRIVER, str(tmp_path / "workspace"), view], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        loaded = json.loads(proc.stdout.splitlines()[-1])
        others = [f"workbench.ui.{other}" for other in views if other != view]
        assert f"workbench.ui.{view}" in loaded and not [name for name in others if name in loaded], (view, loaded)
