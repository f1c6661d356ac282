"""The workspace database under faults (issue 11.1, 11.2), through real processes: damaged pages,
another program holding the file, a foreign SQLite file, a read-only workspace, file modes.

Every failure is one sentence and exit status 2, never a traceback; nothing finished is lost;
a file that is not ours, or damaged, is left byte-identical."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.outcomes import APPID, traffic_outcomes
from workbench.core.client import PrefetchClient
from workbench.core.errors import StoreBusy
from workbench.core.rollout import Population, Rollout
from workbench.core.store import DB_NAME, Store
from workbench.core.traffic import run_traffic
from workbench.core.workspace import open_workspace


async def run_cli(*args: str, prefix: tuple[str, ...] = (), timeout: float = 60) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *prefix, sys.executable, "-m", "workbench", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode, out.decode(), err.decode()


def one_sentence(err: str) -> bool:
    return "Traceback" not in err and err.strip() != "" and all(line.startswith("prepull-workbench:") or
                                                               line.startswith("Exported") for line in
                                                               err.strip().splitlines())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled_workspace(workspace: Path, rows: int = 400) -> Path:
    """A workspace database holding ``rows`` traffic results and a token, closed (WAL merged)."""
    store = Store.in_workspace(workspace)
    try:
        store.add_outcomes(traffic_outcomes(Population(size=50), 0, rows, users=50))
        store.set_token(APPID, "alice", "token-alice", 1)
    finally:
        store.close()
    return open_workspace(workspace).db_path


def damage_history_pages(path: Path, count: int = 2) -> int:
    """Overwrite ``count`` leaf pages of the history table in the middle of the file with junk;
    returns how many rows they held."""
    db = sqlite3.connect(path)
    try:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        leaves = db.execute("SELECT pageno, ncell FROM dbstat WHERE name = 'history' AND pagetype = 'leaf' "
                            "ORDER BY pageno").fetchall()
    finally:
        db.close()
    middle = leaves[len(leaves) // 2: len(leaves) // 2 + count]
    with path.open("r+b") as f:
        for pageno, _ in middle:
            f.seek((pageno - 1) * size)
            f.write(b"\xa5" * size)
    return sum(n for _, n in middle)


def logged(mock) -> list:
    seen: list = []
    mock.listeners.append(seen.append)
    return seen


async def test_damaged_pages_refuse_writes_leave_the_file_as_it_was_and_export_and_recover_save_the_rest(
        mock, workspace, tmp_path):
    path = filled_workspace(workspace)
    lost = damage_history_pages(path)
    damaged = digest(path)
    requests = logged(mock)

    code, _, err = await run_cli("fetch", mock.url("main"), "--appid", APPID, "--token", "token-alice",
                                   "--workspace", str(workspace))
    assert code == 2 and one_sentence(err) and "is damaged" in err and "history recover" in err, err
    assert requests == []  # refused before anything was sent
    assert digest(path) == damaged

    har = tmp_path / "saved.har"
    code, _, err = await run_cli("history", "export", "--har", str(har), "--workspace", str(workspace))
    assert code == 2 and one_sentence(err) and "could not be read" in err, err
    entries = json.loads(har.read_text())["log"]["entries"]
    assert len(entries) == 400 - lost and lost > 0
    assert digest(path) == damaged

    new = tmp_path / "recovered.sqlite3"
    code, _, err = await run_cli("history", "recover", "--to", str(new), "--workspace", str(workspace))
    assert code == 0 and "Traceback" not in err and f"Recovered {400 - lost} history entries" in err, err
    assert digest(path) == damaged
    recovered = Store(new)
    try:
        assert recovered.history_count() == 400 - lost
        assert recovered.token(APPID, "alice") == "token-alice"
        assert recovered.cache_entries()  # the cache came along
        assert recovered._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # the recovered file is a working workspace database: it takes new results
        recovered.add_outcomes(traffic_outcomes(Population(size=5), 1000, 3, users=5))
        assert recovered.history_count() == 400 - lost + 3
    finally:
        recovered.close()


HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO token VALUES ('wx0123456789abcdef', 'holder', 'held', 1)")
print("held", flush=True)
time.sleep(float(sys.argv[2]))  # the scenario: another program keeps the file locked this long
db.execute("COMMIT")
"""


