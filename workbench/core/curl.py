"""The request as a curl command line that sends the same request line and headers."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

#: Headers curl computes itself; passing them would duplicate or break them.
_CURL_OWN = {"host", "content-length"}


def curl_command(url: str, headers: Sequence[tuple[str, str]] = ()) -> str:
    """``curl`` with the exact URL (no globbing, no path normalisation) and the headers sent."""
    parts = ["curl", "--globoff", "--path-as-is", "-sS", shlex.quote(url)]
    for name, value in headers:
        if name.lower() not in _CURL_OWN:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    return " ".join(parts)
