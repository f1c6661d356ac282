"""The workspace file (issue 9): one validated, diff-friendly document per Mini Program."""

from __future__ import annotations

import json
import os
import stat

import pytest

from workbench.core.errors import RolloutRefused, WorkspaceError
from workbench.core.workspace import (
    SUFFIX,
    Workspace,
    WorkspaceFile,
    dumps,
    loads,
    open_workspace,
    resolve_path,
)

APPID = "wx0123456789abcdef"


@pytest.fixture
def ws(tmp_path):
    return Workspace.create(tmp_path / f"app{SUFFIX}", APPID)


def test_new_workspace_has_the_protocol_docs_defaults(ws):
    p = ws.doc.protocol
    assert (p.timestamp_unit, p.timeout_s, p.follow_redirects, p.require_2xx, p.body_limit_bytes,
            p.periodic_expiry_h) == ("ms", 5.0, False, True, 262_144, 0.0)
    settings = ws.protocol_settings()
    assert settings.timeout_s == 5.0 and settings.max_body_bytes == 262_144


def test_unchanged_save_is_byte_identical_and_writes_nothing(ws):
    before = ws.path.read_bytes()
    reopened = Workspace.load(ws.path)
    assert reopened.save() is False
    assert ws.path.read_bytes() == before
    reopened.doc.launch.query = "a=1"
    assert reopened.save() is True
    assert Workspace.load(ws.path).save() is False


def test_round_trip_keeps_every_section(ws):
    ws.doc.addresses.main = "https://api.example.com/prefetch"
    ws.doc.launch.query = "a=1+2&b=%E4%B8%AD&c=x%26y%3Dz"
    ws.doc.protocol.body_limit_bytes = 1000
    ws.doc.mock.rules = [{"name": "big", "scene": 1047, "body": "{{json_bytes:300000}}"}]
    ws.apply_percent(12.5)
    again = Workspace.load(ws.path)
    assert again.doc == ws.doc
    assert again.doc.launch.query == "a=1+2&b=%E4%B8%AD&c=x%26y%3Dz"


