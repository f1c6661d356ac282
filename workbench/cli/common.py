"""Pieces every command shares: exit codes, the argparse subclass, the workspace option."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn

from workbench.cli import args as argtypes
from workbench.core.protocol import IDENTITY_KINDS, Launch, ProtocolSettings, plain_http_warning

if TYPE_CHECKING:  # the workspace module (pydantic) loads when a command opens one, not with the CLI
    from workbench.core.workspace import Workspace

EXIT_OK = 0
EXIT_CACHED, EXIT_NOT_CACHED, EXIT_BAD_INPUT = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2, as for any bad input."""

    def error(self, message: str) -> NoReturn:
        from workbench.core.redact import Redactor

        message = Redactor().text(message)  # a password or token in a refused URL is not echoed
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    """Every command takes ``--workspace`` after its name as well as before it."""
    parser.add_argument("--workspace", dest="sub_workspace", metavar="PATH", help=argparse.SUPPRESS)


def workspace_arg(args: argparse.Namespace) -> str | None:
    """The --workspace given after the command name wins over one given before it."""
    return getattr(args, "sub_workspace", None) or getattr(args, "workspace", None)


def open_workspace_of(args: argparse.Namespace, *, appid: str | None = None) -> Workspace:
    """The workspace the command works on: --workspace's file or folder, else the default one.

    A workspace that does not exist yet is created (with ``appid`` when given), so scripts that
    pass a fresh folder keep working.
    """
    from workbench.core.workspace import open_workspace

    return open_workspace(workspace_arg(args), appid=appid)


def protocol_settings(ws: Workspace, **overrides: Any) -> ProtocolSettings:
    """The workspace's protocol settings, with the options given on the command line on top."""
    base = ws.protocol_settings()
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(base, **given) if given else base


def protocol_help() -> str:
    """The assumed defaults (P3, P11, P12, P22-P24) as ``--help`` lists them."""
    from workbench.core.workspace import PROTOCOL_FIELDS, ProtocolConfig

    defaults = ProtocolConfig()
    lines = [f"  {rule:4} {label}: {getattr(defaults, key)!s} (workspace key protocol.{key})"
             for key, rule, label in PROTOCOL_FIELDS]
    return ("protocol settings (assumed where WeChat's documentation is silent; set them in the workspace "
            "file or the app's Settings dialog):\n" + "\n".join(lines))
#: Help of --allow-plain-http, which only stays so that scripts using it keep working (P10).
ALLOW_PLAIN_HTTP_HELP = "no longer needed: plain http to another host is sent, with a warning (P10)"


def warn_plain_http(*urls: str | None) -> None:
    """P10: plain http to a non-loopback host is sent, but says on stderr that WeChat would not."""
    for url in urls:
        warning = plain_http_warning(url) if url else None
        if warning:
            sys.stderr.write(f"prepull-workbench: warning: {warning}\n")


#: The launch options (their namespace names and how they are typed), as add_launch_options adds them.
LAUNCH_OPTIONS = (("path", "--path"), ("query", "--query"), ("scene", "--scene"), ("mp_version", "--version"))
DEFAULT_PATH, DEFAULT_SCENE = "pages/index/index", 1001


def add_launch_options(parser: argparse.ArgumentParser, *, absent_unless_given: bool = False) -> None:
    """The composer's launch options (P7) and identity (P4) for coldstart and traffic.

    With ``absent_unless_given``, a launch option the user did not type stays out of the namespace
    (:func:`launch_of` fills in its default), so that the command can tell "not given" from
    "given as the default": traffic uses the workspace's launch mix only when none is given."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if absent_unless_given else value

    parser.add_argument("--path", default=default(DEFAULT_PATH), help=f"launch page path (default {DEFAULT_PATH})")
    parser.add_argument("--query", default=default(""),
                        help="launch query as typed, e.g. 'id=1&from=qr' (P8 encodes it)")
    parser.add_argument("--scene", type=argtypes.scene, default=default(DEFAULT_SCENE),
                        help=f"scene value, a positive integer (default {DEFAULT_SCENE}; empty: none)")
    parser.add_argument("--version", dest="mp_version", default=default(""), help="customMiniprogramVersion")
    parser.add_argument("--identity", choices=IDENTITY_KINDS, default="auto",
                        help="token, fresh login code, or neither (violates P4); auto: the stored token, else a code")


def launch_of(args: argparse.Namespace) -> Launch:
    """The launch the options give; an option not given (see add_launch_options) is its default."""
    return Launch(path=getattr(args, "path", DEFAULT_PATH), query=getattr(args, "query", ""),
                  scene=getattr(args, "scene", DEFAULT_SCENE), version=getattr(args, "mp_version", ""))


def launch_options_given(args: argparse.Namespace) -> list[str]:
    """The launch options the user typed (with add_launch_options(absent_unless_given=True))."""
    return [option for dest, option in LAUNCH_OPTIONS if hasattr(args, dest)]


def say_waiting(message: str) -> None:
    """Tell the user a command waits for the workspace database (another program holds it)."""
    sys.stderr.write(f"prepull-workbench: {message}\n")
    sys.stderr.flush()
