"""`history`: work with the workspace's history: export it as HAR 1.2, or recover a damaged
database into a new file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.cli.common import EXIT_BAD_INPUT, Parser, add_workspace_option, workspace_arg
from workbench.core.store import DB_NAME, Store
from workbench.core.workspace import open_workspace


def add_parser(sub: Any) -> None:
    history = sub.add_parser("history", help="work with the workspace's history")
    history_sub = history.add_subparsers(dest="history_command", required=True, parser_class=Parser)
    export = history_sub.add_parser("export", help="export every entry as HAR 1.2")
    export.add_argument("--har", required=True, metavar="FILE", help="the HAR file to write")
    export.add_argument("--include-secrets", action="store_true", help="keep tokens and codes (default: redacted)")
    add_workspace_option(export)
    recover = history_sub.add_parser(
        "recover", help="copy everything readable of a damaged workspace database into a new file")
    recover.add_argument("--to", required=True, metavar="FILE", help="the new database file (must not exist)")
    add_workspace_option(recover)


def _history_export(args: argparse.Namespace) -> int:
    from workbench.core.har import write_har

    # read-only: a damaged (or read-only) database is read as far as it goes, and never changed
    store = Store.in_workspace(workspace_arg(args), readonly=True)
    skipped: list[int] = []
    try:
        n = write_har(Path(args.har), store.iter_history(skipped=skipped), include_secrets=args.include_secrets)
    finally:
        store.close()
    redacted = "" if args.include_secrets else " (tokens and codes redacted)"
    sys.stderr.write(f"Exported {n:,} entries to {args.har}{redacted}.\n")
    if skipped:
        sys.stderr.write(f"prepull-workbench: the workspace database is damaged: up to {len(skipped):,} entries could "
                         "not be read and are missing from the export; `history recover --to NEW_FILE` saves the "
                         "rest into a new database.\n")
        return EXIT_BAD_INPUT
    return 0


def _history_recover(args: argparse.Namespace) -> int:
    source = open_workspace(workspace_arg(args)).db_path
    target = Path(args.to)
    counts = Store.recover(source, target)
    sys.stderr.write(
        f"Recovered {counts['history']:,} history entries, {counts['cache_entry']:,} cache entries, "
        f"{counts['token']:,} tokens and {counts['mock_request']:,} mock requests into {target}"
        + (f"; up to {counts['unreadable']:,} entries could not be read" if counts["unreadable"] else "")
        + f". {source} is unchanged: to use the new file, move the old one away and put the new one in its place "
          f"as {DB_NAME}.\n")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.history_command == "recover":
        return _history_recover(args)
    return _history_export(args)
