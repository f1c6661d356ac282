"""The packaging says what the package really provides: entry points, shipped files, desktop files.

The built artefacts themselves (wheel, installed app, PyInstaller app) are tried in tests/e2e/test_install.py.
"""

from __future__ import annotations

import configparser
import fnmatch
import pkgutil
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import workbench
from workbench import cli
from workbench.app import resource_path, translations_dir

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
DESKTOP = ROOT / "packaging" / "prepull-workbench.desktop"
METAINFO = ROOT / "packaging" / "io.github.prepull_workbench.metainfo.xml"
PACKAGE = ROOT / "workbench"


def desktop_entry() -> configparser.SectionProxy:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(DESKTOP, encoding="utf-8")
    return desktop["Desktop Entry"]


def test_commands_have_a_console_entry_and_launchers_a_gui_entry():
    # A gui-script has no console on Windows: `fetch --json` would print nothing there.
    assert PROJECT["scripts"] == {"prepull-workbench": "workbench.cli:main"}
    assert PROJECT["gui-scripts"] == {"prepull-workbench-gui": "workbench.cli:gui_main"}
    assert pkgutil.resolve_name(PROJECT["scripts"]["prepull-workbench"]) is cli.main
    assert pkgutil.resolve_name(PROJECT["gui-scripts"]["prepull-workbench-gui"]) is cli.gui_main


def test_the_gui_entry_refuses_a_command_with_one_line(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.gui_main(["fetch", "http://127.0.0.1:1/", "--appid", "wx0123456789abcdef"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run it with prepull-workbench" in err


def test_quit_after_first_paint_is_a_hidden_top_level_option(capsys):
    parser = cli.build_parser()
    assert parser.parse_args(["--quit-after-first-paint"]).quit_after_first_paint is True
    assert parser.parse_args([]).quit_after_first_paint is False
    parser.print_help()
    assert "first-paint" not in capsys.readouterr().out


def test_the_desktop_file_launches_the_gui_entry_with_the_shipped_icon():
    entry = desktop_entry()
    assert entry["Exec"] in PROJECT["gui-scripts"]
    assert entry["Type"] == "Application" and entry["Categories"].endswith(";")
    assert resource_path("icons", f"{entry['Icon']}.svg").is_file()


def test_metainfo_names_the_desktop_file_every_binary_and_this_version():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("releases/release").get("version") == workbench.__version__
    binaries = {b.text for b in root.iterfind("provides/binary")}
    assert binaries == set(PROJECT["scripts"]) | set(PROJECT["gui-scripts"])


def test_run_time_files_live_in_the_package_and_package_data_ships_every_one():
    # importlib.resources finds them inside the package: the same for a checkout, pip, pipx, PyInstaller.
    assert translations_dir() == PACKAGE / "resources" / "translations"
    assert (translations_dir() / "workbench_zh_CN.qm").is_file()
    shipped = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "resources").rglob("*") if p.is_file()]
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["workbench"]
    assert shipped and all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in shipped), (shipped, patterns)


def test_the_shipped_qm_is_built_from_the_current_ts(tmp_path):
    """A .ts edited without rebuilding (or a .qm rebuilt into the old resources/ folder) ships stale text."""
    stray = list((ROOT / "resources" / "translations").glob("*.qm"))
    assert stray == [], "the built .qm belong in workbench/resources/translations"
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed beside this Python")
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        fresh = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([lrelease, str(ts), "-qm", str(fresh)], check=True, capture_output=True, timeout=120)
        assert fresh.read_bytes() == (translations_dir() / fresh.name).read_bytes(), \
            f"run packaging/update_translations.sh: {fresh.name} is stale"


def _validator(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (apt-get install {package}; .ci/run installs it)")
    return found


def test_the_desktop_file_passes_desktop_file_validate():
    validate = _validator("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "error" not in output and "warning" not in output, output


def test_the_metainfo_passes_appstreamcli_validate():
    validate = _validator("appstreamcli", "appstream")
    done = subprocess.run([validate, "validate", "--no-net", "--pedantic", str(METAINFO)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
