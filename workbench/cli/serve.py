"""`serve`: the mock developer server, headless, one line per request."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Any

from workbench.cli import args as argtypes
from workbench.core.errors import InvalidInput


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the mock developer server and print one line per request")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=argtypes.port, default=8765, help="port 0-65535 (0: any free port; default 8765)")
    serve.add_argument("--rules", metavar="FILE", help='response rules, JSON: {"rules": [...], "default": {...}}')
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a locally generated certificate")
    serve.add_argument("--ca-out", metavar="FILE", help="with --tls: write the local CA certificate here")


async def _serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.mockserver.persist import loads
    from workbench.mockserver.server import MockServer, dump_log

    rules = config = None
    if args.rules:
        try:
            text = Path(args.rules).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the rules file {args.rules}: {exc.strerror}.") from None
        config, rules = loads(text, f"The rules file {args.rules}")
    ssl_context = None
    if args.tls:
        from workbench.mockserver.tls import make_local_tls

        tls = make_local_tls()
        ssl_context = tls.server_context
        if args.ca_out:
            Path(args.ca_out).write_bytes(tls.ca_pem)
    mock = MockServer(config, rules=rules, host=args.host, port=args.port, ssl_context=ssl_context)
    mock.listeners.append(lambda record: print(dump_log(record), flush=True))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await mock.start()
    print(mock.url("main"), flush=True)
    print(f"  gray: {mock.url('gray')}  periodic: {mock.url('periodic')}  "
          f"code2session: {mock.base_url}{mock.config.code2session_path}", flush=True)
    if not mock.is_loopback:
        sys.stderr.write(f"prepull-workbench: warning: listening on {args.host}, reachable from other machines; "
                         "the mock server has no access control.\n")
    try:
        await stop.wait()
    finally:
        await mock.stop()
    return 0



def run(args: argparse.Namespace) -> int:
    return asyncio.run(_serve(args))
