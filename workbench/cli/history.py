"""`history`: work with the workspace's history (export as HAR 1.2)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.cli.common import Parser, add_workspace_option, workspace_arg
from workbench.core.store import Store


def add_parser(sub: Any) -> None:
    history = sub.add_parser("history", help="work with the workspace's history")
    history_sub = history.add_subparsers(dest="history_command", required=True, parser_class=Parser)
    export = history_sub.add_parser("export", help="export every entry as HAR 1.2")
    export.add_argument("--har", required=True, metavar="FILE", help="the HAR file to write")
    export.add_argument("--include-secrets", action="store_true", help="keep tokens and codes (default: redacted)")
    add_workspace_option(export)


def _history_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.core.atomic import write_text_atomic
    from workbench.core.har import dumps, export_har

    store = Store.in_workspace(workspace_arg(args))
    try:
        records = [r for r in (store.history(i) for i in store.history_ids()) if r is not None]
    finally:
        store.close()
    write_text_atomic(Path(args.har), dumps(export_har(records, include_secrets=args.include_secrets)))
    redacted = "" if args.include_secrets else " (tokens and codes redacted)"
    sys.stderr.write(f"Exported {len(records)} entries to {args.har}{redacted}.\n")
    return 0



def run(args: argparse.Namespace) -> int:
    return _history_export(args)
