"""`token`: what wx.getBackgroundFetchToken returns for a user (P20), and setting it (P5, P9).

A token set here is what setBackgroundFetchToken would have stored: the next `fetch` (or cold
start) for that user sends it instead of a login code (P4, P5).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from workbench.cli.common import Parser, add_workspace_option, open_workspace_of
from workbench.core.cache import get_background_fetch_token
from workbench.core.protocol import MAX_TOKEN_CHARS, Platform, validate_appid
from workbench.core.redact import mask_secret
from workbench.core.store import Store


def add_parser(sub: Any) -> None:
    token = sub.add_parser("token", help="get or set a simulated user's background fetch token (P5, P9, P20)")
    token_sub = token.add_subparsers(dest="token_command", required=True, parser_class=Parser)
    get = token_sub.add_parser("get", help="what wx.getBackgroundFetchToken returns for the user (P20)")
    put = token_sub.add_parser("set", help="store a token as setBackgroundFetchToken would: the next fetch sends it")
    for p in (get, put):
        p.add_argument("--user", required=True, help="the simulated user")
        p.add_argument("--appid", help="the Mini Program's appid (wx + 16 hex characters; default: the workspace's)")
        add_workspace_option(p)
    get.add_argument("--platform", choices=[p.value for p in Platform], default="android")
    get.add_argument("--show-secrets", action="store_true", help="print the token unmasked")
    get.add_argument("--json", action="store_true", help="print the result object only")
    put.add_argument("token", metavar="TOKEN",
                     help=f"the token (at most {MAX_TOKEN_CHARS} characters, P9); '-' reads it from stdin")


def _appid(args: argparse.Namespace) -> str:
    """--appid, else the workspace's (tokens are stored per Mini Program and user)."""
    return validate_appid(args.appid or args.workspace_appid)


def _get(args: argparse.Namespace, store: Store) -> int:
    success, result = get_background_fetch_token(store.token(_appid(args), args.user))
    if success and not args.show_secrets:
        result = {**result, "token": mask_secret(result["token"])}
    text = json.dumps(result, ensure_ascii=False)
    if args.json:
        sys.stdout.write(text + "\n")
    else:
        call = "success" if success else "fail"
        sys.stdout.write(f"wx.getBackgroundFetchToken() for {args.user} on {args.platform} calls {call} with:\n"
                         f"{json.dumps(result, ensure_ascii=False, indent=2)}\n")
    return 0 if success else 1


def _set(args: argparse.Namespace, store: Store) -> int:
    appid = _appid(args)
    value = sys.stdin.read().rstrip("\r\n") if args.token == "-" else args.token
    store.set_token(appid, args.user, value, int(time.time() * 1000))  # P9 checked before anything is written
    sys.stderr.write(f"Token set for {args.user} ({len(value)} characters): the next fetch for this user sends "
                     "it (P5).\n")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.appid:
        validate_appid(args.appid)  # bad input is refused before the workspace is opened
    ws = open_workspace_of(args, appid=args.appid)
    args.workspace_appid = ws.doc.appid
    store = Store(ws.store_path())
    try:
        return _get(args, store) if args.token_command == "get" else _set(args, store)
    finally:
        store.close()
