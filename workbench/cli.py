"""Command line: `prepull-workbench` opens the app; subcommands run the same core headless.

Exit codes of `fetch`: 0 cached, 1 not cached, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from workbench import __version__
from workbench.core.cache import get_background_fetch_data
from workbench.core.client import Outcome, PrefetchClient
from workbench.core.errors import InvalidInput, WorkbenchError
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

EXIT_CACHED, EXIT_NOT_CACHED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2, as for any bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prepull-workbench", description="Debug WeChat Mini Program data pre-pull.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--workspace", metavar="DIR", help="workspace folder (default: the user data dir)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

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
    fetch.add_argument("--workspace", dest="sub_workspace", metavar="DIR", help=argparse.SUPPRESS)
    fetch.add_argument("--json", action="store_true", help="print one JSON object")

    serve = sub.add_parser("serve", help="run the mock developer server and print one line per request")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8765, help="port (0: any free port; default 8765)")
    serve.add_argument("--rules", metavar="FILE", help='response rules, JSON: {"rules": [...], "default": {...}}')
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a locally generated certificate")
    serve.add_argument("--ca-out", metavar="FILE", help="with --tls: write the local CA certificate here")

    traffic = sub.add_parser("traffic", help="send cold starts for simulated users under a gray-scale rollout")
    traffic.add_argument("--url", help="main address (default: a mock server started for the run)")
    traffic.add_argument("--gray-url", help="gray address (with --url)")
    traffic.add_argument("--appid", required=True)
    traffic.add_argument("--users", type=int, required=True, help="how many simulated users (up to 1,000,000)")
    traffic.add_argument("--percent", type=float, required=True, help="gray percentage, 0-100 in 0.01 steps")
    traffic.add_argument("--rate", type=float, help="cold starts per second (default: as fast as possible)")
    traffic.add_argument("--concurrency", type=int, default=32, help="requests in flight at most")
    traffic.add_argument("--rollout-id", default="rollout-1", help="the rollout users are hashed under (P29)")
    traffic.add_argument("--seed", default="population", help="the population's seed: same seed, same users")
    traffic.add_argument("--workspace", dest="sub_workspace", metavar="DIR", help=argparse.SUPPRESS)
    traffic.add_argument("--json", action="store_true", help="print one JSON object")

    cold = sub.add_parser("coldstart", help="simulate a launch: pre-pull during the package download, then onLaunch")
    cold.add_argument("url")
    cold.add_argument("--appid", required=True)
    cold.add_argument("--token", help="the token this launch carries (default: the one stored for the user)")
    cold.add_argument("--user", default="default")
    cold.add_argument("--package-ms", type=float, default=800.0, help="code package download time (default 800)")
    cold.add_argument("--platform", choices=[p.value for p in Platform], default="android")
    cold.add_argument("--path", default="pages/index/index")
    cold.add_argument("--query", default="")
    cold.add_argument("--scene", default="1001")
    cold.add_argument("--set-token", metavar="T",
                      help="onLaunch calls setBackgroundFetchToken(T): the next launch sends it (P5)")
    cold.add_argument("--timeout", type=float, default=ProtocolSettings().timeout_s)
    cold.add_argument("--allow-plain-http", action="store_true")
    cold.add_argument("--workspace", dest="sub_workspace", metavar="DIR", help=argparse.SUPPRESS)
    cold.add_argument("--json", action="store_true")

    history = sub.add_parser("history", help="work with the workspace's history")
    history_sub = history.add_subparsers(dest="history_command", required=True, parser_class=_Parser)
    export = history_sub.add_parser("export", help="export every entry as HAR 1.2")
    export.add_argument("--har", required=True, metavar="FILE", help="the HAR file to write")
    export.add_argument("--include-secrets", action="store_true", help="keep tokens and codes (default: redacted)")
    export.add_argument("--workspace", dest="sub_workspace", metavar="DIR", help=argparse.SUPPRESS)
    return parser


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
    store = Store.in_workspace(resolve_workspace(args.sub_workspace or args.workspace))
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
        store.add_outcome(outcome, source="cli", user=args.user, address_kind="custom")
        entry = store.cache_entry(request.appid, args.user, request.fetch_type)
    finally:
        store.close()
    success, result = get_background_fetch_data(entry, args.platform)
    if args.json:
        sys.stdout.write(json.dumps(fetch_report(outcome, success, result, args.show_secrets),
                                    ensure_ascii=False) + "\n")
    else:
        _print_human(outcome, success, result, args)
    return EXIT_CACHED if outcome.verdict.cached else EXIT_NOT_CACHED


async def _serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.mockserver.persist import loads
    from workbench.mockserver.server import MockServer, dump_log

    rules = config = None
    if args.rules:
        try:
            text = Path(args.rules).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the rules file {args.rules}: {exc.strerror}.") from None
        config, rules = loads(text, f"The rules file {args.rules}")
    ssl_context = None
    if args.tls:
        from workbench.mockserver.tls import make_local_tls

        tls = make_local_tls()
        ssl_context = tls.server_context
        if args.ca_out:
            Path(args.ca_out).write_bytes(tls.ca_pem)
    mock = MockServer(config, rules=rules, host=args.host, port=args.port, ssl_context=ssl_context)
    mock.listeners.append(lambda record: print(dump_log(record), flush=True))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await mock.start()
    print(mock.url("main"), flush=True)
    print(f"  gray: {mock.url('gray')}  periodic: {mock.url('periodic')}  "
          f"code2session: {mock.base_url}{mock.config.code2session_path}", flush=True)
    if not mock.is_loopback:
        sys.stderr.write(f"prepull-workbench: warning: listening on {args.host}, reachable from other machines; "
                         "the mock server has no access control.\n")
    try:
        await stop.wait()
    finally:
        await mock.stop()
    return 0


async def _traffic(args: argparse.Namespace) -> int:
    from workbench.core.protocol import validate_appid, validate_url
    from workbench.core.rollout import Population, Rollout, SplitIndex
    from workbench.core.traffic import report, run_traffic
    from workbench.mockserver.server import MockServer

    appid = validate_appid(args.appid)
    if (args.url is None) != (args.gray_url is None):
        raise InvalidInput("Give both --url and --gray-url, or neither to use a mock server for the run.")
    population = Population(size=args.users, seed=args.seed)
    rollout = Rollout(main_url=args.url or "http://127.0.0.1/", gray_url=args.gray_url or "http://127.0.0.1/",
                      rollout_id=args.rollout_id).set_percent(args.percent)
    if args.rate is not None and args.rate <= 0:
        raise InvalidInput("The rate must be more than 0 cold starts per second.")
    preview = (await asyncio.to_thread(SplitIndex.build, population, appid, rollout.rollout_id)).split(
        rollout.percent, rollout.active)
    mock = None
    code_factory = None
    if args.url is None:
        mock = MockServer()
        await mock.start()
        rollout = Rollout(main_url=mock.url("main"), gray_url=mock.url("gray"), rollout_id=args.rollout_id,
                          percent=rollout.percent, floor=rollout.floor, active=rollout.active)
        code_factory = mock.issue_code
    else:
        validate_url(args.url)
        validate_url(args.gray_url)
    store = Store.in_workspace(resolve_workspace(args.sub_workspace or args.workspace))
    try:
        async with PrefetchClient(keepalive=False) as client:
            kwargs = {"code_factory": code_factory} if code_factory else {}
            stats = await run_traffic(client, rollout, population, appid, args.users, store=store, rate=args.rate,
                                      concurrency=args.concurrency, **kwargs)
    finally:
        store.close()
        if mock is not None:
            await mock.stop()
    result = report(stats, args.users, rollout.percent, preview)
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        lat = result["latency_ms"]
        sys.stdout.write(
            f"{args.users:,} cold starts at {rollout.percent:g}% gray (rollout {rollout.rollout_id}):\n"
            f"  preview  main {preview['main']:,}  gray {preview['gray']:,}\n"
            f"  sent     main {result['main']:,}  gray {result['gray']:,}\n"
            f"  cached {result['cached']:,}  not cached {result['not_cached']:,}\n"
            f"  latency  main p50 {lat['main']['p50']} ms p95 {lat['main']['p95']} ms · "
            f"gray p50 {lat['gray']['p50']} ms p95 {lat['gray']['p95']} ms\n")
    return 0


async def _coldstart(args: argparse.Namespace) -> int:
    from workbench.core.protocol import validate_appid
    from workbench.core.simulator import cold_start

    if args.package_ms < 0:
        raise InvalidInput("The package download time cannot be negative.")
    appid = validate_appid(args.appid)
    launch = Launch(path=args.path, query=args.query, scene=args.scene)
    store = Store.in_workspace(resolve_workspace(args.sub_workspace or args.workspace))
    try:
        async with PrefetchClient(ProtocolSettings(timeout_s=args.timeout)) as client:
            result = await cold_start(client, store, args.url, appid, args.user, package_ms=args.package_ms,
                                      platform=args.platform, launch=launch, token=args.token,
                                      set_token_in_onlaunch=args.set_token, allow_plain_http=args.allow_plain_http)
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    else:
        for phase in result.phases:
            sys.stdout.write(f"{phase.start_ms:9.1f} → {phase.end_ms:9.1f} ms  {phase.name}\n")
        fired = "fired" if result.listener_fired else "did not fire"
        sys.stdout.write(f"onLaunch read: {result.read}; onBackgroundFetchData {fired}; "
                         f"time saved: {result.saved_ms:.0f} ms\n")
        sys.stdout.write(json.dumps(result.result, ensure_ascii=False, indent=2) + "\n")
    return 0 if result.read != "none" else 1


def _history_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.core.atomic import write_text_atomic
    from workbench.core.har import dumps, export_har

    store = Store.in_workspace(resolve_workspace(args.sub_workspace or args.workspace))
    try:
        records = [r for r in (store.history(i) for i in store.history_ids()) if r is not None]
    finally:
        store.close()
    write_text_atomic(Path(args.har), dumps(export_har(records, include_secrets=args.include_secrets)))
    redacted = "" if args.include_secrets else " (tokens and codes redacted)"
    sys.stderr.write(f"Exported {len(records)} entries to {args.har}{redacted}.\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            return asyncio.run(_fetch(args))
        if args.command == "serve":
            return asyncio.run(_serve(args))
        if args.command == "traffic":
            return asyncio.run(_traffic(args))
        if args.command == "coldstart":
            return asyncio.run(_coldstart(args))
        if args.command == "history":
            return _history_export(args)
        from workbench.app import run_gui

        return run_gui(resolve_workspace(args.workspace))
    except WorkbenchError as exc:
        sys.stderr.write(f"prepull-workbench: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
