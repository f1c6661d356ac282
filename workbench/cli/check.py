"""`check`: a contract test of a developer server's pre-pull endpoint, for CI.

Exit status: 0 every check passed, 1 a check failed, 2 bad input (nothing was sent).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from workbench.cli.common import add_workspace_option, open_workspace_of
from workbench.core.check import (
    DEFAULT_BUDGET_MS,
    DEFAULT_REQUESTS,
    CheckOptions,
    CheckResult,
    all_passed,
    junit_xml,
    run_checks,
)
from workbench.core.errors import InvalidInput
from workbench.core.redact import mask_secret
from workbench.core.workspace import Workspace

EXIT_PASSED, EXIT_FAILED = 0, 1
#: The options a workspace (or any object with these attributes) can fill in when not given.
OPTION_FIELDS = ("url", "appid", "token", "code_exchange_url", "gray_url", "periodic_url", "requests", "budget_ms",
                 "allow_plain_http")

CODE_EXCHANGE_HELP = (
    "the code2session address your server redeems login codes at during the check (P4, P6); in production "
    "that is WeChat's, which only WeChat can issue codes for, so point your test server at a stand-in: the "
    "workbench mock's /sns/jscode2session (e.g. http://127.0.0.1:8765/sns/jscode2session from "
    "`prepull-workbench serve`). The check gets a fresh code from it (POST ?user=check, answer {\"code\": ...}), "
    "sends a launch with that code, then confirms the code was redeemed (exchanging it again answers errcode "
    "40163). Without this option the code variant is not checked")


def add_parser(sub: Any) -> None:
    check = sub.add_parser(
        "check", help="run contract checks against a developer server (for CI)",
        description="Check that a data download address works the way WeChat needs: a typical launch gets 2xx "
                    "and a UTF-8 body within the size limit (P11-P13), p95 latency stays within budget, every "
                    "common scene and a query with reserved and Chinese characters are handled (P8), requests "
                    "without a token or with an invalid one are refused, and, when given, the code variant "
                    "(P4, P6), the gray (P25) and periodic (P21) addresses. Exit status: 0 all passed, 1 a check "
                    "failed, 2 bad input (nothing is sent).")
    check.add_argument("url", nargs="?", help="the data download address (main)")
    check.add_argument("--appid", help="the Mini Program's appid (wx + 16 hex characters)")
    check.add_argument("--token", help="a token the server accepts (as set with setBackgroundFetchToken)")
    check.add_argument("--code-exchange", dest="code_exchange_url", metavar="URL", help=CODE_EXCHANGE_HELP)
    check.add_argument("--gray-url", metavar="URL", help="the gray address: checked with the same contract (P25)")
    check.add_argument("--periodic-url", metavar="URL",
                       help="the periodic update address: requests carry only appid, token, timestamp (P21)")
    check.add_argument("--requests", type=int, metavar="N",
                       help=f"requests for the latency check (default {DEFAULT_REQUESTS})")
    check.add_argument("--budget-ms", type=float, metavar="MS",
                       help=f"the p95 latency budget in milliseconds (default {DEFAULT_BUDGET_MS:g})")
    check.add_argument("--allow-plain-http", action="store_true", default=None,
                       help="allow http:// to a non-loopback host (WeChat never does)")
    check.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML (for CI reports)")
    add_workspace_option(check)
    check.add_argument("--json", action="store_true",
                       help='print {"checks": [{"name", "passed", "detail"}, ...], "skipped": [{"name", "detail"}, '
                            '...]} instead of text (skipped: checks whose address was not given)')


def options_from_args(args: argparse.Namespace, defaults: Any = None) -> CheckOptions:
    """The options given on the command line, the rest from ``defaults`` (an object with the same
    attribute names, such as the workspace's; it may also carry ``settings`` and ``launch``)."""
    values: dict[str, Any] = {}
    for name in (*OPTION_FIELDS, "settings", "launch"):
        value = getattr(args, name, None)
        if value is None and defaults is not None:
            value = getattr(defaults, name, None)
        if value is not None:
            values[name] = value
    missing = [flag for name, flag in (("url", "the server's URL"), ("appid", "--appid"), ("token", "--token"))
               if not str(values.get(name) or "").strip()]
    if missing:
        raise InvalidInput(f"Give {' and '.join(missing)}: the checks need an address, the appid and a token "
                           "the server accepts.")
    return CheckOptions(**values)


def _check_junit_path(path: str) -> Path:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InvalidInput(f"The JUnit file {path} is a folder: give a file name such as check.xml.")
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"Cannot write the JUnit file {path}: the folder {folder} does not exist or is not "
                           "writable.")
    return target


def _print_text(results: list[CheckResult], options: CheckOptions) -> None:
    out = sys.stdout
    out.write(f"Checking {options.url} (appid {options.appid}, token {mask_secret(options.token)})\n")
    width = max(len(r.name) for r in results)
    for r in results:
        mark = "SKIP" if r.skipped else ("PASS" if r.passed else "FAIL")
        where = f" [history #{r.focus_id}]" if not r.passed and r.focus_id is not None else ""
        out.write(f"{mark}  {r.name:<{width}}  {r.detail}{where}\n")
    run = [r for r in results if not r.skipped]
    failed = sum(not r.passed for r in run)
    verdict = "all passed" if not failed else f"{failed} failed"
    out.write(f"{len(run)} checks run, {verdict}; {len(results) - len(run)} not run.\n")


def workspace_defaults(ws: Workspace) -> SimpleNamespace:
    """What a check takes from the workspace when the command line does not say: its appid,
    addresses and protocol settings (the token is a secret: it is given on the command line)."""
    doc = ws.doc
    return SimpleNamespace(appid=doc.appid, url=doc.addresses.main or None,
                           gray_url=(doc.rollout.gray or doc.addresses.gray) or None,
                           periodic_url=doc.addresses.periodic or None, settings=ws.protocol_settings())


async def _check(args: argparse.Namespace, defaults: Any = None) -> int:
    ws = open_workspace_of(args)
    options = options_from_args(args, defaults if defaults is not None else workspace_defaults(ws))
    junit = _check_junit_path(args.junit) if args.junit else None
    from workbench.core.store import Store

    store = Store(ws.store_path())
    try:
        results = await run_checks(options, store=store)
    finally:
        store.close()
    if junit is not None:
        from workbench.core.atomic import write_text_atomic

        write_text_atomic(junit, junit_xml(results, options))
    if args.json:
        payload = {"checks": [r.to_json() for r in results if not r.skipped],
                   "skipped": [{"name": r.name, "detail": r.detail} for r in results if r.skipped]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        _print_text(results, options)
    return EXIT_PASSED if all_passed(results) else EXIT_FAILED


def run(args: argparse.Namespace, defaults: Any = None) -> int:
    """Bad input raises InvalidInput before anything is sent (cli.main prints it, exit 2)."""
    return asyncio.run(_check(args, defaults))
