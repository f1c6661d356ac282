"""A contract test of a developer server: does its pre-pull endpoint work the way WeChat needs?

``run_checks`` sends real requests, as WeChat would, and judges each answer by the same rules
the client uses (P11-P13): a typical launch, p95 latency over N requests, every common scene, a
launch query with reserved and Chinese characters (P8), launches without a token or with an
invalid one (they must be refused: user data is not for anyone who asks), the login-code
variant (P4, P6), and the same contract on the gray (P25) and periodic (P21) addresses.

Every check gives one sentence saying why it passed or failed. The sentences are templates
(translated by the GUI in the "Checks" context) so the CLI and the GUI say the same thing.
Plain async Python: used by ``prepull-workbench check`` and by the GUI's Check server workflow.
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from workbench.core.client import Outcome, PrefetchClient, Reason
from workbench.core.errors import InvalidInput
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.core.model import AddressKind, FetchType, Source
from workbench.core.protocol import (
    SCENES,
    Identity,
    Launch,
    PrefetchRequest,
    ProtocolSettings,
    validate_appid,
    validate_url,
)
from workbench.core.store import Store
from workbench.core.traffic import LatencySketch, percentile

#: The user the check's requests are stored under in the history.
CHECK_USER = "check"
#: The most requests the latency check sends (keeps a typo from flooding a server).
MAX_REQUESTS = 10_000
DEFAULT_REQUESTS = 20
DEFAULT_BUDGET_MS = 1000.0
#: A launch query full of characters that break a server decoding it wrongly (P8): the
#: separators of a query string, a path, a fragment mark, a percent sign, a plus, a space, Chinese.
RESERVED_QUERY = "id=42&name=中文 测试&redirect=/pages/a?b=c#top&sum=1+1&pct=100%"
#: errcode of code2session for a code that was already exchanged.
CODE_BEEN_USED = 40163

#: The checks in the order they run, with their titles (translated by the GUI).
CHECK_TITLES: dict[str, str] = {
    "status": QT_TRANSLATE_NOOP("Checks", "Typical launch gets 2xx (P11)"),
    "body_size": QT_TRANSLATE_NOOP("Checks", "Body within the size limit (P12)"),
    "utf8": QT_TRANSLATE_NOOP("Checks", "Body is UTF-8 text (P13)"),
    "latency": QT_TRANSLATE_NOOP("Checks", "p95 latency within budget"),
    "scenes": QT_TRANSLATE_NOOP("Checks", "Every common scene handled"),
    "query_encoding": QT_TRANSLATE_NOOP("Checks", "Reserved and Chinese characters in the query (P8)"),
    "missing_token": QT_TRANSLATE_NOOP("Checks", "Missing token refused"),
    "invalid_token": QT_TRANSLATE_NOOP("Checks", "Invalid token refused"),
    "code": QT_TRANSLATE_NOOP("Checks", "Login code variant (P4, P6)"),
    "gray": QT_TRANSLATE_NOOP("Checks", "Gray address (P25)"),
    "periodic": QT_TRANSLATE_NOOP("Checks", "Periodic address (P21)"),
}
CHECK_NAMES: tuple[str, ...] = tuple(CHECK_TITLES)

#: Who a refusal check sends as; filled into {who} of the refusal templates.
WHO: dict[str, str] = {
    "missing": QT_TRANSLATE_NOOP("Checks", "A launch with neither token nor code"),
    "invalid": QT_TRANSLATE_NOOP("Checks", "A launch with a token the server never issued"),
    "invalid_code": QT_TRANSLATE_NOOP("Checks", "A launch with a made-up login code"),
    "periodic_invalid": QT_TRANSLATE_NOOP("Checks", "A periodic update with a token the server never issued"),
}

#: Why a check passed or failed: one sentence each. {reason} quotes a verdict reason, {who} one
#: of WHO, {inner} the sentence of a step run on another address.
CHECK_TEMPLATES: dict[str, str] = {
    "status_ok": QT_TRANSLATE_NOOP("Checks", "A typical launch got {status}, a 2xx status (P11)."),
    "status_refused": QT_TRANSLATE_NOOP(
        "Checks", "A typical launch with the given token got {status}: the server refused the token, so give "
                  "one it accepts."),
    "status_bad": QT_TRANSLATE_NOOP("Checks", "A typical launch got no 2xx answer: {reason}"),
    "no_response": QT_TRANSLATE_NOOP(
        "Checks", "A typical launch got no response, so its body could not be checked: {reason}"),
    "size_ok": QT_TRANSLATE_NOOP(
        "Checks", "The body of a typical launch is {size} bytes, within the {limit}-byte limit (P12)."),
    "size_bad": QT_TRANSLATE_NOOP("Checks", "A typical launch: {reason}"),
    "utf8_ok": QT_TRANSLATE_NOOP("Checks", "The body of a typical launch is valid UTF-8 text (P13)."),
    "utf8_bad": QT_TRANSLATE_NOOP("Checks", "A typical launch: {reason}"),
    "latency_ok": QT_TRANSLATE_NOOP(
        "Checks", "The p95 latency is {p95} ms over {n} requests, within the {budget} ms budget."),
    "latency_bad": QT_TRANSLATE_NOOP(
        "Checks", "The p95 latency is {p95} ms over {n} requests, over the {budget} ms budget: make the server "
                  "answer faster."),
    "latency_no_response": QT_TRANSLATE_NOOP(
        "Checks", "Request {i} of {n} got no response, so the latency cannot be judged: {reason}"),
    "scenes_ok": QT_TRANSLATE_NOOP("Checks", "All {n} common scenes got a 2xx UTF-8 body within the limit."),
    "scenes_bad": QT_TRANSLATE_NOOP(
        "Checks", "{failed} of {n} common scenes were not cached, the first being scene {scene}: {reason}"),
    "query_ok": QT_TRANSLATE_NOOP(
        "Checks", "The launch query {query}, URL-encoded once as one parameter (P8), got a cached answer."),
    "query_bad": QT_TRANSLATE_NOOP(
        "Checks", "The launch query {query}, URL-encoded once as one parameter (P8), was not cached: {reason}"),
    "refused_ok": QT_TRANSLATE_NOOP("Checks", "{who} was refused with {status}."),
    "refused_bad": QT_TRANSLATE_NOOP(
        "Checks", "{who} got {status} and {size} bytes: the server serves user data to anyone who asks; "
                  "refuse such requests (for example with 401)."),
    "refused_no_response": QT_TRANSLATE_NOOP(
        "Checks", "{who} got no response ({reason}): refuse it with a status such as 401 instead."),
    "code_ok": QT_TRANSLATE_NOOP(
        "Checks", "A launch with a fresh login code got a cached answer, the server redeemed the code at the "
                  "code exchange, and a made-up code was refused (P4, P6)."),
    "code_unavailable": QT_TRANSLATE_NOOP(
        "Checks", "Could not get a login code from {url} ({error}): give a code2session stand-in that issues "
                  "test codes, such as the workbench mock's /sns/jscode2session."),
    "code_bad": QT_TRANSLATE_NOOP("Checks", "A launch with a fresh login code was not cached: {reason}"),
    "code_not_redeemed": QT_TRANSLATE_NOOP(
        "Checks", "The server served data for a login code without redeeming it at {url}: exchange every code "
                  "with code2session before serving data (P4, P6)."),
    "code_unconfirmed": QT_TRANSLATE_NOOP(
        "Checks", "The code exchange at {url} answered {answer} for the code the server should have redeemed, "
                  "so the redemption cannot be confirmed (P6)."),
    "code_skipped": QT_TRANSLATE_NOOP(
        "Checks", "Not run: give a code exchange URL to check launches that carry a login code (P4, P6)."),
    "gray_ok": QT_TRANSLATE_NOOP(
        "Checks", "The gray address cached a typical launch and refused launches without a token or with an "
                  "invalid one (P25)."),
    "gray_bad": QT_TRANSLATE_NOOP("Checks", "On the gray address: {inner}"),
    "gray_skipped": QT_TRANSLATE_NOOP("Checks", "Not run: no gray address was given (P25)."),
    "launch_bad": QT_TRANSLATE_NOOP("Checks", "A typical launch was not cached: {reason}"),
    "periodic_ok": QT_TRANSLATE_NOOP(
        "Checks", "The periodic address cached an update carrying only appid, token and timestamp (P21, P24) "
                  "and refused an invalid token."),
    "periodic_bad": QT_TRANSLATE_NOOP("Checks", "On the periodic address: {inner}"),
    "periodic_not_cached": QT_TRANSLATE_NOOP(
        "Checks", "A periodic update (appid, token and timestamp only, P21) was not cached: {reason}"),
    "periodic_skipped": QT_TRANSLATE_NOOP("Checks", "Not run: no periodic address was given (P21)."),
}


@dataclass(frozen=True, slots=True)
class Why:
    """The sentence of a check: a template key, its fields, and the texts it quotes."""

    key: str
    args: tuple[tuple[str, str], ...] = ()
    #: the verdict reason quoted as {reason}
    reason: Reason | None = None
    #: the sentence quoted as {inner} (a step on the gray or periodic address)
    inner: Why | None = None
    #: a key of WHO, quoted as {who}
    who: str = ""

    @classmethod
    def of(cls, key: str, *, reason: Reason | None = None, inner: Why | None = None, who: str = "",
           **args: object) -> Why:
        return cls(key, tuple((k, str(v)) for k, v in args.items()), reason, inner, who)

    @property
    def message(self) -> str:
        """The sentence in English (the CLI's words)."""
        fields = dict(self.args)
        if self.reason is not None:
            fields["reason"] = self.reason.message
        if self.inner is not None:
            fields["inner"] = self.inner.message
        if self.who:
            fields["who"] = WHO[self.who]
        return CHECK_TEMPLATES[self.key].format(**fields)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: its name, whether it passed, why, and the requests it sent (history ids)."""

    name: str
    passed: bool
    why: Why
    #: every request of this check, in the order sent (empty without a store)
    history_ids: tuple[int, ...] = ()
    #: the request that shows the outcome: the first that failed, else the first sent
    focus_id: int | None = None
    skipped: bool = False
    duration_s: float = 0.0

    @property
    def title(self) -> str:
        return CHECK_TITLES[self.name]

    @property
    def detail(self) -> str:
        return self.why.message

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What to check and how. Validated when made: nothing is sent for bad input.

    ``code_exchange_url`` is the code2session address the server under test redeems login codes
    at during the check (in production that is WeChat's; for a check, a stand-in such as the
    workbench mock's ``/sns/jscode2session``). The check asks it for a fresh code with a POST
    (``?user=check``; the answer is ``{"code": ...}``), sends a launch with that code, then asks
    it to exchange the same code (GET ``?js_code=``): a stand-in that answers errcode 40163
    ("code been used") shows that the server redeemed the code.
    """

    url: str
    appid: str
    token: str
    code_exchange_url: str | None = None
    gray_url: str | None = None
    periodic_url: str | None = None
    requests: int = DEFAULT_REQUESTS
    budget_ms: float = DEFAULT_BUDGET_MS
    settings: ProtocolSettings = field(default_factory=ProtocolSettings)
    #: The typical launch (P7); the lead's workspace fills in the last launch.
    launch: Launch = field(default_factory=lambda: Launch(path="pages/index/index", query="from=check",
                                                          scene=1001))
    allow_plain_http: bool = False

    def __post_init__(self) -> None:
        plain = self.allow_plain_http
        object.__setattr__(self, "url", validate_url(self.url, allow_plain_http=plain))
        object.__setattr__(self, "appid", validate_appid(self.appid))
        if self.token is None or not str(self.token).strip():
            raise InvalidInput("Give a token the server accepts (--token): the checks compare answers to a valid "
                               "user with answers to anyone.")
        Identity(token=self.token)  # P9: at most 1024 characters
        for name in ("code_exchange_url", "gray_url", "periodic_url"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, validate_url(value, allow_plain_http=plain) if value.strip() else None)
        if isinstance(self.requests, bool) or not isinstance(self.requests, int) or \
                not 1 <= self.requests <= MAX_REQUESTS:
            raise InvalidInput(f"The number of requests must be a whole number from 1 to {MAX_REQUESTS:,}, "
                               f"not {self.requests}.")
        if not isinstance(self.budget_ms, (int, float)) or not math.isfinite(self.budget_ms) or self.budget_ms <= 0:
            raise InvalidInput(f"The latency budget must be more than 0 ms, not {self.budget_ms}.")


def _size(n: int) -> str:
    return f"{n:,}"


def _status_text(outcome: Outcome) -> str:
    return f"{outcome.status} {outcome.reason_phrase}".strip()


def _is_2xx(outcome: Outcome) -> bool:
    return outcome.status is not None and 200 <= outcome.status < 300


def _first_reason(outcome: Outcome, codes: Sequence[str] = ()) -> Reason:
    reasons = outcome.verdict.reasons
    for reason in reasons:
        if not codes or reason.code in codes:
            return reason
    return reasons[0]


class _Run:
    """One run of the suite: sends, stores and keeps each check's history ids."""

    def __init__(self, options: CheckOptions, client: PrefetchClient, store: Store | None) -> None:
        self.options = options
        self.client = client
        self.store = store
        self.ids: list[int] = []
        self.failed_id: int | None = None

    def begin(self) -> None:
        self.ids = []
        self.failed_id = None

    def request(self, url: str, identity: Identity, launch: Launch | None = None,
                fetch_type: FetchType = FetchType.PRE) -> PrefetchRequest:
        o = self.options
        return PrefetchRequest(url=url, appid=o.appid, identity=identity, launch=launch or o.launch,
                               fetch_type=fetch_type, timestamp_unit=self.client.settings.timestamp_unit,
                               allow_plain_http=o.allow_plain_http)

    async def send(self, request: PrefetchRequest, kind: AddressKind) -> tuple[Outcome, int | None]:
        outcome = await self.client.prefetch(request)
        history_id = await self._store([(outcome, kind)])
        return outcome, history_id[0] if history_id else None

    async def send_many(self, requests: Sequence[PrefetchRequest], kind: AddressKind) -> list[Outcome]:
        outcomes = [await self.client.prefetch(r) for r in requests]
        await self._store([(o, kind) for o in outcomes])
        return outcomes

    async def _store(self, items: Sequence[tuple[Outcome, AddressKind]]) -> list[int]:
        if self.store is None:
            return []
        rows = [(o, Source.CHECK.value, CHECK_USER, kind.value) for o, kind in items]
        ids = await asyncio.to_thread(self.store.add_outcomes, rows)
        self.ids.extend(ids)
        return ids

    def mark_failed(self, history_id: int | None) -> None:
        if self.failed_id is None:
            self.failed_id = history_id

    def result(self, name: str, passed: bool, why: Why, started: float) -> CheckResult:
        focus = self.failed_id if not passed and self.failed_id is not None else (self.ids[0] if self.ids else None)
        return CheckResult(name, passed, why, tuple(self.ids), focus, duration_s=round(time.perf_counter() - started,
                                                                                      3))

    # -- steps shared by several checks ---------------------------------------------------------

    async def refusal(self, url: str, identity: Identity, who: str, kind: AddressKind,
                      fetch_type: FetchType = FetchType.PRE) -> Why | None:
        """None when the server refused (non-2xx); otherwise why that is a failure."""
        why, _ = await self.refusal_outcome(url, identity, who, kind, fetch_type)
        return why

    async def refusal_outcome(self, url: str, identity: Identity, who: str, kind: AddressKind,
                              fetch_type: FetchType = FetchType.PRE) -> tuple[Why | None, Outcome]:
        outcome, hid = await self.send(self.request(url, identity, fetch_type=fetch_type), kind)
        if outcome.status is None:
            self.mark_failed(hid)
            return Why.of("refused_no_response", who=who, reason=outcome.verdict.reasons[0]), outcome
        if _is_2xx(outcome):
            self.mark_failed(hid)
            return Why.of("refused_bad", who=who, status=_status_text(outcome),
                          size=_size(outcome.body_size)), outcome
        return None, outcome

    async def cached_launch(self, url: str, kind: AddressKind) -> Why | None:
        outcome, hid = await self.send(self.request(url, Identity(token=self.options.token)), kind)
        if outcome.verdict.cached:
            return None
        self.mark_failed(hid)
        return Why.of("launch_bad", reason=_first_reason(outcome))


def invalid_token() -> str:
    """A token no server issued (random, so a server cannot special-case it)."""
    return "prepull-check-invalid-" + secrets.token_hex(12)


async def _launch_checks(run: _Run) -> list[CheckResult]:
    """status, body_size and utf8: three judgements of one typical launch (P11-P13)."""
    o, settings = run.options, run.client.settings
    started = time.perf_counter()
    run.begin()
    outcome, hid = await run.send(run.request(o.url, Identity(token=o.token)), AddressKind.MAIN)
    codes = {r.code for r in outcome.verdict.reasons}
    if outcome.status is None:
        run.mark_failed(hid)
        no = Why.of("no_response", reason=outcome.verdict.reasons[0])
        return [run.result("status", False, Why.of("status_bad", reason=outcome.verdict.reasons[0]), started),
                run.result("body_size", False, no, started), run.result("utf8", False, no, started)]
    if _is_2xx(outcome):
        status = run.result("status", True, Why.of("status_ok", status=_status_text(outcome)), started)
    else:
        run.mark_failed(hid)
        why = (Why.of("status_refused", status=_status_text(outcome)) if outcome.status in (401, 403)
               else Why.of("status_bad", reason=_first_reason(outcome, ("status", "redirect"))))
        status = run.result("status", False, why, started)
    run.failed_id = hid if "too_large" in codes else None
    size = run.result("body_size", "too_large" not in codes,
                      Why.of("size_bad", reason=_first_reason(outcome, ("too_large",))) if "too_large" in codes
                      else Why.of("size_ok", size=_size(outcome.body_size), limit=_size(settings.max_body_bytes)),
                      started)
    run.failed_id = hid if "not_utf8" in codes else None
    utf8 = run.result("utf8", "not_utf8" not in codes,
                      Why.of("utf8_bad", reason=_first_reason(outcome, ("not_utf8",))) if "not_utf8" in codes
                      else Why.of("utf8_ok"), started)
    return [status, size, utf8]


async def _latency(run: _Run) -> CheckResult:
    o = run.options
    started = time.perf_counter()
    run.begin()
    requests = [run.request(o.url, Identity(token=o.token)) for _ in range(o.requests)]
    outcomes = await run.send_many(requests, AddressKind.MAIN)
    for i, outcome in enumerate(outcomes):
        if outcome.status is None:
            run.mark_failed(run.ids[i] if run.ids else None)
            return run.result("latency", False, Why.of("latency_no_response", i=i + 1, n=o.requests,
                                                       reason=outcome.verdict.reasons[0]), started)
    durations = [outcome.timings.total_ms or 0.0 for outcome in outcomes]
    times = LatencySketch()
    for duration in durations:
        times.add(duration)
    p95 = percentile(times, 95) or 0.0
    shown = (("p95", f"{p95:,.1f}"), ("n", str(o.requests)), ("budget", f"{o.budget_ms:,g}"))
    if p95 <= o.budget_ms:
        return run.result("latency", True, Why("latency_ok", shown), started)
    if run.ids:
        slowest = max(range(len(durations)), key=durations.__getitem__)
        run.mark_failed(run.ids[slowest])
    return run.result("latency", False, Why("latency_bad", shown), started)


async def _scenes(run: _Run) -> CheckResult:
    o = run.options
    started = time.perf_counter()
    run.begin()
    scenes = sorted(SCENES)
    requests = [run.request(o.url, Identity(token=o.token), replace(o.launch, scene=s)) for s in scenes]
    outcomes = await run.send_many(requests, AddressKind.MAIN)
    failed = [i for i, outcome in enumerate(outcomes) if not outcome.verdict.cached]
    if not failed:
        return run.result("scenes", True, Why.of("scenes_ok", n=len(scenes)), started)
    first = failed[0]
    run.mark_failed(run.ids[first] if run.ids else None)
    return run.result("scenes", False, Why.of("scenes_bad", failed=len(failed), n=len(scenes), scene=scenes[first],
                                              reason=_first_reason(outcomes[first])), started)


async def _query(run: _Run) -> CheckResult:
    o = run.options
    started = time.perf_counter()
    run.begin()
    shown = json.dumps(RESERVED_QUERY, ensure_ascii=False)
    outcome, hid = await run.send(run.request(o.url, Identity(token=o.token), replace(o.launch, query=RESERVED_QUERY)),
                                  AddressKind.MAIN)
    if outcome.verdict.cached:
        return run.result("query_encoding", True, Why.of("query_ok", query=shown), started)
    run.mark_failed(hid)
    return run.result("query_encoding", False, Why.of("query_bad", query=shown, reason=_first_reason(outcome)),
                      started)


async def _refusals(run: _Run) -> list[CheckResult]:
    o = run.options
    results = []
    for name, identity, who in (("missing_token", Identity(), "missing"),
                                ("invalid_token", Identity(token=invalid_token()), "invalid")):
        started = time.perf_counter()
        run.begin()
        why, outcome = await run.refusal_outcome(o.url, identity, who, AddressKind.MAIN)
        if why is None:
            results.append(run.result(name, True, Why.of("refused_ok", who=who, status=_status_text(outcome)),
                                      started))
        else:
            results.append(run.result(name, False, why, started))
    return results


async def _code(run: _Run) -> CheckResult:
    o = run.options
    started = time.perf_counter()
    run.begin()
    exchange = o.code_exchange_url
    assert exchange is not None
    http = run.client.http
    try:
        issued = await http.post(exchange, params={"user": CHECK_USER})
        code = issued.json().get("code") if issued.status_code == 200 else None
        error = f"HTTP {issued.status_code}" if issued.status_code != 200 else "no code in the answer"
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        code, error = None, str(exc) or type(exc).__name__
    if not isinstance(code, str) or not code:
        return run.result("code", False, Why.of("code_unavailable", url=exchange, error=error), started)
    outcome, hid = await run.send(run.request(o.url, Identity(code=code)), AddressKind.MAIN)
    if not outcome.verdict.cached:
        run.mark_failed(hid)
        return run.result("code", False, Why.of("code_bad", reason=_first_reason(outcome)), started)
    try:
        again = await http.get(exchange, params={"appid": o.appid, "js_code": code,
                                                 "grant_type": "authorization_code"})
        answer: Any = again.json()
    except (httpx.HTTPError, ValueError) as exc:
        answer = str(exc) or type(exc).__name__
    if isinstance(answer, dict) and answer.get("openid"):
        run.mark_failed(hid)
        return run.result("code", False, Why.of("code_not_redeemed", url=exchange), started)
    if not (isinstance(answer, dict) and answer.get("errcode") == CODE_BEEN_USED):
        run.mark_failed(hid)
        shown = json.dumps(answer, ensure_ascii=False) if isinstance(answer, dict) else answer
        return run.result("code", False, Why.of("code_unconfirmed", url=exchange, answer=shown[:200]), started)
    why = await run.refusal(o.url, Identity(code="prepull-check-made-up-" + secrets.token_hex(5)), "invalid_code",
                            AddressKind.MAIN)
    if why is not None:
        return run.result("code", False, why, started)
    return run.result("code", True, Why.of("code_ok"), started)


async def _gray(run: _Run) -> CheckResult:
    url = run.options.gray_url
    assert url is not None
    started = time.perf_counter()
    run.begin()
    inner = await run.cached_launch(url, AddressKind.GRAY)
    if inner is None:
        inner = await run.refusal(url, Identity(), "missing", AddressKind.GRAY)
    if inner is None:
        inner = await run.refusal(url, Identity(token=invalid_token()), "invalid", AddressKind.GRAY)
    if inner is None:
        return run.result("gray", True, Why.of("gray_ok"), started)
    return run.result("gray", False, Why.of("gray_bad", inner=inner), started)


async def _periodic(run: _Run) -> CheckResult:
    o = run.options
    url = o.periodic_url
    assert url is not None
    started = time.perf_counter()
    run.begin()
    outcome, hid = await run.send(run.request(url, Identity(token=o.token), fetch_type=FetchType.PERIODIC),
                                  AddressKind.PERIODIC)
    inner: Why | None = None
    if not outcome.verdict.cached:
        run.mark_failed(hid)
        inner = Why.of("periodic_not_cached", reason=_first_reason(outcome))
    else:
        inner = await run.refusal(url, Identity(token=invalid_token()), "periodic_invalid", AddressKind.PERIODIC,
                                  FetchType.PERIODIC)
    if inner is None:
        return run.result("periodic", True, Why.of("periodic_ok"), started)
    return run.result("periodic", False, Why.of("periodic_bad", inner=inner), started)


def skipped(name: str) -> CheckResult:
    """A check that needs an address that was not given."""
    return CheckResult(name, True, Why.of(f"{name}_skipped"), skipped=True)


async def run_checks(
    options: CheckOptions,
    client: PrefetchClient | None = None,
    *,
    store: Store | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Run every check in order, one request at a time (polite to the server, and timings are
    not skewed by our own concurrency). ``on_result`` hears each result as it is decided.

    Without a ``client`` one is made from ``options.settings``; a given client judges with its own
    settings. With a ``store`` every request goes to the history (source "check").
    """
    own = client is None
    client = client or PrefetchClient(options.settings)
    run = _Run(options, client, store)
    results: list[CheckResult] = []

    def add(batch: Sequence[CheckResult]) -> None:
        for result in batch:
            results.append(result)
            if on_result is not None:
                on_result(result)

    try:
        add(await _launch_checks(run))
        add([await _latency(run)])
        add([await _scenes(run)])
        add([await _query(run)])
        add(await _refusals(run))
        add([await _code(run) if options.code_exchange_url else skipped("code")])
        add([await _gray(run) if options.gray_url else skipped("gray")])
        add([await _periodic(run) if options.periodic_url else skipped("periodic")])
    finally:
        if own:
            await client.aclose()
    return results


def all_passed(results: Sequence[CheckResult]) -> bool:
    return all(r.passed for r in results)


def junit_xml(results: Sequence[CheckResult], options: CheckOptions, *, timestamp: float | None = None) -> str:
    """The results as JUnit XML, the report format GitHub Actions, GitLab and Jenkins display.

    One <testcase> per check (classname ``prepull-workbench.check``); a failed check holds a
    <failure> whose message is its sentence, a check not run a <skipped>. No token or code is
    written: the properties name only the addresses and the appid.
    """
    import xml.etree.ElementTree as ET

    failures = sum(not r.passed for r in results)
    skipped_count = sum(r.skipped for r in results)
    total_time = f"{sum(r.duration_s for r in results):.3f}"
    counts = {"tests": str(len(results)), "failures": str(failures), "errors": "0", "skipped": str(skipped_count),
              "time": total_time}
    root = ET.Element("testsuites", {"name": "prepull-workbench check", **counts})
    when = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() if timestamp is None else timestamp))
    suite = ET.SubElement(root, "testsuite", {"name": f"prepull-workbench check {options.url}", **counts,
                                              "timestamp": when})
    properties = ET.SubElement(suite, "properties")
    for name in ("url", "appid", "gray_url", "periodic_url", "code_exchange_url", "requests", "budget_ms"):
        value = getattr(options, name)
        if value is not None:
            ET.SubElement(properties, "property", {"name": name, "value": str(value)})
    for r in results:
        case = ET.SubElement(suite, "testcase", {"classname": "prepull-workbench.check", "name": r.name,
                                                 "time": f"{r.duration_s:.3f}"})
        where = f"\nHistory entry #{r.focus_id} holds the request." if r.focus_id is not None else ""
        if r.skipped:
            ET.SubElement(case, "skipped", {"message": r.detail})
        elif not r.passed:
            failure = ET.SubElement(case, "failure", {"message": r.detail, "type": "CheckFailed"})
            failure.text = f"{r.title}: {r.detail}{where}"
        else:
            ET.SubElement(case, "system-out").text = r.detail
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
