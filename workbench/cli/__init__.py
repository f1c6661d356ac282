"""Command line: `prepull-workbench` opens the app; subcommands run the same core headless.

One module per command, each with ``add_parser(sub)`` and ``run(args) -> int``. Exit status:
0 success (for ``fetch``: cached), 1 a negative result (not cached, a check failed), 2 bad input
with one sentence on stderr, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from workbench import __version__
from workbench.cli import coldstart, fetch, history, serve, traffic
from workbench.cli.common import EXIT_BAD_INPUT, Parser
from workbench.core.errors import WorkbenchError
from workbench.core.workspace import resolve_workspace

#: The subcommands, in the order ``--help`` lists them.
COMMANDS: dict[str, ModuleType] = {
    "fetch": fetch,
    "serve": serve,
    "traffic": traffic,
    "coldstart": coldstart,
    "history": history,
}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="prepull-workbench", description="Debug WeChat Mini Program data pre-pull.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--workspace", metavar="PATH", help="workspace folder (default: the user data dir)")
    # Hidden: open the window, print "first paint" once it has painted, and quit (start-up
    # benchmarks and smoke tests of the packaged app).
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for module in COMMANDS.values():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command in COMMANDS:
            return int(COMMANDS[args.command].run(args))
        from workbench.app import run_gui

        return run_gui(resolve_workspace(args.workspace), quit_after_first_paint=args.quit_after_first_paint)
    except WorkbenchError as exc:
        sys.stderr.write(f"prepull-workbench: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
