"""`traffic`: cold starts for simulated users under a gray-scale rollout (P25-P29)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from workbench.cli.common import EXIT_BAD_INPUT, add_workspace_option, say_waiting, workspace_arg
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput
from workbench.core.store import Store
from workbench.core.workspace import resolve_workspace


def add_parser(sub: Any) -> None:
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
    add_workspace_option(traffic)
    traffic.add_argument("--json", action="store_true", help="print one JSON object")


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
    store = Store.in_workspace(resolve_workspace(workspace_arg(args)), on_wait=say_waiting)
    try:
        store.require_writable()  # a read-only or damaged workspace: refuse before anything is sent
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
    if stats.unstored:
        sys.stderr.write(f"prepull-workbench: {stats.unstored:,} of {stats.unstored + stats.stored:,} results above "
                         f"were not stored. {stats.store_error}\n")
        return EXIT_BAD_INPUT
    return 0



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_traffic(args))
