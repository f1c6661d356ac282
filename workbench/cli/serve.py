"""`serve`: the mock developer server, headless, one line per request.

Every argument is checked before anything starts: a port outside 0-65535, ``--ca-out`` without
``--tls`` or to a place that cannot be written, and a rules file that does not validate each end
with one sentence and exit status 2.

The request log goes to stdout. If stdout goes away (``serve --port 0 | head -1`` to read the URL),
the server keeps serving without the log: it says so once on stderr, and stops when it is told to
(Ctrl+C, SIGTERM), as it would otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import signal
import sys
from typing import Any, TextIO

from workbench.cli import args as argtypes
from workbench.cli.common import add_workspace_option, open_workspace_of
from workbench.core.errors import InvalidInput


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the mock developer server and print one line per request")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=argtypes.port, default=8765, help="port 0-65535 (0: any free port; default 8765)")
    serve.add_argument("--rules", metavar="FILE", help='response rules, JSON: {"rules": [...], "default": {...}}')
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a locally generated certificate")
    serve.add_argument("--ca-out", metavar="FILE",
                       help="with --tls: write the local CA certificate here (for fetch --ca FILE)")
    add_workspace_option(serve)


class RequestLog:
    """Prints lines to stdout until stdout is closed; then serving goes on without them."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.closed = False

    def line(self, text: str) -> None:
        if self.closed:
            return
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except (BrokenPipeError, ValueError):  # ValueError: the stream object itself was closed
            self._lost()
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.EINVAL):
                raise
            self._lost()

    def _lost(self) -> None:
        self.closed = True
        # What is still buffered would fail again when Python flushes stdout at exit: send it
        # nowhere instead (https://docs.python.org/3/library/signal.html#note-on-sigpipe).
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("prepull-workbench: serve: the output was closed; serving on without the request "
                             "log (stop with Ctrl+C or SIGTERM).\n")
            sys.stderr.flush()


async def _serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.core.atomic import write_bytes_atomic
    from workbench.mockserver.persist import loads
    from workbench.mockserver.server import MockServer, dump_log

    if args.ca_out and not args.tls:
        raise InvalidInput("--ca-out writes the certificate authority that --tls makes: add --tls, or leave "
                           "--ca-out out.")
    rules = config = None
    if args.rules:
        try:
            text = Path(args.rules).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the rules file {args.rules}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise InvalidInput(f"The rules file {args.rules} is not UTF-8 text.") from None
        config, rules = loads(text, f"The rules file {args.rules}")
    ssl_context = None
    if args.tls:
        from workbench.mockserver.tls import make_local_tls

        tls = make_local_tls()
        ssl_context = tls.server_context
        if args.ca_out:
            write_bytes_atomic(Path(args.ca_out), tls.ca_pem)  # one sentence if it cannot be written
    from workbench.core.login import LoginAuthority
    from workbench.mockserver.persist import from_workspace

    ws = open_workspace_of(args)
    if not args.rules:
        config, rules = from_workspace(ws)  # the rules and users the app edits in this workspace
    # codes that fetch, coldstart or the app issued on this workspace are redeemed here (P4, P6)
    login = LoginAuthority.in_folder(ws.ensure_data_dir())
    mock = MockServer(config, rules=rules, host=args.host, port=args.port, ssl_context=ssl_context, login=login)
    out = RequestLog()
    mock.listeners.append(lambda record: out.line(dump_log(record)))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await mock.start()
    out.line(mock.url("main"))
    out.line(f"  gray: {mock.url('gray')}  periodic: {mock.url('periodic')}  "
             f"code2session: {mock.base_url}{mock.config.code2session_path}  "
             f"checksession: {mock.base_url}{mock.config.checksession_path}")
    if not mock.is_loopback:
        sys.stderr.write(f"prepull-workbench: warning: listening on {args.host}, reachable from other machines; "
                         "the mock server has no access control.\n")
    try:
        await stop.wait()
    finally:
        await mock.stop()
        login.close()
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_serve(args))
