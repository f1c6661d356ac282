"""Where a workspace lives: a folder holding the workspace database (and, later, its settings)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "prepull-workbench"


def default_workspace() -> Path:
    """The user data dir, used when no --workspace is given."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_workspace(path: str | Path | None) -> Path:
    return Path(path).expanduser() if path else default_workspace()
