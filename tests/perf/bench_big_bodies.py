"""Benchmark (not part of the test run), issue 11.3: memory and disk of a traffic run against a
10 MB body, and of exporting it as HAR.

Targets: the 60-user run under 300 MB RSS and 50 MB on disk; the export under 300 MB RSS. The
mock server (rule body ``{{json_bytes:10000000}}``) runs in this process on 127.0.0.1; the
``traffic`` and ``history export`` commands run as their own processes, whose peak RSS is
measured. ``--code DIR`` runs the commands from another checkout (say, the previous commit) for
a same-run comparison.

    python tests/perf/bench_big_bodies.py [--users 60] [--code DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from workbench.mockserver.server import MockServer

ROOT = Path(__file__).resolve().parents[2]
#: Runs the CLI and reports the process's own peak RSS (KiB) on stderr at exit. VmHWM, not
#: ru_maxrss: Linux carries ru_maxrss over exec, so a child would report its parent's size.
WRAP = """
import runpy, sys
sys.argv = ["prepull-workbench", *sys.argv[1:]]
try:
    runpy.run_module("workbench", run_name="__main__")
finally:
    hwm = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
    sys.stderr.write(f"MAXRSS {hwm}\\n")
"""


async def cli(code: Path, *args: str) -> tuple[int, float, str, str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", WRAP, *args, cwd=code, env=env,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await proc.communicate()
    text = err.decode()
    rss = next((int(line.split()[1]) / 1024 for line in text.splitlines() if line.startswith("MAXRSS ")), -1.0)
    return proc.returncode, rss, out.decode(), text


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


async def main(users: int, code: Path) -> dict:
    mock = MockServer()
    mock.rules.default.body = "{{json_bytes:10000000}}"
    await mock.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-big-") as folder:
            workspace = Path(folder) / "ws"
            status, run_rss, out, err = await cli(
                code, "traffic", "--appid", "wx0123456789abcdef", "--users", str(users), "--percent", "50",
                "--url", mock.url("main"), "--gray-url", mock.url("gray"), "--workspace", str(workspace), "--json")
            if status != 0:
                raise SystemExit(f"traffic failed ({status}): {err}")
            report = json.loads(out)
            on_disk = disk_mb(workspace)
            har = Path(folder) / "out.har"
            status, export_rss, _, err = await cli(code, "history", "export", "--har", str(har),
                                                   "--workspace", str(workspace))
            if status != 0:
                raise SystemExit(f"export failed ({status}): {err}")
            return {"users": users, "stored": report.get("stored", report["cached"] + report["not_cached"]),
                    "traffic_rss_mb": round(run_rss, 1), "disk_mb": round(on_disk, 1),
                    "export_rss_mb": round(export_rss, 1), "har_mb": round(har.stat().st_size / 1e6, 1)}
    finally:
        await mock.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose commands run")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.users, args.code.resolve()))))
