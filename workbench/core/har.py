"""HAR 1.2 export and import of pre-pull history (http://www.softwareishard.com/blog/har-12-spec/).

Exports redact tokens and codes unless the user asks otherwise. Imported entries (from a
browser or another tool) become history rows that can be replayed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workbench import __version__
from workbench.core.client import judge
from workbench.core.errors import InvalidInput
from workbench.core.protocol import SECRET_PARAMS, ProtocolSettings, encode_component, mask_url_secrets
from workbench.core.store import HistoryRecord

REDACTED = "REDACTED"
PROTOCOL_PARAMS = ("appid", "token", "code", "timestamp", "path", "query", "scene", "customMiniprogramVersion")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _nv(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def entry(record: HistoryRecord, include_secrets: bool = False) -> dict[str, Any]:
    params = list(record.params)
    url = record.full_url
    if not include_secrets:
        url = mask_url_secrets(url, params, REDACTED)
        params = [(k, REDACTED if k in SECRET_PARAMS and v else v) for k, v in params]
    mime = dict((k.lower(), v) for k, v in record.response_headers).get("content-type", "")
    try:
        text, encoding = record.body.decode("utf-8"), None
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(record.body).decode("ascii"), "base64"
    if not include_secrets and encoding is None:
        # a server that echoes the token must not leak it through the body either
        for key, value in record.params:
            if key in SECRET_PARAMS and value:
                text = text.replace(encode_component(value), REDACTED).replace(value, REDACTED)
    content: dict[str, Any] = {"size": record.body_size, "mimeType": mime, "text": text}
    if encoding:
        content["encoding"] = encoding
    total = record.total_ms if record.total_ms is not None else -1
    connect = record.connect_ms if record.connect_ms is not None else -1
    wait = (record.first_byte_ms - max(connect, 0)) if record.first_byte_ms is not None else -1
    receive = (total - record.first_byte_ms) if record.first_byte_ms is not None and total >= 0 else -1
    return {
        "startedDateTime": _iso(record.started_ms),
        "time": max(total, 0),
        "request": {
            "method": "GET", "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": _nv(record.request_headers), "queryString": _nv(params),
            "headersSize": -1, "bodySize": 0,
        },
        "response": {
            "status": record.status or 0, "statusText": record.reason_phrase,
            "httpVersion": record.http_version or "", "cookies": [],
            "headers": _nv(record.response_headers), "content": content,
            "redirectURL": dict((k.lower(), v) for k, v in record.response_headers).get("location", ""),
            "headersSize": -1, "bodySize": record.body_size if record.status is not None else -1,
        },
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": connect, "send": 0, "wait": max(wait, 0),
                    "receive": max(receive, 0), "ssl": -1},
        "comment": "; ".join(r.message for r in record.reasons) if not record.cached else "cached",
        "_prepull": {"source": record.source, "user": record.user, "fetchType": record.fetch_type,
                     "address": record.address_kind, "cached": record.cached,
                     "reasons": [r.code for r in record.reasons]},
    }


def export_har(records: Iterable[HistoryRecord], include_secrets: bool = False) -> dict[str, Any]:
    return {"log": {
        "version": "1.2",
        "creator": {"name": "Prepull Workbench", "version": __version__},
        "pages": [],
        "entries": [entry(r, include_secrets) for r in records],
    }}


def dumps(har: dict[str, Any]) -> str:
    return json.dumps(har, ensure_ascii=False, indent=1)


# -- import ------------------------------------------------------------------------------


def _started_ms(text: str) -> int:
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except (ValueError, AttributeError):
        raise InvalidInput(f"An entry's startedDateTime {text!r} is not an ISO 8601 date.") from None


def _pairs(items: Any) -> list[tuple[str, str]]:
    return [(str(i["name"]), str(i["value"])) for i in items or [] if isinstance(i, dict) and "name" in i]


def _import_entry(e: dict[str, Any], number: int) -> dict[str, Any]:
    try:
        req, resp = e["request"], e["response"]
        url = str(req["url"])
    except (KeyError, TypeError):
        raise InvalidInput(f"HAR entry {number} has no request URL or no response.") from None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(f"HAR entry {number} is not an http(s) request ({url[:80]}).")
    all_params = parse_qsl(parts.query, keep_blank_values=True)
    p = dict(all_params)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path,
                       urlencode([(k, v) for k, v in all_params if k not in PROTOCOL_PARAMS]), ""))
    content = resp.get("content") or {}
    text = content.get("text") or ""
    body = base64.b64decode(text) if content.get("encoding") == "base64" else text.encode("utf-8")
    size = content.get("size") if isinstance(content.get("size"), int) and content.get("size", -1) >= 0 else len(body)
    status = int(resp.get("status") or 0) or None
    headers = _pairs(resp.get("headers"))
    import httpx

    reasons = judge(status, httpx.Headers(headers), body, size, ProtocolSettings()) if status else []
    timings = e.get("timings") or {}
    started = _started_ms(e.get("startedDateTime", ""))
    total = float(e.get("time") or 0)

    def t(name: str) -> float:
        v = timings.get(name, -1)
        return float(v) if isinstance(v, int | float) and v >= 0 else 0.0

    connect = t("blocked") + t("dns") + t("connect")
    scene = p.get("scene", "")
    return {
        "started_ms": started, "finished_ms": started + int(total), "source": "import", "replay_of": None,
        "appid": p.get("appid", ""), "user": "", "fetch_type": "pre", "address_kind": "imported",
        "url": base, "full_url": url, "params": json.dumps(all_params, ensure_ascii=False),
        "request_headers": json.dumps(_pairs(req.get("headers")), ensure_ascii=False),
        "token": p.get("token"), "code": p.get("code") if "token" not in p else None,
        "path": p.get("path", ""), "query": p.get("query", ""),
        "scene": int(scene) if scene.isdigit() else None, "version": p.get("customMiniprogramVersion", ""),
        "timestamp_unit": "ms", "allow_plain_http": int(parts.scheme == "http"),
        "status": status, "reason_phrase": str(resp.get("statusText") or ""),
        "http_version": str(resp.get("httpVersion") or ""),
        "response_headers": json.dumps(headers, ensure_ascii=False), "body": body, "body_size": size,
        "body_truncated": 0, "connect_ms": connect, "first_byte_ms": connect + t("send") + t("wait"),
        "total_ms": total, "cached": int(status is not None and not reasons),
        "reasons": json.dumps([r.to_json() for r in reasons], ensure_ascii=False),
    }


def parse_har(text: str, source: str = "the file") -> tuple[list[dict[str, Any]], int]:
    """(history rows, entries skipped) from a HAR document; a file that is not HAR gets one
    clear error. Only GETs are imported: pre-pulls are GETs (P1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{source} is not a HAR file: it is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    entries = data.get("log", {}).get("entries") if isinstance(data, dict) and isinstance(data.get("log"), dict) \
        else None
    if not isinstance(entries, list):
        raise InvalidInput(f"{source} is not a HAR file: it has no log.entries list.")
    rows, skipped = [], 0
    for number, e in enumerate(entries, 1):
        if not isinstance(e, dict):
            raise InvalidInput(f"HAR entry {number} in {source} is not an object.")
        request = e.get("request")
        if isinstance(request, dict) and str(request.get("method", "GET")).upper() != "GET":
            skipped += 1
            continue
        rows.append(_import_entry(e, number))
    return rows, skipped
