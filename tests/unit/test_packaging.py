"""The desktop integration files say what the package really provides."""

from __future__ import annotations

import configparser
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import workbench

ROOT = Path(__file__).resolve().parents[2]


def test_desktop_file_launches_the_installed_entry_point():
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(ROOT / "packaging" / "prepull-workbench.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["gui-scripts"]
    assert entry["Exec"] in scripts and entry["Type"] == "Application" and entry["Categories"].endswith(";")
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").exists()


def test_metainfo_names_the_desktop_file_and_this_version():
    root = ET.parse(ROOT / "packaging" / "io.github.prepull_workbench.metainfo.xml").getroot()
    assert root.findtext("launchable") == "prepull-workbench.desktop"
    assert root.find("releases/release").get("version") == workbench.__version__
    assert root.findtext("provides/binary") == "prepull-workbench"
