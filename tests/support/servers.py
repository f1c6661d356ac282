"""A small Starlette app whose endpoints produce each response the client must judge."""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

APPID = "wx0123456789abcdef"


async def echo(request: Request) -> Response:
    """Answers with the raw query string it received, so tests see exactly what was sent."""
    return PlainTextResponse(request.url.query)


async def status(request: Request) -> Response:
    return PlainTextResponse("status", status_code=int(request.path_params["code"]))


async def size(request: Request) -> Response:
    return Response(b"x" * int(request.path_params["n"]), media_type="text/plain")


async def latin1(request: Request) -> Response:
    return Response("caf\u00e9".encode("latin-1"), media_type="text/plain")


async def slow(request: Request) -> Response:
    request.app.state.slow_started.set()
    await asyncio.sleep(float(request.query_params.get("s", "30")))
    return PlainTextResponse("late")


async def redirect(request: Request) -> Response:
    return RedirectResponse("/echo", status_code=302)


def make_app() -> Starlette:
    app = Starlette(routes=[
        Route("/echo", echo),
        Route("/status/{code:int}", status),
        Route("/size/{n:int}", size),
        Route("/latin1", latin1),
        Route("/slow", slow),
        Route("/redirect", redirect),
    ])
    app.state.slow_started = asyncio.Event()  # set when /slow has received its request
    return app
