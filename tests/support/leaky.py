"""A developer server that echoes the request's secrets everywhere it can (issue 11 item 2).

``GET /leak/{status}`` answers ``status`` with the token (or code) of the request, the whole
request URL (with the base address's own ``?token=``) and the Authorization the client derived
from a ``user:password@`` in the address, echoed in: a header raw (UTF-8 bytes) and
percent-encoded, a Set-Cookie, a Refresh, a Location (so a 3xx makes a redirect reason that
quotes it), and a JSON body that also hands out a session_key. Tests run it on 127.0.0.1 port 0
and grep what the workbench shows, logs and exports for every encoding of every secret.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

APPID = "wx0123456789abcdef"
#: A token with characters that every encoder writes differently (P9 allows any text).
TOKEN = "Tok€n/+= 42&x?secret-9f8e7d"
#: A plain token, as most servers issue them.
PLAIN_TOKEN = "secret-token-0123456789"
#: A token already in the base address's own query.
BASE_TOKEN = "base-token-5550123"
#: userinfo of the base address.
USER, PASSWORD = "deployer", "pa55-w0rd!x"
#: The session_key the server hands out in its body (P6).
SESSION_KEY = "sk-Zq81mXv0Tt5pLw"


def session_key_for(secret: str) -> str:
    return SESSION_KEY + str(len(secret))


async def leak(request: Request) -> Response:
    status = int(request.path_params["status"])
    secret = request.query_params.get("token") or request.query_params.get("code") or ""
    url = str(request.url)
    auth = request.headers.get("authorization", "")
    decoded_auth = ""
    if auth.lower().startswith("basic "):
        decoded_auth = base64.b64decode(auth[6:]).decode("utf-8", "replace")
    body = json.dumps({
        "token": secret, "url": url, "quoted": quote(secret, safe=""), "plus": quote_plus(secret),
        "auth": auth, "credentials": decoded_auth, "session_key": session_key_for(secret),
        "html": f"<a href=\"/next?token={quote(secret, safe='')}&amp;x=1\">{secret}</a>",
    })
    location = f"/landing?token={quote(secret, safe='')}&next={quote(url, safe='')}"
    headers = [
        (b"content-type", b"application/json"),
        (b"x-echo-token", secret.encode("utf-8")),
        (b"x-echo-quoted", quote(secret, safe="").encode()),
        (b"x-echo-url", url.encode()),
        (b"x-echo-auth", auth.encode()),
        (b"set-cookie", f"sid={quote(secret, safe='')}; Path=/; HttpOnly".encode()),
        (b"refresh", f"0; url=/again?code={quote(secret, safe='')}".encode()),
        (b"location", location.encode()),
    ]
    response = Response(body.encode("utf-8"), status_code=status)
    response.raw_headers = [(b"content-length", str(len(response.body)).encode()), *headers]
    return response


def make_leaky_app() -> Starlette:
    return Starlette(routes=[Route("/leak/{status:int}", leak)])