def test_file_is_plain_text_for_git_and_data_folder_is_private(ws):
    assert stat.S_IMODE(os.stat(ws.path).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(ws.data_dir).st_mode) == 0o700
    assert (ws.data_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    ws.set_mock_tokens({"alice": "token-alice-secret"})
    assert stat.S_IMODE(os.stat(ws.secrets_path).st_mode) == 0o600
    assert "token-alice-secret" not in ws.path.read_text()


@pytest.mark.parametrize(("text", "expected"), [
    ('appid = "wx0123456789abcdef"\n[protocol]\ntimeout_s = "5"\n', "protocol.timeout_s (line 3) is invalid"),
    ('[protocol]\ntimout_s = 5\n', "protocol.timout_s (line 2) is not a known key"),
    ('[rollout]\npercent = 101\n', "rollout.percent (line 2) is invalid"),
    ('[protocol]\ntimeout_s = nan\n', "protocol.timeout_s (line 2) is invalid: Input should be a finite number"),
    ('prepull_enabled = "false"\n', "prepull_enabled (line 1) is invalid"),
    ('version = 7\n', "format version 7, written by a newer Prepull Workbench"),
    ('[protocol\ntimeout_s = 5\n', "is not valid TOML"),
    ('appid = "wx12"\n', "appid (line 1) is invalid"),
])
def test_a_bad_file_is_one_sentence_naming_key_and_line_and_is_left_alone(tmp_path, text, expected):
    path = tmp_path / f"bad{SUFFIX}"
    path.write_text(text)
    with pytest.raises(WorkspaceError, match=expected.replace("(", r"\(").replace(")", r"\)")) as info:
        Workspace.load(path)
    message = str(info.value)
    assert "\n" not in message and message.lower().endswith("the file was not changed.")
    assert path.read_text() == text


def test_binary_garbage_is_refused_not_overwritten(tmp_path):
    path = tmp_path / f"bad{SUFFIX}"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(WorkspaceError, match="not UTF-8"):
        Workspace.load(path)
    assert path.read_bytes() == b"\xff\xfe\x00garbage"


def test_p26_floor_persists_and_is_respected_by_another_process_copy(ws):
    ws.apply_percent(30)
    other = Workspace.load(ws.path)  # a second process that opened the file earlier
    other_stale = Workspace.load(ws.path)
    other.apply_percent(40)
    with pytest.raises(RolloutRefused, match="cannot go back from 40% to 35%"):
        other_stale.apply_percent(35)  # it re-reads the file under the lock: the floor is 40 now
    steps = [s.percent for s in Workspace.load(ws.path).doc.rollout.steps]
    assert steps == [30, 40]


def test_p27_promotion_makes_gray_the_main_address_and_ends_the_rollout(ws):
    ws.doc.addresses.main = "https://main.example/p"
    ws.doc.addresses.gray = "https://gray.example/p"
    ws.apply_percent(100)
    assert ws.doc.rollout.promoted and ws.doc.addresses.main == "https://gray.example/p"
    rollout = ws.rollout()
    assert not rollout.active and rollout.url_for(rollout.side(APPID, "anyone")) == "https://gray.example/p"
    with pytest.raises(RolloutRefused, match="promoted"):
        ws.apply_percent(100)
    fresh = ws.new_rollout("https://gray2.example/p")
    assert fresh.percent == 0 and not fresh.promoted and fresh.id != "rollout-1"


def test_folder_resolution(tmp_path):
    assert resolve_path(tmp_path / "none") == tmp_path / "none" / f"workspace{SUFFIX}"
    ws = open_workspace(tmp_path / "new")
    assert ws.path == tmp_path / "new" / f"workspace{SUFFIX}" and ws.path.exists()
    assert open_workspace(tmp_path / "new").path == ws.path
    Workspace.create(tmp_path / "new" / f"second{SUFFIX}")
    with pytest.raises(WorkspaceError, match="several workspaces"):
        resolve_path(tmp_path / "new")


def test_an_old_workspace_folder_is_migrated(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "mock.json").write_text(json.dumps({
        "rules": [{"name": "big", "scene": 1047, "body": "x", "status": 200}],
        "default": {"body": "{}"},
        "config": {"token_check": False, "users": [{"name": "carol", "token": "tok-carol", "openid": "oc"}]}}))
    ws = open_workspace(folder)
    assert ws.doc.mock.rules[0]["name"] == "big" and ws.doc.mock.settings["token_check"] is False
    assert [u.name for u in ws.doc.mock.users] == ["carol"]
    assert ws.mock_tokens() == {"carol": "tok-carol"} and "tok-carol" not in ws.path.read_text()
    assert (folder / "mock.json.migrated").exists() and not (folder / "mock.json").exists()


def test_dumps_is_deterministic():
    assert dumps(WorkspaceFile()) == dumps(loads(dumps(WorkspaceFile())))


def test_p26_a_stale_save_never_lowers_the_floor_written_since(ws):
    stale = ws.text()  # a snapshot taken before the rollout changed (the GUI writes in a thread)
    Workspace.load(ws.path).apply_percent(25)  # another process raises the floor
    ws.doc.launch.path = "pages/a"
    ws.save(stale.replace('path = ""', 'path = "pages/a"'))
    on_disk = Workspace.load(ws.path).doc
    assert on_disk.rollout.percent == 25 and on_disk.launch.path == "pages/a"


def test_the_readme_example_is_a_valid_workspace():
    """The format documented in the README loads as it is (docs cannot drift from the schema)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", readme, re.S).group(1)
    doc = loads(example, "The README's example")
    assert doc.rollout.percent == 10 and doc.protocol.body_limit_bytes == 262_144


def test_an_interrupted_save_leaves_the_old_file_or_the_new_one(tmp_path):
    """11.7: kill -9 a process that saves the workspace over and over, 20 times at random moments."""
    import random
    import subprocess
    import sys
    import time

    path = tmp_path / f"app{SUFFIX}"
    Workspace.create(path, APPID)
    child = (
        "import sys, itertools\n"
        "from workbench.core.workspace import Workspace\n"
        "ws = Workspace.load(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "for i in itertools.count():\n"
        "    ws.doc.launch.query = 'n=%d&' % i + 'x' * (i % 5000)\n"
        "    ws.save()\n")
    rng = random.Random(9)
    for _ in range(20):
        proc = subprocess.Popen([sys.executable, "-c", child, str(path)], stdout=subprocess.PIPE)
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        proc.kill()
        proc.wait(10)
        doc = Workspace.load(path).doc  # whole: the old or the new text, never a mix
        assert doc.appid == APPID and (doc.launch.query == "" or doc.launch.query.startswith("n="))
