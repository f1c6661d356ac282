"""Command line: `prepull-workbench` opens the app; subcommands run the same core headless.

Two entry points: ``prepull-workbench`` (a console script, so on Windows ``fetch --json`` prints to
the terminal) and ``prepull-workbench-gui`` (a GUI script for launchers: no console window).

One module per command, each with ``add_parser(sub)`` and ``run(args) -> int``. Exit status:
0 success (for ``fetch``: cached), 1 a negative result (not cached, a check failed), 2 bad input
with one sentence on stderr, 130 interrupted.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import NoReturn

from workbench import __version__
from workbench.cli.args import undecodable
from workbench.cli.common import EXIT_BAD_INPUT, Parser
from workbench.core.errors import WorkbenchError


class _Commands(Mapping[str, ModuleType]):
    """Command name -> its module, imported when first asked for: opening the app (no command)
    loads none of them, so the window does not wait for what only commands use (httpx, the
    workspace schema, the contract checks)."""

    def __init__(self, *names: str) -> None:
        self._names = names

    def __getitem__(self, name: str) -> ModuleType:
        if name not in self._names:
            raise KeyError(name)
        return importlib.import_module(f"workbench.cli.{name}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


#: The subcommands, in the order ``--help`` lists them (module workbench/cli/NAME.py each).
COMMANDS: Mapping[str, ModuleType] = _Commands(
    "fetch", "serve", "traffic", "coldstart", "history", "workspace", "check", "token")


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    """The options of the app itself (no command)."""
    parser.add_argument("--workspace", metavar="PATH",
                        help="workspace file (NAME.prepull.toml) or a folder holding one (default: the demo "
                             "workspace in the user data dir)")
    # Hidden: open the window, print "first paint" once it has painted, and quit (start-up
    # benchmarks and smoke tests of the packaged app).
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="prepull-workbench", description="Debug WeChat Mini Program data pre-pull.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_app_options(parser)
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
    return _run(_app_args(argv) or build_parser().parse_args(argv))


class _NotJustTheApp(Exception):
    pass


class _AppParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotJustTheApp(message)


def _app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when ``argv`` only opens the app (the usual start), else None.

    Parsed with the app's own options alone, so that starting the window does not build every
    command's parser (and import every command). Anything else (a command, --help, --version, an
    unknown or malformed option) returns None: the full parser then handles it, as it always did.
    """
    parser = _AppParser(prog="prepull-workbench", add_help=False)
    _add_app_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotJustTheApp:
        return None
    if rest:
        return None
    args.command = None
    return args


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Launchers' entry (.desktop, Start menu): opens the app, never a command.

    On Windows a GUI script has no console, so a command's output would go nowhere: commands belong
    to ``prepull-workbench``.
    """
    args = _app_args(sys.argv[1:] if argv is None else list(argv))
    if args is not None:
        return _run(args)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        parser.error(f"{args.command} is a command: run it with prepull-workbench, not prepull-workbench-gui")
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command in COMMANDS:
            return int(COMMANDS[args.command].run(args))
        # The app collects garbage on its GUI thread, on a timer (app.MainThreadCollector); off
        # from here, the start-up's imports and first screen run without collector passes.
        gc.disable()
        from workbench.app import run_gui

        return run_gui(args.workspace, quit_after_first_paint=args.quit_after_first_paint)
    except WorkbenchError as exc:
        # a refused address is quoted: its password or token is not (core/redact.py)
        from workbench.core.redact import Redactor

        sys.stderr.write(f"prepull-workbench: {Redactor().text(str(exc))}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
