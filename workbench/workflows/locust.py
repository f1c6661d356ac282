"""Export a traffic scenario as a Locust file, off the UI thread (the GUI's Traffic tab)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workbench.core.locust_export import LocustScenario, write_locustfile


async def export_locust(path: Path | str, scenario: LocustScenario) -> dict[str, int]:
    """Write the file (mode 600: it holds tokens); returns the split it reproduces. Hashing and
    writing up to 100,000 users takes a moment, so it runs in a thread."""
    return await asyncio.to_thread(write_locustfile, path, scenario)
