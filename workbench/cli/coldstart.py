"""`coldstart`: one launch, the pre-pull racing the package download, then onLaunch reads (P17, P19)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from workbench.cli.common import add_workspace_option, say_waiting, workspace_arg
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput
from workbench.core.protocol import Launch, Platform, ProtocolSettings
from workbench.core.store import Store
from workbench.core.workspace import resolve_workspace


def add_parser(sub: Any) -> None:
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
    add_workspace_option(cold)
    cold.add_argument("--json", action="store_true")


async def _coldstart(args: argparse.Namespace) -> int:
    from workbench.core.protocol import validate_appid
    from workbench.core.simulator import cold_start

    if args.package_ms < 0:
        raise InvalidInput("The package download time cannot be negative.")
    appid = validate_appid(args.appid)
    launch = Launch(path=args.path, query=args.query, scene=args.scene)
    store = Store.in_workspace(resolve_workspace(workspace_arg(args)), on_wait=say_waiting)
    try:
        store.require_writable()  # nothing is sent that cannot be kept
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



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_coldstart(args))
