"""Pieces every command shares: exit codes, the argparse subclass, the workspace option."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_OK = 0
EXIT_CACHED, EXIT_NOT_CACHED, EXIT_BAD_INPUT = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2, as for any bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    """Every command takes ``--workspace`` after its name as well as before it."""
    parser.add_argument("--workspace", dest="sub_workspace", metavar="PATH", help=argparse.SUPPRESS)


def workspace_arg(args: argparse.Namespace) -> str | None:
    """The --workspace given after the command name wins over one given before it."""
    return getattr(args, "sub_workspace", None) or getattr(args, "workspace", None)


def say_waiting(message: str) -> None:
    """Tell the user a command waits for the workspace database (another program holds it)."""
    sys.stderr.write(f"prepull-workbench: {message}\n")
    sys.stderr.flush()
