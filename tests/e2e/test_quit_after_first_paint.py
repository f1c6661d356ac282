"""The hidden --quit-after-first-paint option: the start-up benchmark and packaged-app smoke
tests open the real window, wait for its first paint, and leave cleanly."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_app_paints_its_window_says_so_and_quits_cleanly(tmp_path):
    config = tmp_path / "config" / "prepull-workbench"
    config.mkdir(parents=True)
    (config / "Prepull Workbench.conf").write_text("[mock]\nport=0\n")  # the mock on a free port only
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "workbench", "--workspace", str(workspace),
                           "--quit-after-first-paint"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["first paint"]
    assert any(workspace.iterdir())  # the workspace was opened (its database created)


def test_the_option_is_hidden_from_help():
    from workbench.cli import build_parser

    assert "first-paint" not in build_parser().format_help()
    assert build_parser().parse_args(["--quit-after-first-paint"]).quit_after_first_paint
