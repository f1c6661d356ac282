"""What users install is what runs: a built wheel, installed non-editable, and the PyInstaller app.

An editable install or a checkout finds files beside the sources; these tests build the real
artefacts and run them away from the checkout, so a translation or icon left out of them fails here.

The default run builds the wheel and installs it (no dependencies, no network) into a fresh venv that
takes its dependencies from this interpreter's site-packages, appended after its own, and checks
that ``workbench`` then comes from the wheel. The tests marked ``packaging`` (``pytest -m packaging``)
do the whole thing: a fresh venv where pip fetches the dependencies from the package index, and a
PyInstaller build.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import workbench

ROOT = Path(__file__).resolve().parents[2]
QM = Path("workbench/resources/translations/workbench_zh_CN.qm")
ICON = Path("workbench/resources/icons/prepull-workbench.svg")
BIN = "Scripts" if sys.platform == "win32" else "bin"

# Run by the installed interpreter, from a folder outside the checkout: where workbench comes from,
# what a message becomes after install_translators (PREPULL_LANG=zh_CN), whether the icon renders.
PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
import workbench
from workbench.app import create_application, install_translators
app = create_application([sys.argv[0]])
install_translators(app)
print(json.dumps({"file": workbench.__file__, "text": QApplication.translate(sys.argv[1], sys.argv[2]),
                  "icon": not app.windowIcon().pixmap(32, 32).isNull()}))
"""


def a_translated_message() -> tuple[str, str, str]:
    """(context, English source, Chinese) of a finished message whose Chinese differs from the English."""
    ts = ET.parse(ROOT / "resources" / "translations" / "workbench_zh_CN.ts")
    for context in ts.iter("context"):
        for msg in context.iter("message"):
            source, translation = msg.findtext("source"), msg.find("translation")
            if (msg.get("numerus") != "yes" and translation.get("type") is None and translation.text
                    and translation.text != source):
                return context.findtext("name"), source, translation.text
    raise AssertionError("the .ts file holds no finished translation")


