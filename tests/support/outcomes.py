"""Results as a traffic run makes them, without a network: for storage tests and benchmarks."""

from __future__ import annotations

import time

from workbench.core.model import Outcome, Reason, SentRequest, Timings, Verdict
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.core.rollout import Population

APPID = "wx0123456789abcdef"
MAIN = "http://127.0.0.1:8765/prefetch"
GRAY = "http://127.0.0.1:8765/gray"
SENT_HEADERS = (("host", "127.0.0.1:8765"), ("accept", "*/*"), ("accept-encoding", "gzip, deflate, br"),
                ("connection", "close"),
                ("user-agent", "PrepullWorkbench/0.1.0 (simulating the WeChat pre-pull client)"))
BASE_MS = 1_780_000_000_000


def traffic_outcomes(population: Population, start: int, count: int, *, users: int = 10_000,
                     body: bytes | None = None) -> list[tuple[Outcome, str, str, str]]:
    """``count`` (outcome, source, user, address kind) like a run's: ~50-byte JSON bodies (or
    ``body``), users cycling through ``users``, 10% gray, 2% server errors."""
    out = []
    for i in range(start, start + count):
        user = population.user(i % min(users, population.size))
        gray = i % 10 == 0
        started = BASE_MS + i * 50
        request = PrefetchRequest(url=GRAY if gray else MAIN, appid=APPID, identity=Identity(token=user.token),
                                  launch=Launch(path="pages/index/index", query=f"id={i % 1000}", scene=1047),
                                  timestamp_ms=started)
        failed = i % 50 == 7
        data = body if body is not None else (
            b'{"error":"busy"}' if failed else f'{{"ok":true,"openid":"{user.openid}","n":{i % 997}}}'.encode())
        date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(started // 1000))
        reasons = (Reason.of("status", status=500),) if failed else ()
        outcome = Outcome(
            request=request, sent=SentRequest("GET", request.full_url(), tuple(request.params()), SENT_HEADERS),
            started_ms=started, finished_ms=started + 3, status=500 if failed else 200,
            reason_phrase="Internal Server Error" if failed else "OK", http_version="HTTP/1.1",
            headers=(("date", date), ("content-length", str(len(data))), ("content-type", "application/json")),
            body=data, body_size=len(data), timings=Timings(0.412, 1.873, round(2.905 + (i % 7) / 10, 3)),
            verdict=Verdict(not failed, reasons))
        out.append((outcome, "traffic", user.openid, "gray" if gray else "main"))
    return out
