"""The benchmark runner cannot rot: its --quick smoke run gives every figure of issue 13's schema.

Only that the numbers exist and are finite is checked here; speed goals are in tests/perf (kept
out of the default run) and the README's performance table.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.perf.__main__ import SCHEMA

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(400)
def test_the_quick_benchmark_run_prints_one_json_object_with_every_figure():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "tests.perf", "--quick", "--timeout", "180"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=380)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)  # one object, nothing else on stdout
    assert list(result) == list(SCHEMA)
    for section, keys in SCHEMA.items():
        figures = result[section]
        if section == "history" and "skipped" in figures:
            continue  # measured by the storage work's section once it is in this checkout
        for key in keys:
            assert isinstance(figures[key], int | float) and math.isfinite(figures[key]), (section, key, figures)
