"""Every way a secret can be written back by a server or a tool, for tests that grep for it."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, quote_plus


def encodings(secret: str) -> list[str]:
    """Raw, URL-encoded (form and path style), percent-encoded in either case, double-encoded,
    JSON-escaped (ASCII and not), HTML-escaped."""
    full = quote(secret, safe="")
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), full)
    variants = [secret, full, lower, quote_plus(secret), quote(secret), quote(full, safe=""),
                json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], html.escape(secret)]
    return list(dict.fromkeys(variants))


def leaks(text: str, *secrets: str) -> list[str]:
    """The encodings of ``secrets`` that occur in ``text`` (empty: nothing leaked)."""
    return [v for s in secrets for v in encodings(s) if v in text]
