"""`fetch`: one pre-pull as WeChat would send it, and what the Mini Program then reads.

Exit status: 0 cached, 1 not cached, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import ssl
import sys
from pathlib import Path
from typing import Any

from workbench.cli import args as argtypes
from workbench.cli.common import (
    ALLOW_PLAIN_HTTP_HELP,
    EXIT_BAD_INPUT,
    EXIT_CACHED,
    EXIT_NOT_CACHED,
    add_workspace_option,
    open_workspace_of,
    protocol_help,
    protocol_settings,
    say_waiting,
    warn_plain_http,
)
from workbench.core import redact
from workbench.core.cache import get_background_fetch_data
from workbench.core.client import Outcome, PrefetchClient
from workbench.core.errors import InvalidInput, StoreError
from workbench.core.protocol import (
    FetchType,
    Identity,
    Launch,
    Platform,
    PrefetchRequest,
    TimestampUnit,
)
from workbench.core.store import Store, cache_entry_from_outcome
from workbench.core.workspace import Workspace


def add_parser(sub: Any) -> None:
    fetch = sub.add_parser("fetch", help="perform one pre-pull as WeChat would and show what the Mini Program reads",
                           epilog=protocol_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    fetch.add_argument("url", nargs="?", type=argtypes.url, default=None,
                       help="the data download address (default: the workspace's main address, or its periodic "
                            "address with --fetch-type periodic)")
    fetch.add_argument("--appid", default=None,
                       help="the Mini Program's appid (wx + 16 hex characters; default: the workspace's)")
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
    fetch.add_argument("--timeout", type=argtypes.timeout, default=None,
                       help=f"seconds, more than 0 and at most {argtypes.MAX_TIMEOUT_S:g} (P11; default: the "
                            "workspace's)")
    fetch.add_argument("--timestamp-unit", choices=[u.value for u in TimestampUnit], default=None,
                       help="P3 (default: the workspace's)")
    fetch.add_argument("--allow-plain-http", action="store_true", help=ALLOW_PLAIN_HTTP_HELP)
    fetch.add_argument("--ca", metavar="FILE",
                       help="also trust this certificate authority (PEM), e.g. the one `serve --tls --ca-out` writes")
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


def target_url(ws: Workspace, url: str | None, fetch_type: str) -> str:
    """The address given, else the workspace's address for this fetch type."""
    if url:
        return url
    configured = ws.doc.addresses.periodic if fetch_type == FetchType.PERIODIC else ws.doc.addresses.main
    if not configured:
        which = "periodic" if fetch_type == FetchType.PERIODIC else "main"
        raise InvalidInput(f"Give the address to fetch: the workspace {ws.path.name} has no {which} address "
                           f"(set addresses.{which} in it, or pass the URL).")
    return configured


def issue_code(workspace: Path, user: str) -> str:
    """A login code from the workspace's authority: `serve` on the same workspace redeems it (P4)."""
    from workbench.core.login import LoginAuthority

    login = LoginAuthority.in_folder(workspace)
    try:
        return login.issue_code(user)
    finally:
        login.close()


def refuse_launch_options_for_periodic(args: argparse.Namespace) -> None:
    """P21: a periodic update has no launch, so launch options cannot be sent with it (exit 2)."""
    if args.fetch_type != FetchType.PERIODIC:
        return
    given = [flag for flag, value in (("--path", args.path), ("--query", args.query), ("--scene", args.scene),
                                      ("--version", args.mp_version)) if value not in (None, "")]
    if given:
        raise InvalidInput(f"A periodic update carries only appid, token and timestamp (P21): remove "
                           f"{', '.join(given)}, or use --fetch-type pre.")


def trust_with(ca_file: str | None) -> ssl.SSLContext | bool:
    """The client's trust: the system's authorities, plus ``ca_file`` when given (one sentence if unusable)."""
    if ca_file is None:
        return True
    context = ssl.create_default_context()
    try:
        context.load_verify_locations(cafile=ca_file)
    except FileNotFoundError:
        raise InvalidInput(f"Cannot read the CA certificate {ca_file}: there is no such file.") from None
    except IsADirectoryError:
        raise InvalidInput(f"Cannot read the CA certificate {ca_file}: it is a folder, not a file.") from None
    except OSError as exc:
        if isinstance(exc, ssl.SSLError):
            raise InvalidInput(f"{ca_file} is not a PEM certificate authority file (such as the one "
                               "`serve --tls --ca-out` writes).") from None
        raise InvalidInput(f"Cannot read the CA certificate {ca_file}: {exc.strerror or exc}.") from None
    return context


async def _fetch(args: argparse.Namespace) -> int:
    refuse_launch_options_for_periodic(args)
    verify = trust_with(args.ca)
    ws = open_workspace_of(args, appid=args.appid)
    settings = protocol_settings(ws, timeout_s=args.timeout,
                                 timestamp_unit=TimestampUnit(args.timestamp_unit) if args.timestamp_unit else None)
    args.appid = args.appid or ws.doc.appid
    args.url = target_url(ws, args.url, args.fetch_type)
    warn_plain_http(args.url)
    store = Store(ws.store_path(), on_wait=say_waiting)
    not_stored: StoreError | None = None
    try:
        store.require_writable()  # a read-only or damaged workspace: refuse before anything is sent
        token, code = args.token, args.code
        if token is None and code is None:
            # P4/P5: a token set earlier travels with every later request; otherwise a fresh code.
            token = store.token(args.appid.strip(), args.user)
            if token is None and args.fetch_type == FetchType.PRE:
                code = issue_code(ws.ensure_data_dir(), args.user)
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
        async with PrefetchClient(settings, verify=verify) as client:
            outcome = await client.prefetch(request)
        history_id = None
        try:
            history_id = store.add_outcome(outcome, source="cli", user=args.user, address_kind="custom")
            entry = store.cache_entry(request.appid, args.user, request.fetch_type)
        except StoreError as exc:
            # the request was sent and answered: show what the Mini Program would read, and say it
            # was not kept (P15: a cached body replaces the entry, anything else keeps the previous)
            not_stored = exc
            entry = cache_entry_from_outcome(outcome, args.user, "custom", None) if outcome.verdict.cached \
                else previous
        redactor = None
        if not args.show_secrets:
            redactor = redact.for_outcome(outcome)
            if entry is not None and entry.history_id not in (None, history_id):
                # P15: what the Mini Program reads came from an earlier request, with its own token
                with contextlib.suppress(StoreError):
                    source = store.history(entry.history_id)
                    if source is not None:
                        redactor = redactor.joined(redact.for_record(source))
    finally:
        store.close()
    success, result = get_background_fetch_data(entry, args.platform, settings=settings)
    if args.json:
        sys.stdout.write(json.dumps(fetch_report(outcome, success, result, redactor), ensure_ascii=False) + "\n")
    else:
        _print_human(outcome, success, result, args, redactor)
    if not_stored is not None:
        sys.stderr.write(f"prepull-workbench: the result above was not stored. {not_stored}\n")
        return EXIT_BAD_INPUT
    return EXIT_CACHED if outcome.verdict.cached else EXIT_NOT_CACHED



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_fetch(args))
