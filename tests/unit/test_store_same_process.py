"""Two stores on one database in one process (two windows of a test, a second workspace session
before the first has closed) must not drop each other's file locks.

Closing any descriptor of a file drops every POSIX lock the process holds on it. The store read a
file's header with a plain ``open`` before handing it to SQLite; with another store of the same
process already connected, that close dropped SQLite's locks. Another process (a traffic run's
worker) then thought it was the last one connected, checkpointed and deleted the write-ahead log
under the first store's connections, whose next reads failed with "database disk image is
malformed" and marked the database damaged.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.core.store import Store

OUTSIDE_WRITE = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("CREATE TABLE IF NOT EXISTS outside(a)")
db.execute("INSERT INTO outside VALUES (1)")
db.execute("COMMIT")
db.close()  # the last connection of all would checkpoint and delete the -wal file here
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX advisory locks")
@pytest.mark.parametrize("second_readonly", [False, True])
def test_a_second_store_in_the_process_keeps_the_first_ones_locks(tmp_path, second_readonly):
    path = tmp_path / "workbench.sqlite3"
    first = Store(path)
    wal = path.with_name(path.name + "-wal")
    try:
        first.history_count()
        subprocess.run([sys.executable, "-c", OUTSIDE_WRITE, str(path)], check=True, timeout=60)
        assert wal.exists()  # we are connected: the other process did not remove the log
        second = Store(path, readonly=second_readonly)
        try:
            subprocess.run([sys.executable, "-c", OUTSIDE_WRITE, str(path)], check=True, timeout=60)
            assert wal.exists()  # still: the second store did not drop the first one's locks
            assert first.history_count() == 0 and first.damaged is None
        finally:
            second.close()
        subprocess.run([sys.executable, "-c", OUTSIDE_WRITE, str(path)], check=True, timeout=60)
        assert wal.exists()  # the first store is still connected after the second one closed
    finally:
        first.close()
