"""Benchmark runner: `python -m tests.perf [--quick] [--only NAME ...]` prints one JSON object.

Every section is a module in tests/perf/sections exposing ``run(quick: bool) -> dict``; each
figure in it is set beside a baseline measured in the same run (as a ratio where the issue asks
for one), because these machines are noisy. Each section runs in a fresh interpreter, so one
section's memory, threads and imports cannot colour the next one's figures. A section that is
not present reports ``{"skipped": ...}``; one that fails reports ``{"error": ...}``.

--quick is the smoke run the test suite keeps (smaller counts, same code paths); the full run
gives the figures in the README.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import platform
import re
import subprocess
import sys
from pathlib import Path

#: Each section's figures (issue 13); a section may add more (its baselines, its counts).
SCHEMA: dict[str, tuple[str, ...]] = {
    "startup": ("app_s", "bare_s", "ratio"),
    "round_trip": ("p50_ms", "p99_ms", "bare_p50_ms", "ratio"),
    "traffic": ("per_s", "bare_per_s", "ratio", "max_stall_ms"),
    "mock": ("per_s", "bare_per_s", "ratio"),
    "history": ("rows", "open_ms", "filter_ms", "deep_page_ms", "rss_mb", "db_mb", "ui_max_stall_ms"),
    "bodies": ("pretty_256k_ms", "max_stall_10mb_ms", "search_max_stall_ms"),
    "split": ("build_1m_s", "max_stall_ms"),
    # issue 12 item 10: closing the window to the end of the process, after a traffic run
    "close": ("close_s", "bare_s", "ratio"),
}
#: The sections, in the order the issue lists them.
SECTIONS = tuple(SCHEMA)
ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, sys
from tests.perf.sections import {name} as section
result = section.run({quick})
sys.stdout.write("\\n@@result " + json.dumps(result) + "\\n")
"""


def available() -> set[str]:
    import tests.perf.sections as package

    return {m.name for m in pkgutil.iter_modules(package.__path__)}


def run_section(name: str, quick: bool, timeout: float) -> dict:
    """Import check here, measurement in a child interpreter; its last ``@@result`` line is the answer."""
    module = importlib.import_module(f"tests.perf.sections.{name}")
    if not callable(getattr(module, "run", None)):
        return {"error": f"tests/perf/sections/{name}.py has no run(quick) function"}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD.format(name=name, quick=quick)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("@@result "):
            result = json.loads(line[len("@@result "):])
            missing = [key for key in SCHEMA[name] if key not in result]
            if missing and "skipped" not in result:
                return {"error": f"the section did not report {', '.join(missing)}", **result}
            return result
    return {"error": f"exit status {proc.returncode}: {error_line(proc.stderr)}"}


def error_line(stderr: str) -> str:
    """The line of ``stderr`` that says what went wrong: the last exception raised, else the last
    line (Qt's own messages often come after a traceback)."""
    lines = stderr.strip().splitlines() or ["no output"]
    return next((line for line in reversed(lines) if EXCEPTION_LINE.match(line)), lines[-1])


EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run: smaller counts, same code paths")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION", help="run only these sections")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per section at most")
    args = parser.parse_args(argv)
    present = available()
    result: dict[str, dict] = {}
    for name in args.only or SECTIONS:
        if name not in present:
            result[name] = {"skipped": f"no tests/perf/sections/{name}.py in this checkout"}
        else:
            result[name] = run_section(name, args.quick, args.timeout)
        print(f"{name}: {json.dumps(result[name])}", file=sys.stderr, flush=True)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0 if all("error" not in r for r in result.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
