"""`traffic`: cold starts for simulated users under the workspace's gray-scale rollout (P25-P29).

``--percent`` is applied to the workspace's rollout, so it persists and can only go up (P26),
across processes; ``--new-rollout GRAY_URL`` is the explicit action that starts over.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from typing import TYPE_CHECKING, Any

from workbench.cli import args as argtypes
from workbench.cli.common import (
    EXIT_BAD_INPUT,
    add_launch_options,
    add_workspace_option,
    launch_of,
    launch_options_given,
    open_workspace_of,
    say_waiting,
    warn_plain_http,
)
from workbench.core.client import PrefetchClient
from workbench.core.errors import InvalidInput
from workbench.core.launch_mix import LaunchMix
from workbench.core.store import Store

if TYPE_CHECKING:
    from workbench.core.workspace import Workspace


def add_parser(sub: Any) -> None:
    traffic = sub.add_parser("traffic", help="send cold starts for simulated users under a gray-scale rollout",
                             epilog=LAUNCHES_HELP)
    traffic.add_argument("--url", type=argtypes.url,
                         help="main address (default: the workspace's; with none, a mock server started for the run)")
    traffic.add_argument("--gray-url", type=argtypes.url, help="gray address (default: the rollout's)")
    traffic.add_argument("--appid", help="default: the workspace's")
    traffic.add_argument("--users", type=argtypes.int_in(1, argtypes.MAX_USERS),
                         help=f"how many simulated users (1 to {argtypes.MAX_USERS:,}; default: the workspace's)")
    traffic.add_argument("--percent", type=argtypes.percent,
                         help="apply this gray percentage (0-100 in 0.01 steps) to the workspace's rollout first; "
                              "it cannot go below the percentage applied before (P26). Default: the applied one")
    traffic.add_argument("--new-rollout", metavar="GRAY_URL", type=argtypes.url,
                         help="start a new rollout with this gray address, from 0%% (P26)")
    traffic.add_argument("--rate", type=argtypes.positive_float(argtypes.MAX_RATE, unit="cold starts per second"),
                         help="cold starts per second (default: as fast as possible)")
    traffic.add_argument("--concurrency", type=argtypes.int_in(1, argtypes.MAX_CONCURRENCY), default=None,
                         help=f"requests in flight at most (1 to {argtypes.MAX_CONCURRENCY:,}; default: the "
                              "workspace's)")
    traffic.add_argument("--rollout-id", default=None,
                         help="with --new-rollout: the new rollout's id (users are hashed under it, P29)")
    traffic.add_argument("--seed", default=None, help="the population's seed: same seed, same users")
    traffic.add_argument("--export-locust", metavar="FILE.py",
                         help="write this scenario as a standalone Locust file (needs only locust) and exit without "
                              "sending traffic; needs --url and --gray-url. Each user launches as a run would launch "
                              "it (the launch options, --scene-mix or --launch-mix). The file holds the users' "
                              "tokens: it is written readable by you only (mode 600)")
    add_launch_options(traffic, absent_unless_given=True)
    mix = traffic.add_mutually_exclusive_group()
    mix.add_argument("--scene-mix", metavar="SCENE:W,...",
                     help="scenes by weight, e.g. 1001:70,1047:30 (path, query, version from the options above)")
    mix.add_argument("--launch-mix", metavar="FILE",
                     help="CSV table weight,path,query,scene,version: each user gets one row, the same every run "
                          "(default: the workspace's launches, see below)")
    add_workspace_option(traffic)
    traffic.add_argument("--json", action="store_true", help="print one JSON object")


#: How ``traffic --help`` explains which launches a run makes.
LAUNCHES_HELP = ("How the users launch, first match wins: --launch-mix FILE; --scene-mix; any of --path, --query, "
                 "--scene, --version (every user launches so, the others at their defaults); the workspace's "
                 "launches (traffic.launches in the workspace file, set in the app's Traffic tab with "
                 "Launches...); else every user launches pages/index/index with scene 1001.")


def launch_mix_of(args: argparse.Namespace, workspace: Workspace | None = None) -> LaunchMix | None:
    """The launches users make (see LAUNCHES_HELP): --launch-mix FILE, --scene-mix, else the
    workspace's launch mix unless a launch option was given; None: the single launch options."""
    kept = workspace.launch_mix() if workspace is not None else None
    if not (args.launch_mix or args.scene_mix or launch_options_given(args)):
        return kept
    if kept is not None:  # said, not silently dropped: one --version meant to change one field, say
        sys.stderr.write(f"prepull-workbench: the workspace's {len(kept.variants):,} launch"
                         f"{'es are' if len(kept.variants) != 1 else ' is'} not used: the launch options given "
                         "replace them (see --help).\n")
    if args.launch_mix:
        return LaunchMix.load(args.launch_mix)
    if args.scene_mix:
        return LaunchMix.parse_scene_mix(args.scene_mix, launch_of(args))
    return None