def _junk(folder: str, names: list[str]) -> set[str]:
    skip = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
            ".mypy_cache"}
    return {n for n in names if n in skip or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip install .` builds, from a clean copy of the checkout (setuptools' build/ can go stale)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=_junk)
    # No build isolation, no index: the test extra brings setuptools, and nothing goes to the network.
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(tmp / "out")], check=True, capture_output=True, timeout=300)
    (built,) = (tmp / "out").glob("prepull_workbench-*.whl")
    return built


def _working_strace() -> str | None:
    """strace, where it is installed and allowed to trace (containers may forbid ptrace)."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    probe = subprocess.run([strace, "-qq", "-o", os.devnull, "true"], capture_output=True, timeout=60)
    return strace if probe.returncode == 0 else None


def env_for(venv: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH")}
    env.update(QT_QPA_PLATFORM="offscreen", VIRTUAL_ENV=str(venv), **extra)
    env["PATH"] = f"{venv / BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def check_installed_app(venv: Path, tmp: Path) -> None:
    """The installed package, not the checkout, starts in Chinese with its icon; both entry points work."""
    context, source, chinese = a_translated_message()
    python = venv / BIN / "python"
    zh = env_for(venv, PREPULL_LANG="zh_CN")
    probe = subprocess.run([python, "-c", PROBE, context, source], cwd=tmp, env=zh,
                           capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert Path(found["file"]).resolve().is_relative_to(venv.resolve()), found["file"]
    assert found["text"] == chinese
    assert found["icon"]

    version = subprocess.run([venv / BIN / "prepull-workbench", "--version"], cwd=tmp, env=zh,
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"prepull-workbench {workbench.__version__}", version.stderr
    for script in ("prepull-workbench", "prepull-workbench-gui"):
        workspace = tmp / f"ws-{script}"
        opened = subprocess.run([venv / BIN / script, "--workspace", str(workspace), "--quit-after-first-paint"],
                                cwd=tmp, env=zh, capture_output=True, text=True, timeout=120)
        assert opened.returncode == 0 and "Traceback" not in opened.stderr, (script, opened.stderr)


def test_the_wheel_carries_the_translations_the_icon_and_both_entry_points(wheel):
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        assert QM.as_posix() in names and ICON.as_posix() in names
        assert whl.read(QM.as_posix()) == (ROOT / QM).read_bytes()
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        text = whl.read(entry_points).decode()
    assert "[console_scripts]\nprepull-workbench = workbench.cli:main" in text
    assert "[gui_scripts]\nprepull-workbench-gui = workbench.cli:gui_main" in text


def test_a_non_editable_install_starts_in_chinese_with_its_icon(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    subprocess.run([sys.executable, "-m", "pip", "--python", venv / BIN / "python", "install", "-q",
                    "--no-deps", "--no-index", wheel], check=True, capture_output=True, timeout=300)
    # The dependencies (PySide6 ...) come from this interpreter's site-packages, listed AFTER the venv's
    # own, so the wheel's workbench wins; check_installed_app asserts that it does.
    purelib = subprocess.run([venv / BIN / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    Path(purelib, "_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    check_installed_app(venv, tmp_path)


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_a_fresh_venv_installs_the_wheel_with_its_dependencies_and_starts_in_chinese(wheel, tmp_path):
    """What `pip install .` / `pipx install .` give a user: nothing but the wheel and what pip fetches."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
    subprocess.run([venv / BIN / "python", "-m", "pip", "install", "-q", wheel], check=True, timeout=600)
    check_installed_app(venv, tmp_path)


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    """The PyInstaller one-folder app, built once for this module's tests: its folder."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: pip install '.[package]'")
    here = tmp_path_factory.mktemp("pyinstaller")
    dist = here / "dist"
    build = subprocess.run(["bash", ROOT / "packaging" / "build.sh"], cwd=here, capture_output=True, text=True,
                           timeout=1700, env={**os.environ, "PYTHON": sys.executable, "DIST": str(dist),
                                              "WORK": str(here / "work")})
    assert build.returncode == 0, build.stderr[-4000:]
    return dist / "prepull-workbench"


def _frozen_exe(app: Path) -> Path:
    return app / ("prepull-workbench.exe" if sys.platform == "win32" else "prepull-workbench")


@pytest.mark.packaging
@pytest.mark.timeout(1800)
def test_the_pyinstaller_one_folder_app_starts_in_chinese(frozen_app, tmp_path):
    app, exe = frozen_app, _frozen_exe(frozen_app)
    bundled = {p.relative_to(app).as_posix() for p in app.rglob("*") if "workbench/resources" in p.as_posix()}
    assert {f"_internal/{QM.as_posix()}", f"_internal/{ICON.as_posix()}"} <= bundled
    assert (app / "_internal" / QM).read_bytes() == (ROOT / QM).read_bytes()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PREPULL_LANG": "zh_CN"}
    version = subprocess.run([exe, "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"prepull-workbench {workbench.__version__}", version.stderr
    command = [exe, "--workspace", str(tmp_path / "ws"), "--quit-after-first-paint"]
    strace = _working_strace()
    trace = tmp_path / "open.trace"
    if strace:  # also see which translation file the frozen app really opened
        command = [strace, "-f", "-qq", "-e", "trace=openat", "-o", str(trace), *command]
    opened = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0 and "Traceback" not in opened.stderr, opened.stderr
    if strace:
        lines = trace.read_text().splitlines()
        loaded = [line for line in lines if "workbench_zh_CN.qm" in line and "ENOENT" not in line]
        assert loaded and str(app / "_internal" / QM) in loaded[0]


# Run by this interpreter from the checkout: the app's helper processes (two split hashers, then
# a traffic run's worker) started as the frozen app starts them, as its own executable with
# multiprocessing's arguments, module path and main module of their own (which is what a frozen
# parent passes: its own are the child's). Prints how many users the parent hashed itself (a
# hasher that died has its share counted there) and what the worker sent.
HELPERS = """
import asyncio, json, sys, tempfile
from multiprocessing import resource_tracker, spawn
from pathlib import Path

from workbench.core import rollout
from workbench.core.rollout import Population, Rollout, SplitIndex
from workbench.core.store import Store
from workbench.core.traffic_worker import TrafficPlan, run_in_worker
from workbench.mockserver.server import MockServer

exe, appid = sys.argv[1], "wx0123456789abcdef"
resource_tracker.ensure_running()  # this interpreter's (a frozen parent starts the bundle's own)
spawn.set_executable(exe)
spawn.get_command_line = lambda **kw: [exe, "--multiprocessing-fork", *[f"{k}={v!r}" for k, v in kw.items()]]
prepare = spawn.get_preparation_data

def frozen_preparation(name):
    data = prepare(name)
    for key in ("sys_path", "init_main_from_path", "init_main_from_name"):
        data.pop(key, None)
    return data

spawn.get_preparation_data = frozen_preparation
hashed_here = []
count = rollout._BucketJob.count
rollout._BucketJob.count = lambda job, start, stop: hashed_here.append(stop - start) or count(job, start, stop)
SplitIndex.build(Population(size=rollout.PARALLEL_MIN_USERS), appid, "r1", processes=2)

async def traffic():
    mock = MockServer()
    await mock.start()
    store = Store(Path(tempfile.mkdtemp()) / "history.sqlite")
    try:
        plan = TrafficPlan(Rollout(mock.url("main"), mock.url("gray"), rollout_id="r1"), Population(size=20),
                           appid, 20, store_path=str(store.path))
        return (await asyncio.wait_for(run_in_worker(plan), 120)).sent
    except Exception as exc:
        return str(exc)
    finally:
        store.close()
        await mock.stop()

print(json.dumps({"hashed_here": sum(hashed_here), "traffic": asyncio.run(traffic())}))
"""


@pytest.mark.packaging
@pytest.mark.timeout(1800)
def test_the_pyinstaller_apps_helper_processes_run_their_work(frozen_app, tmp_path):
    """The bundle never called multiprocessing.freeze_support(): a helper process ran the command
    line instead, which refused multiprocessing's arguments, so every traffic run in the packaged
    app failed ("the worker process ended unexpectedly (exit code 2)") and the split's hashers died."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", HELPERS, str(_frozen_exe(frozen_app))], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-4000:]
    result = json.loads(run.stdout.splitlines()[-1])
    assert result == {"hashed_here": 0, "traffic": {"main": 20, "gray": 0}}, run.stderr[-4000:]
