"""Write files so that a failure never leaves a half-written one behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workbench.core.errors import InvalidInput


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside ``path`` and rename it into place (one clear error).

    The file is private (600) unless ``mode`` says otherwise, e.g. 644 for a file meant for git.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror} (choose another folder).") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write {path}: {exc.strerror}; nothing was changed.") from None


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
