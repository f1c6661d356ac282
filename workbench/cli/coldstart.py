"""`coldstart`: one launch, the pre-pull racing the package download, then onLaunch reads (P17, P19)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from workbench.cli import args as argtypes
from workbench.cli.common import (
    ALLOW_PLAIN_HTTP_HELP,
    add_launch_options,
    add_workspace_option,
    launch_of,
    open_workspace_of,
    protocol_settings,
    say_waiting,
    warn_plain_http,
)
from workbench.cli.fetch import target_url
from workbench.core import redact
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput
from workbench.core.login import LoginAuthority
from workbench.core.protocol import Platform
from workbench.core.store import Store


def add_parser(sub: Any) -> None:
    cold = sub.add_parser("coldstart", help="simulate a launch: pre-pull during the package download, then onLaunch")
    cold.add_argument("url", nargs="?", type=argtypes.url, default=None,
                      help="the data download address (default: the workspace's)")
    cold.add_argument("--appid", default=None, help="default: the workspace's")
    cold.add_argument("--token", help="the token this launch carries (default: the one stored for the user)")
    cold.add_argument("--user", default="default")
    cold.add_argument("--package-ms", type=argtypes.float_in(0, argtypes.MAX_PACKAGE_MS, unit="ms"), default=800.0,
                      help=f"code package download time, 0 to {argtypes.MAX_PACKAGE_MS:g} ms (default 800)")
    cold.add_argument("--platform", choices=[p.value for p in Platform], default="android")
    add_launch_options(cold)
    cold.add_argument("--set-token", metavar="T",
                      help="onLaunch calls setBackgroundFetchToken(T): the next launch sends it (P5)")
    cold.add_argument("--timeout", type=argtypes.timeout, default=None,
                      help=f"seconds, more than 0 and at most {argtypes.MAX_TIMEOUT_S:g} (P11; default: the "
                           "workspace's)")
    cold.add_argument("--allow-plain-http", action="store_true", help=ALLOW_PLAIN_HTTP_HELP)
    add_workspace_option(cold)
    cold.add_argument("--json", action="store_true")


async def _coldstart(args: argparse.Namespace) -> int:
    from workbench.core.protocol import validate_appid
    from workbench.core.simulator import cold_start

    ws = open_workspace_of(args, appid=args.appid)
    appid = validate_appid(args.appid or ws.doc.appid)
    url = target_url(ws, args.url, "pre")
    warn_plain_http(url)
    launch = launch_of(args)
    if args.token is not None and args.identity in ("code", "none"):
        raise InvalidInput(f"--token and --identity {args.identity} contradict each other: drop one.")
    store = Store(ws.store_path(), on_wait=say_waiting)
    # login codes from the workspace's authority: `serve` on the same workspace redeems them (P4)
    login = LoginAuthority.in_folder(ws.ensure_data_dir())
    try:
        store.require_writable()  # nothing is sent that cannot be kept
        async with PrefetchClient(protocol_settings(ws, timeout_s=args.timeout)) as client:
            result = await cold_start(client, store, url, appid, args.user, package_ms=args.package_ms,
                                      platform=args.platform, launch=launch, token=args.token,
                                      set_token_in_onlaunch=args.set_token, allow_plain_http=args.allow_plain_http,
                                      identity_kind=args.identity, code_factory=login.issue_code)
        # what onLaunch read may be the previous launch's entry (P17): its token is the user's too
        redactor = redact.Redactor([args.token, args.set_token, store.token(appid, args.user)])
    finally:
        store.close()
        login.close()
    if result.outcome is not None:
        redactor = redactor.joined(redact.for_outcome(result.outcome))
    if args.json:
        sys.stdout.write(json.dumps(redactor.tree(result.to_json()), ensure_ascii=False) + "\n")
    else:
        for phase in result.phases:
            sys.stdout.write(f"{phase.start_ms:9.1f} → {phase.end_ms:9.1f} ms  {phase.name}\n")
        fired = "fired" if result.listener_fired else "did not fire"
        sys.stdout.write(f"onLaunch read: {result.read}; onBackgroundFetchData {fired}; "
                         f"time saved: {result.saved_ms:.0f} ms\n")
        sys.stdout.write(redactor.text(json.dumps(result.result, ensure_ascii=False, indent=2)) + "\n")
    return 0 if result.read != "none" else 1



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_coldstart(args))
