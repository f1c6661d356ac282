"""`fetch`: one pre-pull as WeChat would send it, and what the Mini Program then reads.

Exit status: 0 cached, 1 not cached, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from workbench.cli import args as argtypes
from workbench.cli.common import EXIT_CACHED, EXIT_NOT_CACHED, add_workspace_option, workspace_arg
from workbench.core import redact
from workbench.core.cache import get_background_fetch_data
from workbench.core.client import Outcome, PrefetchClient
from workbench.core.protocol import (
    FetchType,
    Identity,
    Launch,
    Platform,
    PrefetchRequest,
    ProtocolSettings,
    TimestampUnit,
    generate_code,
)
from workbench.core.store import Store
from workbench.core.workspace import resolve_workspace


def add_parser(sub: Any) -> None:
    fetch = sub.add_parser("fetch", help="perform one pre-pull as WeChat would and show what the Mini Program reads")
    fetch.add_argument("url", type=argtypes.url, help="the data download address")
    fetch.add_argument("--appid", required=True, help="the Mini Program's appid (wx + 16 hex characters)")
    who = fetch.add_mutually_exclusive_group()
    who.add_argument("--token", help="the token set with setBackgroundFetchToken")
    who.add_argument("--code", help="a login code (default: a fresh one, unless the workspace holds a token)")
    fetch.add_argument("--user", default="default", help="the simulated user the cache entry belongs to")
    fetch.add_argument("--path", default="", help="launch page path, e.g. pages/index/index")
    fetch.add_argument("--query", default="", help="launch query, e.g. 'id=1&from=qr'")
    fetch.add_argument("--scene", type=argtypes.scene, default=None, help="scene value, a positive integer, e.g. 1047")
    fetch.add_argument("--version", dest="mp_version", default="", help="customMiniprogramVersion")
    fetch.add_argument("--fetch-type", choices=[t.value for t in FetchType], default="pre")
    fetch.add_argument("--platform", choices=[p.value for p in Platform], default="android")
    fetch.add_argument("--timeout", type=argtypes.timeout, default=ProtocolSettings().timeout_s,
                       help=f"seconds, more than 0 and at most {argtypes.MAX_TIMEOUT_S:g} (P11)")
    fetch.add_argument("--timestamp-unit", choices=[u.value for u in TimestampUnit], default="ms", help="P3")
    fetch.add_argument("--allow-plain-http", action="store_true",
                       help="allow http:// to a non-loopback host (WeChat never does)")
    fetch.add_argument("--show-secrets", action="store_true", help="print tokens and codes unmasked")
    add_workspace_option(fetch)
    fetch.add_argument("--json", action="store_true", help="print one JSON object")


def fetch_report(outcome: Outcome, success: bool, result: dict[str, Any],
                 redactor: redact.Redactor | None) -> dict[str, Any]:
    """What `fetch --json` prints: every secret masked by ``redactor`` (None: --show-secrets)."""
    url, params = outcome.request.full_url(), outcome.request.params()
    if redactor is not None:
        url, params = redactor.url(url), redactor.params(params)
    report = {
        "request": {"url": url, "params": dict(params)},
        "verdict": {"cached": outcome.verdict.cached, "reasons": outcome.verdict.messages},
        "result": result,
    }
    return report if redactor is None else redactor.tree(report)


def _print_human(outcome: Outcome, success: bool, result: dict[str, Any], args: argparse.Namespace,
                 redactor: redact.Redactor | None) -> None:
    lines = [f"GET {outcome.request.full_url()}"]
    t = outcome.timings
    if outcome.status is not None:
        parts = [f"{outcome.status} {outcome.reason_phrase}".strip(), f"{outcome.body_size:,} bytes"]
        for label, value in (("connect", t.connect_ms), ("first byte", t.first_byte_ms), ("total", t.total_ms)):
            if value is not None:
                parts.append(f"{label} {value:.1f} ms")
        lines.append(" · ".join(parts))
    if outcome.verdict.cached:
        lines.append("Cached.")
    else:
        lines.append("Not cached:")
        lines += [f"  - {message}" for message in outcome.verdict.messages]
    call = "success" if success else "fail"
    lines.append(f"wx.getBackgroundFetchData({{fetchType: '{outcome.request.fetch_type}'}}) on {args.platform} "
                 f"calls {call} with:")
    lines.append(json.dumps(result, ensure_ascii=False, indent=2))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text if redactor is None else redactor.text(text))


async def _fetch(args: argparse.Namespace) -> int:
    settings = ProtocolSettings(timeout_s=args.timeout, timestamp_unit=TimestampUnit(args.timestamp_unit))
    store = Store.in_workspace(resolve_workspace(workspace_arg(args)))
    try:
        token, code = args.token, args.code
        if token is None and code is None:
            # P4/P5: a token set earlier travels with every later request; otherwise a fresh code.
            token = store.token(args.appid.strip(), args.user)
            if token is None and args.fetch_type == FetchType.PRE:
                code = generate_code()
        request = PrefetchRequest(
            url=args.url,
            appid=args.appid,
            identity=Identity(token=token, code=code),
            launch=Launch(path=args.path, query=args.query, scene=args.scene, version=args.mp_version),
            fetch_type=FetchType(args.fetch_type),
            timestamp_unit=settings.timestamp_unit,
            allow_plain_http=args.allow_plain_http,
        )
        async with PrefetchClient(settings) as client:
            outcome = await client.prefetch(request)
        history_id = store.add_outcome(outcome, source="cli", user=args.user, address_kind="custom")
        entry = store.cache_entry(request.appid, args.user, request.fetch_type)
        redactor = None
        if not args.show_secrets:
            redactor = redact.for_outcome(outcome)
            if entry is not None and entry.history_id not in (None, history_id):
                # P15: what the Mini Program reads came from an earlier request, with its own token
                source = store.history(entry.history_id)
                if source is not None:
                    redactor = redactor.joined(redact.for_record(source))
    finally:
        store.close()
    success, result = get_background_fetch_data(entry, args.platform)
    if args.json:
        sys.stdout.write(json.dumps(fetch_report(outcome, success, result, redactor), ensure_ascii=False) + "\n")
    else:
        _print_human(outcome, success, result, args, redactor)
    return EXIT_CACHED if outcome.verdict.cached else EXIT_NOT_CACHED



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_fetch(args))
