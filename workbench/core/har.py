"""HAR 1.2 export and import of pre-pull history (http://www.softwareishard.com/blog/har-12-spec/).

Exports redact tokens and codes unless the user asks otherwise. Imported entries (from a
browser or another tool) become history rows that can be replayed.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workbench import __version__
from workbench.core import redact
from workbench.core.client import judge
from workbench.core.errors import InvalidInput
from workbench.core.model import HistoryRecord
from workbench.core.protocol import ProtocolSettings
from workbench.core.redact import REDACTED

__all__ = ["REDACTED", "dumps", "entry", "export_har", "parse_har"]
PROTOCOL_PARAMS = ("appid", "token", "code", "timestamp", "path", "query", "scene", "customMiniprogramVersion")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _nv(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def entry(record: HistoryRecord, include_secrets: bool = False) -> dict[str, Any]:
    """One HAR entry. Unless ``include_secrets``, every secret of the record is replaced by
    REDACTED wherever it appears (core/redact.py): URL, userinfo, parameters, headers, cookies,
    the redirect, the body and the reasons that quote it."""
    redactor = None if include_secrets else redact.for_record(record, redact.replace_secret)
    url, params, body = record.full_url, list(record.params), record.body
    request_headers, response_headers = list(record.request_headers), list(record.response_headers)
    reasons = list(record.reasons)
    if redactor is not None:
        url, params, body = redactor.url(url), redactor.params(params), redactor.data(body)
        request_headers, response_headers = redactor.headers(request_headers), redactor.headers(response_headers)
        reasons = [redactor.reason(r) for r in reasons]
    mime = dict((k.lower(), v) for k, v in response_headers).get("content-type", "")
    try:
        text, encoding = body.decode("utf-8"), None
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(body).decode("ascii"), "base64"
    total = record.total_ms if record.total_ms is not None else -1
    connect = record.connect_ms if record.connect_ms is not None else -1
    wait = (record.first_byte_ms - max(connect, 0)) if record.first_byte_ms is not None else -1
    receive = (total - record.first_byte_ms) if record.first_byte_ms is not None and total >= 0 else -1
    har_entry: dict[str, Any] = {
        "startedDateTime": _iso(record.started_ms),
        "time": max(total, 0),
        "request": {
            "method": "GET", "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": _nv(request_headers), "queryString": _nv(params),
            "headersSize": -1, "bodySize": 0,
        },
        "response": {
            "status": record.status or 0, "statusText": record.reason_phrase,
            "httpVersion": record.http_version or "", "cookies": [],
            "headers": _nv(response_headers), "content": {"size": record.body_size, "mimeType": mime},
            "redirectURL": dict((k.lower(), v) for k, v in response_headers).get("location", ""),
            "headersSize": -1, "bodySize": record.body_size if record.status is not None else -1,
        },
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": connect, "send": 0, "wait": max(wait, 0),
                    "receive": max(receive, 0), "ssl": -1},
        "comment": "; ".join(r.message for r in reasons) if not record.cached else "cached",
        "_prepull": {"source": record.source, "user": record.user, "fetchType": record.fetch_type,
                     "address": record.address_kind, "cached": record.cached,
                     "reasons": [r.code for r in reasons], "redacted": redactor is not None},
    }
    if redactor is not None:
        # any other string (the status text, a field added later) goes through the same redaction
        har_entry = redactor.tree(har_entry)
    content = har_entry["response"]["content"]  # (tree() made new dicts)
    content["text"] = text  # the body was redacted above, as bytes (so base64 holds no secret either)
    if encoding:
        content["encoding"] = encoding
    return har_entry


def _log_header() -> dict[str, Any]:
    return {"version": "1.2", "creator": {"name": "Prepull Workbench", "version": __version__}, "pages": []}


def export_har(records: Iterable[HistoryRecord], include_secrets: bool = False) -> dict[str, Any]:
    return {"log": {**_log_header(), "entries": [entry(r, include_secrets) for r in records]}}




def dumps(har: dict[str, Any]) -> str:
    return json.dumps(har, ensure_ascii=False, indent=1)


def write_har(path: Path, records: Iterable[HistoryRecord], include_secrets: bool = False) -> int:
    """Write a HAR file one entry at a time, so a long history never sits in memory as one
    document: into a private temporary file beside ``path``, renamed into place when complete
    (a failure leaves no half-written file). Returns how many entries were written."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror} (choose another folder).") from None
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write('{"log": {' + json.dumps(_log_header(), ensure_ascii=False)[1:-1] + ', "entries": [')
            for record in records:
                f.write(",\n" if n else "\n")
                f.write(json.dumps(entry(record, include_secrets), ensure_ascii=False))
                n += 1
            f.write("\n]}}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write {path}: {exc.strerror}; nothing was changed.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


# -- import ------------------------------------------------------------------------------
#
# A HAR comes from any tool, any version, or a hand edit: every field may be missing, null, of
# another type, out of range or text that is not valid Unicode. Each is read through a helper
# that turns what cannot be used into "unknown"; only an entry without a usable URL is refused.

#: The largest millisecond count kept (about 31 years): beyond it a duration is not a duration.
_MAX_MS = 10.0**12
#: SQLite integers are 64-bit.
_MAX_INT = 2**63 - 1


def _text(value: Any) -> str:
    """A HAR string as text: None is empty, a number is written out, lone surrogates (valid in
    JSON, not in UTF-8) become U+FFFD."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _ms(value: Any) -> float | None:
    """A duration in ms, or None when the HAR gives none (-1), or nothing usable."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number <= _MAX_MS else None


def _whole(value: Any, low: int, high: int) -> int | None:
    """An integer in [low, high] from a number or a string of ASCII digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and low <= value <= high else None


def _started_ms(value: Any, number: int) -> int:
    text = _text(value)
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(f"HAR entry {number}: its startedDateTime {text[:40]!r} is not an ISO 8601 date.") \
            from None
    return int(stamp * 1000)


def _pairs(items: Any) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        return []
    return [(_text(i["name"]), _text(i.get("value"))) for i in items if isinstance(i, dict) and "name" in i]


def _body(content: dict[str, Any]) -> bytes:
    text = _text(content.get("text"))
    if _text(content.get("encoding")).lower() == "base64":
        try:
            return base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return text.encode("utf-8")  # not base64 after all: keep it as it was written
    return text.encode("utf-8")


def _import_entry(e: dict[str, Any], number: int) -> HistoryRecord:
    req, resp = e.get("request"), e.get("response")
    if not isinstance(req, dict) or "url" not in req:
        raise InvalidInput(f"HAR entry {number} has no request URL.")
    resp = _object(resp)
    url = _text(req["url"])
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a port that is not one
    except ValueError:
        raise InvalidInput(f"HAR entry {number} has a request URL that is not valid ({url[:80]}).") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput(f"HAR entry {number} is not an http(s) request ({url[:80]}).")
    all_params = parse_qsl(parts.query, keep_blank_values=True)
    p = dict(all_params)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path,
                       urlencode([(k, v) for k, v in all_params if k not in PROTOCOL_PARAMS]), ""))
    content = _object(resp.get("content"))
    body = _body(content)
    size = _whole(content.get("size"), 0, _MAX_INT)
    size = len(body) if size is None else size
    status = _whole(resp.get("status"), 100, 999)
    headers = _pairs(resp.get("headers"))
    import httpx  # loaded on first use, not at the app's start-up

    wire_headers = httpx.Headers([(k.encode("utf-8"), v.encode("utf-8")) for k, v in headers])
    reasons = judge(status, wire_headers, body, size, ProtocolSettings()) if status else []
    timings = _object(e.get("timings"))
    started = _started_ms(e.get("startedDateTime"), number)
    total = _ms(e.get("time"))

    def t(name: str) -> float:
        return _ms(timings.get(name)) or 0.0

    connect = t("blocked") + t("dns") + t("connect")
    scene = _whole(p.get("scene"), 1, 2**31 - 1)
    return HistoryRecord(
        id=0, started_ms=started, finished_ms=started + int(total or 0), source="import", replay_of=None,
        appid=p.get("appid", ""), user="", fetch_type="pre", address_kind="imported", url=base, full_url=url,
        params=all_params, request_headers=_pairs(req.get("headers")), token=p.get("token"),
        code=p.get("code") if "token" not in p else None, path=p.get("path", ""), query=p.get("query", ""),
        scene=scene, version=p.get("customMiniprogramVersion", ""), timestamp_unit="ms",
        allow_plain_http=parts.scheme.lower() == "http", status=status,
        reason_phrase=_text(resp.get("statusText")), http_version=_text(resp.get("httpVersion")),
        response_headers=headers, body=body, body_size=size, body_truncated=False, connect_ms=connect,
        first_byte_ms=connect + t("send") + t("wait"), total_ms=total, cached=status is not None and not reasons,
        reasons=list(reasons),
    )


def parse_har(text: str, source: str = "the file") -> tuple[list[HistoryRecord], int]:
    """(history records, entries skipped) from a HAR document; a file that is not HAR gets one
    clear error. Only GETs are imported: pre-pulls are GETs (P1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{source} is not a HAR file: it is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    except RecursionError:
        raise InvalidInput(f"{source} is not a HAR file: it is nested too deeply to read.") from None
    log = data.get("log") if isinstance(data, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise InvalidInput(f"{source} is not a HAR file: it has no log.entries list.")
    rows, skipped = [], 0
    for number, e in enumerate(entries, 1):
        if not isinstance(e, dict):
            raise InvalidInput(f"HAR entry {number} in {source} is not an object.")
        request = e.get("request")
        if isinstance(request, dict) and _text(request.get("method", "GET")).upper() != "GET":
            skipped += 1
            continue
        rows.append(_import_entry(e, number))
    return rows, skipped
