"""`fetch`: one pre-pull as WeChat would send it, and what the Mini Program then reads.

Exit status: 0 cached, 1 not cached, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from workbench.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CACHED,
    EXIT_NOT_CACHED,
    add_workspace_option,
    say_waiting,
    workspace_arg,
)
from workbench.core.cache import get_background_fetch_data
from workbench.core.client import Outcome, PrefetchClient
from workbench.core.errors import StoreError
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
from workbench.core.store import Store, cache_entry_from_outcome
from workbench.core.workspace import resolve_workspace


def add_parser(sub: Any) -> None:
    fetch = sub.add_parser("fetch", help="perform one pre-pull as WeChat would and show what the Mini Program reads")
    fetch.add_argument("url", help="the data download address")
    fetch.add_argument("--appid", required=True, help="the Mini Program's appid (wx + 16 hex characters)")
    who = fetch.add_mutually_exclusive_group()
    who.add_argument("--token", help="the token set with setBackgroundFetchToken")
    who.add_argument("--code", help="a login code (default: a fresh one, unless the workspace holds a token)")
    fetch.add_argument("--user", default="default", help="the simulated user the cache entry belongs to")
    fetch.add_argument("--path", default="", help="launch page path, e.g. pages/index/index")
    fetch.add_argument("--query", default="", help="launch query, e.g. 'id=1&from=qr'")
    fetch.add_argument("--scene", default=None, help="scene value, e.g. 1047")
    fetch.add_argument("--version", dest="mp_version", default="", help="customMiniprogramVersion")
    fetch.add_argument("--fetch-type", choices=[t.value for t in FetchType], default="pre")
    fetch.add_argument("--platform", choices=[p.value for p in Platform], default="android")
    fetch.add_argument("--timeout", type=float, default=ProtocolSettings().timeout_s, help="seconds (P11)")
    fetch.add_argument("--timestamp-unit", choices=[u.value for u in TimestampUnit], default="ms", help="P3")
    fetch.add_argument("--allow-plain-http", action="store_true",
                       help="allow http:// to a non-loopback host (WeChat never does)")
    fetch.add_argument("--show-secrets", action="store_true", help="print tokens and codes unmasked")
    add_workspace_option(fetch)
    fetch.add_argument("--json", action="store_true", help="print one JSON object")


def _shown(outcome: Outcome, show_secrets: bool) -> PrefetchRequest:
    """The request as printed: the one sent, with the token or code masked unless asked."""
    return outcome.request if show_secrets else outcome.request.redacted()


def fetch_report(outcome: Outcome, success: bool, result: dict[str, Any], show_secrets: bool) -> dict[str, Any]:
    return {
        "request": {"url": outcome.request.full_url() if show_secrets else outcome.request.display_url(),
                    "params": dict(_shown(outcome, show_secrets).params())},
        "verdict": {"cached": outcome.verdict.cached, "reasons": outcome.verdict.messages},
        "result": result,
    }


def _print_human(outcome: Outcome, success: bool, result: dict[str, Any], args: argparse.Namespace) -> None:
    out = sys.stdout
    url = outcome.request.full_url() if args.show_secrets else outcome.request.display_url()
    out.write(f"GET {url}\n")
    t = outcome.timings
    if outcome.status is not None:
        parts = [f"{outcome.status} {outcome.reason_phrase}".strip(), f"{outcome.body_size:,} bytes"]
        for label, value in (("connect", t.connect_ms), ("first byte", t.first_byte_ms), ("total", t.total_ms)):
            if value is not None:
                parts.append(f"{label} {value:.1f} ms")
        out.write(" · ".join(parts) + "\n")
    if outcome.verdict.cached:
        out.write("Cached.\n")
    else:
        out.write("Not cached:\n")
        for message in outcome.verdict.messages:
            out.write(f"  - {message}\n")
    call = "success" if success else "fail"
    out.write(f"wx.getBackgroundFetchData({{fetchType: '{outcome.request.fetch_type}'}}) on {args.platform} "
              f"calls {call} with:\n")
    out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


async def _fetch(args: argparse.Namespace) -> int:
    settings = ProtocolSettings(timeout_s=args.timeout, timestamp_unit=TimestampUnit(args.timestamp_unit))
    store = Store.in_workspace(resolve_workspace(workspace_arg(args)), on_wait=say_waiting)
    not_stored: StoreError | None = None
    try:
        store.require_writable()  # a read-only or damaged workspace: refuse before anything is sent
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
        previous = store.cache_entry(request.appid, args.user, request.fetch_type)
        async with PrefetchClient(settings) as client:
            outcome = await client.prefetch(request)
        try:
            store.add_outcome(outcome, source="cli", user=args.user, address_kind="custom")
            entry = store.cache_entry(request.appid, args.user, request.fetch_type)
        except StoreError as exc:
            # the request was sent and answered: show what the Mini Program would read, and say it
            # was not kept (P15: a cached body replaces the entry, anything else keeps the previous)
            not_stored = exc
            entry = cache_entry_from_outcome(outcome, args.user, "custom", None) if outcome.verdict.cached \
                else previous
    finally:
        store.close()
    success, result = get_background_fetch_data(entry, args.platform)
    if args.json:
        sys.stdout.write(json.dumps(fetch_report(outcome, success, result, args.show_secrets),
                                    ensure_ascii=False) + "\n")
    else:
        _print_human(outcome, success, result, args)
    if not_stored is not None:
        sys.stderr.write(f"prepull-workbench: the result above was not stored. {not_stored}\n")
        return EXIT_BAD_INPUT
    return EXIT_CACHED if outcome.verdict.cached else EXIT_NOT_CACHED



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_fetch(args))
