"""Command line: `prepull-workbench` opens the app; subcommands run the same core headless.

Two entry points: ``prepull-workbench`` (a console script, so on Windows ``fetch --json`` prints to
the terminal) and ``prepull-workbench-gui`` (a GUI script for launchers: no console window).

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
from workbench.cli import check, coldstart, fetch, history, serve, token, traffic, workspace
from workbench.cli.args import undecodable
from workbench.cli.common import EXIT_BAD_INPUT, Parser
from workbench.core.errors import WorkbenchError
from workbench.core.redact import Redactor

#: The subcommands, in the order ``--help`` lists them.
COMMANDS: dict[str, ModuleType] = {
    "fetch": fetch,
    "serve": serve,
    "traffic": traffic,
    "coldstart": coldstart,
    "history": history,
    "workspace": workspace,
    "check": check,
    "token": token,
}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="prepull-workbench", description="Debug WeChat Mini Program data pre-pull.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--workspace", metavar="PATH",
                        help="workspace file (NAME.prepull.toml) or a folder holding one (default: the demo "
                             "workspace in the user data dir)")
    # Hidden: open the window, print "first paint" once it has painted, and quit (start-up
    # benchmarks and smoke tests of the packaged app).
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for module in COMMANDS.values():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The console entry: a command, or the app when none is given."""
    argv = sys.argv[1:] if argv is None else list(argv)
    problem = undecodable(argv)  # bytes that are not UTF-8 would fail later, with a traceback
    if problem is not None:
        sys.stderr.write(f"prepull-workbench: {problem}.\n")
        return EXIT_BAD_INPUT
    return _run(build_parser().parse_args(argv))


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Launchers' entry (.desktop, Start menu): opens the app, never a command.

    On Windows a GUI script has no console, so a command's output would go nowhere: commands belong
    to ``prepull-workbench``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        parser.error(f"{args.command} is a command: run it with prepull-workbench, not prepull-workbench-gui")
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command in COMMANDS:
            return int(COMMANDS[args.command].run(args))
        from workbench.app import run_gui

        return run_gui(args.workspace, quit_after_first_paint=args.quit_after_first_paint)
    except WorkbenchError as exc:
        # a refused address is quoted: its password or token is not (core/redact.py)
        sys.stderr.write(f"prepull-workbench: {Redactor().text(str(exc))}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
