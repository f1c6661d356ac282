"""`workspace new|show`: create a workspace file, or print one with its secrets masked."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbench.cli.common import Parser
from workbench.core.redact import mask_secret
from workbench.core.workspace import SAMPLE_APPID, Workspace, resolve_path


def add_parser(sub: Any) -> None:
    ws = sub.add_parser("workspace", help="create or show a workspace file (NAME.prepull.toml)")
    ws_sub = ws.add_subparsers(dest="workspace_command", required=True, parser_class=Parser)
    new = ws_sub.add_parser("new", help="create a workspace file and its private data folder")
    new.add_argument("file", metavar="FILE.prepull.toml")
    new.add_argument("--appid", default=SAMPLE_APPID, help="the Mini Program's appid (wx + 16 hex characters)")
    new.add_argument("--main-url", default="", help="the data download address")
    new.add_argument("--gray-url", default="", help="the gray address (P25)")
    new.add_argument("--periodic-url", default="", help="the periodic update address (P21)")
    show = ws_sub.add_parser("show", help="print a workspace (tokens and secrets masked)")
    show.add_argument("file", metavar="FILE_OR_FOLDER")
    show.add_argument("--json", action="store_true", help="print one JSON object")


def _new(args: argparse.Namespace) -> int:
    ws = Workspace.create(args.file, args.appid)
    if args.main_url or args.gray_url or args.periodic_url:
        ws.doc.addresses.main = args.main_url
        ws.doc.addresses.gray = args.gray_url
        ws.doc.addresses.periodic = args.periodic_url
        ws.doc.rollout.gray = args.gray_url
        ws.save()
    sys.stderr.write(f"Created {ws.path} (data folder {ws.data_dir}, kept out of git).\n")
    return 0


def shown(ws: Workspace) -> dict[str, Any]:
    """The workspace as ``show`` prints it: the file's content plus where things live, secrets masked."""
    data = ws.doc.model_dump(mode="json")
    tokens = ws.mock_tokens()
    for user in data["mock"]["users"]:
        user["token"] = mask_secret(tokens.get(user["name"])) if tokens.get(user["name"]) else ""
    return {"file": str(ws.path), "data_dir": str(ws.data_dir), **data}


def _show(args: argparse.Namespace) -> int:
    ws = Workspace.load(resolve_path(args.file))
    if args.json:
        sys.stdout.write(json.dumps(shown(ws), ensure_ascii=False) + "\n")
        return 0
    out = sys.stdout
    out.write(f"# {ws.path}\n# data folder: {ws.data_dir} (secrets and history, not committed)\n")
    out.write(ws.text())  # the file holds no secrets: they live in the data folder
    tokens = ws.mock_tokens()
    if tokens:
        out.write("\n# mock users' tokens (in the data folder): "
                  + ", ".join(f"{n}={mask_secret(t)}" for n, t in sorted(tokens.items())) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    return _new(args) if args.workspace_command == "new" else _show(args)
