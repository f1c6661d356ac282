"""Closing the app (issue 12 item 10): it ends at once (tests/perf's "close" section measures how
fast) and, although it skips Python's teardown, leaves everything saved: the settings with the
window's layout, the workspace database closed cleanly (no write-ahead log left behind), and the
workspace free for the next start."""

from __future__ import annotations

import configparser
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.support.listening import listening


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is not a polite request on Windows")
def test_the_app_closes_on_sigterm_with_its_settings_and_database_saved(tmp_path):
    config = tmp_path / "config"
    settings = config / "prepull-workbench" / "Prepull Workbench.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text("[welcome]\nseen=true\n")
    folder = tmp_path / "workspace"
    folder.mkdir()
    from workbench.core.workspace import open_workspace

    ws = open_workspace(folder)
    with socket.socket() as probe:  # a free loopback port, to see when the mock server listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ws.doc.mock.port = port
    ws.save()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(config),
               XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "--workspace", str(ws.path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not listening(port):  # the window is up, its loop runs, and the mock server started
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # a logout, or Ctrl+C in the terminal: the window closes
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    saved = configparser.RawConfigParser()
    saved.read(settings)
    assert saved.has_option("mainWindow", "geometry") and saved.has_option("mainWindow", "tab")
    assert any(key.startswith("layout") for key in saved.sections())  # the splitters, as left
    assert not ws.db_path.with_name(ws.db_path.name + "-wal").exists()  # closed, checkpointed
    from workbench.core.store import Store

    store = Store(ws.db_path, readonly=True)  # it opens: not left damaged
    store.close()
    import sqlite3

    with contextlib.closing(sqlite3.connect(f"file:{ws.db_path}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