async def test_a_file_held_by_another_writer_for_over_5_s_is_waited_for_and_every_result_stored(mock, workspace):
    path = filled_workspace(workspace, rows=1)
    holder = await asyncio.create_subprocess_exec(sys.executable, "-c", HOLD, str(path), "5.5",
                                                  stdout=subprocess.PIPE)
    assert await asyncio.wait_for(holder.stdout.readline(), 30) == b"held\n"
    fetch, traffic = await asyncio.gather(
        run_cli("fetch", mock.url("main"), "--appid", APPID, "--token", "token-alice", "--workspace",
                str(workspace), "--json"),
        run_cli("traffic", "--appid", APPID, "--users", "300", "--percent", "30", "--workspace", str(workspace),
                "--json"))
    await asyncio.wait_for(holder.wait(), 30)
    code, out, err = fetch
    assert code == 0 and json.loads(out)["verdict"]["cached"], err
    assert "is busy" in err and "Traceback" not in err  # it said it waited
    code, out, err = traffic
    assert code == 0 and json.loads(out)["stored"] == 300, err
    store = Store.in_workspace(workspace)
    try:
        assert store.history_count() == 1 + 1 + 300  # nothing lost
        assert store.token(APPID, "holder") == "held"
    finally:
        store.close()


async def test_a_file_held_longer_than_the_wait_loses_nothing_silently(mock, workspace):
    """Past the wait, the store says so in one sentence; a traffic run counts what it could not
    store and reports it instead of failing."""
    store = Store.in_workspace(workspace, wait_s=0.3)
    other = sqlite3.connect(open_workspace(workspace).db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy, match=r"held by another program for more than 0\.3 s"):
            store.set_token(APPID, "u", "t", 1)
        rollout = Rollout(mock.url("main"), mock.url("gray"), rollout_id="r").set_percent(50)
        async with PrefetchClient(keepalive=False) as client:
            stats = await run_traffic(client, rollout, Population(size=20), APPID, 20, store=store,
                                      code_factory=mock.issue_code)
        assert stats.cached == 20 and stats.stored == 0 and stats.unstored == 20
        assert "held by another program" in stats.store_error
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()


@pytest.mark.parametrize("kind", ["another program's SQLite file", "not SQLite at all"])
async def test_a_foreign_file_is_refused_and_stays_byte_identical(mock, workspace, tmp_path, kind):
    path = open_workspace(workspace).store_path()
    if kind == "not SQLite at all":
        path.write_bytes(b"my notes, not a database\n" * 300)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.executemany("INSERT INTO notes (text) VALUES (?)", [(f"note {i}",) for i in range(500)])
        db.commit()
        db.close()
    before = digest(path)
    requests = logged(mock)
    for args in (("fetch", mock.url("main"), "--appid", APPID, "--token", "t-1"),
                 ("traffic", "--appid", APPID, "--users", "5", "--percent", "0"),
                 ("history", "export", "--har", str(tmp_path / "x.har"))):
        code, _, err = await run_cli(*args, "--workspace", str(workspace))
        assert code == 2 and one_sentence(err) and "is not a Prepull Workbench database" in err, (args, err)
        assert digest(path) == before, args  # not switched to WAL, not touched at all
    assert requests == []
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(DB_NAME + "-")]  # no -wal/-shm
    assert not (tmp_path / "x.har").exists()


def _read_only(paths: list[Path]) -> dict[Path, int]:
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in paths}
    for p in paths:
        p.chmod(0o500 if p.is_dir() else 0o400)
    return modes


def _without_root_powers() -> tuple[str, ...]:
    """As root, file modes do not bind: run the command without the capabilities that bypass them."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be simulated")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner")


async def test_a_read_only_workspace_is_called_read_only_and_can_still_be_exported(mock, workspace, tmp_path):
    path = filled_workspace(workspace, rows=30)
    prefix = _without_root_powers()
    modes = _read_only([path, workspace])
    try:
        before = digest(path)
        requests = logged(mock)
        code, _, err = await run_cli("fetch", mock.url("main"), "--appid", APPID, "--token", "t-1",
                                     "--workspace", str(workspace), prefix=prefix)
        assert code == 2 and one_sentence(err) and "read-only" in err and "damaged" not in err, err
        assert requests == []
        out = tmp_path / "out"
        out.mkdir()
        code, _, err = await run_cli("history", "export", "--har", str(out / "h.har"), "--workspace",
                                     str(workspace), prefix=prefix)
        assert code == 0, err
        assert len(json.loads((out / "h.har").read_text())["log"]["entries"]) == 30
        assert digest(path) == before
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def test_files_are_private_from_the_first_write(tmp_path):
    """11.2: the folder 700, the database and its -wal/-shm 600, whatever the umask."""
    old = os.umask(0o022)
    try:
        folder = tmp_path / "new" / "data"
        store = Store(folder / DB_NAME)
        try:
            store.add_outcomes(traffic_outcomes(Population(size=3), 0, 3, users=3))
            files = [folder / DB_NAME, folder / (DB_NAME + "-wal"), folder / (DB_NAME + "-shm")]
            assert all(f.exists() for f in files)
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {
                f.name: "0o600" for f in files}
        finally:
            store.close()
    finally:
        os.umask(old)


def test_an_older_world_readable_database_is_made_private(workspace):
    path = workspace / DB_NAME
    Store(path).close()
    path.chmod(0o644)
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