async def _traffic(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from workbench.core.protocol import validate_appid, validate_url
    from workbench.core.rollout import SplitIndex
    from workbench.core.traffic import report, run_traffic
    from workbench.mockserver.server import MockServer

    if args.export_locust and args.identity != "auto":
        raise InvalidInput(f"--export-locust cannot take --identity {args.identity}: the Locust file sends each "
                           "user's token, or a login code for a user without one (--identity auto).")
    ws = open_workspace_of(args, appid=args.appid)
    appid = validate_appid(args.appid or ws.doc.appid)
    users = args.users if args.users is not None else ws.doc.traffic.users
    launch_mix = launch_mix_of(args, ws)
    warn_plain_http(args.url, args.gray_url, args.new_rollout)
    if args.rate is not None and not args.rate > 0:
        raise InvalidInput("The rate must be more than 0 cold starts per second.")
    if args.rollout_id is not None and args.new_rollout is None and args.rollout_id != ws.doc.rollout.id:
        raise InvalidInput(f"The workspace's rollout is {ws.doc.rollout.id!r}; to hash users under another rollout "
                           "id, start a new rollout with --new-rollout GRAY_URL --rollout-id ID (P26).")
    for url in (args.url, args.gray_url, args.new_rollout):
        if url:
            validate_url(url)
    population = ws.population(users)
    if args.seed is not None:
        population = replace(population, seed=args.seed)
    if not args.export_locust:
        # a read-only, damaged or foreign database: refuse before the rollout changes or anything is sent
        with contextlib.closing(Store(ws.store_path(), on_wait=say_waiting)) as check:
            check.require_writable()
    if args.new_rollout is not None:
        ws.new_rollout(args.new_rollout, args.rollout_id)
    if args.percent is not None:
        ws.apply_percent(args.percent)  # P26: refused (exit 2) below the floor, across processes
    main_url = args.url or ws.doc.addresses.main
    gray_url = args.gray_url or ws.doc.rollout.gray or ws.doc.addresses.gray
    if args.export_locust:
        if not main_url or not gray_url:
            raise InvalidInput("--export-locust needs the main and gray addresses (--url and --gray-url, or the "
                               "workspace's): the Locust file sends to real addresses, not to a mock server started "
                               "for one run.")
        return await _export_locust(args, appid, ws.rollout(main_url=main_url, gray_url=gray_url), population,
                                    launch_mix or LaunchMix.single(launch_of(args)))
    mock = None
    code_factory = None
    if not main_url and not gray_url:
        # nothing configured: a mock server for the run plays the developer server
        mock = MockServer()
        await mock.start()
        main_url, gray_url = mock.url("main"), mock.url("gray")
        code_factory = mock.issue_code
    elif not main_url or not gray_url:
        missing = "main" if not main_url else "gray"
        raise InvalidInput(f"The workspace has no {missing} address: give --url and --gray-url, or set "
                           f"addresses.{missing} in {ws.path.name}.")
    rollout = ws.rollout(main_url=main_url, gray_url=gray_url)
    preview = (await asyncio.to_thread(SplitIndex.build, population, appid, rollout.rollout_id)).split(
        rollout.percent, rollout.active)
    store = Store(ws.store_path(), on_wait=say_waiting)
    try:
        async with PrefetchClient(ws.protocol_settings(), keepalive=False) as client:
            stats = await run_traffic(client, rollout, population, appid, users, store=store, rate=args.rate,
                                      concurrency=args.concurrency or ws.doc.traffic.concurrency,
                                      launch=launch_of(args), launch_mix=launch_mix, identity_kind=args.identity,
                                      code_factory=code_factory)
    finally:
        store.close()
        if mock is not None:
            await mock.stop()
    result = report(stats, users, rollout.percent, preview, launch_mix)
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        lat = result["latency_ms"]
        state = " (promoted: everyone uses the gray address, P27)" if not rollout.active else ""
        sys.stdout.write(
            f"{users:,} cold starts at {rollout.percent:g}% gray (rollout {rollout.rollout_id}){state}:\n"
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


async def _export_locust(args: argparse.Namespace, appid: str, rollout: Any, population: Any,
                         launch_mix: LaunchMix) -> int:
    """Write the Locust file instead of sending: it is a plan for another engine, run elsewhere.
    Its users launch as this command's run would (``launch_mix``: the same pick per user)."""
    from workbench.core.locust_export import LocustScenario, write_locustfile

    scenario = LocustScenario(appid, rollout, population, rate=args.rate, launch_mix=launch_mix)
    preview = await asyncio.to_thread(write_locustfile, args.export_locust, scenario)
    if args.json:
        sys.stdout.write(json.dumps({"locustfile": args.export_locust, "users": scenario.users,
                                     "percent": rollout.percent, "preview": preview}) + "\n")
    else:
        sys.stdout.write(
            f"Wrote {args.export_locust}: {scenario.users:,} simulated users at {rollout.percent:g}% gray "
            f"(rollout {rollout.rollout_id}), preview main {preview['main']:,}, gray {preview['gray']:,}.\n"
            "It holds the users' tokens: keep it private (written with mode 600).\n"
            f"Run it with: locust -f {args.export_locust} --headless -u 50 -r 10 --run-time 1m\n")
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_traffic(args))
