"""Every user-visible string is translated: English source, Simplified Chinese shipped."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "workbench_zh_CN.ts"
QM = ROOT / "workbench" / "resources" / "translations" / "workbench_zh_CN.qm"  # shipped in the package


def sources(ts: Path) -> set[tuple[str, str]]:
    return {(ctx.findtext("name"), msg.findtext("source"))
            for ctx in ET.parse(ts).iter("context") for msg in ctx.iter("message")}


def _translated(msg: ET.Element) -> bool:
    tr = msg.find("translation")
    if tr.get("type") in ("unfinished", "obsolete", "vanished"):
        return False
    texts = [f.text for f in tr.findall("numerusform")] if msg.get("numerus") == "yes" else [tr.text]
    return bool(texts) and all((t or "").strip() for t in texts)


def test_every_message_has_a_finished_chinese_translation():
    unfinished = [msg.findtext("source") for msg in ET.parse(TS).iter("message") if not _translated(msg)]
    assert unfinished == []


def test_the_ts_file_holds_every_tr_string_in_the_code(tmp_path):
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed beside this Python")
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in (ROOT / "workbench").rglob("*.py"))
    subprocess.run([lupdate, *files, "-ts", str(fresh)], check=True, capture_output=True, timeout=120)
    missing = sources(fresh) - sources(TS)
    assert not missing, f"run packaging/update_translations.sh and translate: {sorted(missing)}"


def test_the_built_qm_ships_in_the_package():
    assert QM.exists() and QM.stat().st_size > 0
