"""The mock developer server: pre-pull endpoints, code2session, token checks, rules and faults.

Everything it holds (config, users, rules) is plain data that the UI edits while it runs: each
request reads the current values, so an edit applies to the very next request.

It serves in the loop that starts it (the CLI's ``serve``), or, with ``own_thread``, in a plain
asyncio loop in a thread of its own (the GUI: its requests then never wait for the UI's loop).
Either way, listeners are called on the loop that started it: from its own thread, logged
requests are handed over in batches, at most every :data:`LOG_HANDOVER_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import itertools
import json
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationError

from workbench.core.errors import InvalidInput
from workbench.core.login import LoginAuthority, LoginError
from workbench.core.protocol import generate_code, is_loopback_host, parse_query, parse_scene, scene_meaning
from workbench.core.redact import Hide, Redactor, mask_secret
from workbench.mockserver import SAMPLE_USERS
from workbench.mockserver.rules import (
    BODYLESS_STATUSES,
    MAX_DELAY_MS,
    MAX_TARGET_BYTES,
    BodyTooLarge,
    Endpoint,
    Fault,
    MatchInput,
    Rule,
    RuleSet,
    TokenState,
    render_bytes,
    template_names,
)
from workbench.mockserver.runner import REQUEST_READ_TIMEOUT_S, LoopThread, ServerRunner

if TYPE_CHECKING:  # starlette is imported when the server first answers, not at the app's start-up
    from starlette.responses import JSONResponse, Response

#: How much of each response body a log record keeps for the detail pane.
LOG_BODY_CAP = 256 * 1024
#: Token prefix of simulated users (core/rollout.py).
SIM_TOKEN_PREFIX = "sim-token-"
#: How long a stalled response holds its connection at most (as long as the longest delay).
STALL_LIMIT_S = MAX_DELAY_MS / 1000
#: How long stopping waits for requests in flight to end by themselves before cancelling them.
STOP_GRACE_S = 1.0
#: A server in its own thread hands logged requests to the starting loop at most this often
#: (one wake-up of that loop per batch, not one per request).
LOG_HANDOVER_S = 0.05


@functools.cache
def _responses() -> tuple[type[JSONResponse], type[Response]]:
    """Starlette's response classes, imported once, when the server first answers.

    Not by an ``import`` statement per request: in the app's process PySide6 replaces
    ``__import__`` with a hook of its own, and every such statement costs about 2 µs there.
    """
    from starlette.responses import JSONResponse, Response

    return JSONResponse, Response


def _json(content: Any, status_code: int = 200) -> Response:
    return _responses()[0](content, status_code=status_code)


def _response(body: bytes | str, status_code: int, media_type: str | None = None) -> Response:
    return _responses()[1](body, status_code=status_code, media_type=media_type)


@dataclass(slots=True)
class MockUser:
    name: str
    token: str = ""
    openid: str = ""

    def __post_init__(self) -> None:
        if not self.openid:
            digest = hashlib.sha256(f"openid:{self.name}".encode()).hexdigest()
            self.openid = "o" + digest[:27]


@dataclass(slots=True)
class MockConfig:
    main_path: str = "/prefetch"
    gray_path: str = "/prefetch/gray"
    periodic_path: str = "/periodic"
    code2session_path: str = "/sns/jscode2session"
    #: checkSessionKey (P6): answered when the server has the workspace's login authority
    checksession_path: str = "/wxa/checksession"
    #: Check tokens and codes as a real server does; failures get the auth response below.
    token_check: bool = True
    auth_status: int = 401
    auth_body: str = '{"errcode": 40001, "errmsg": "invalid token or code"}'
    users: list[MockUser] = field(default_factory=lambda: [MockUser(name, token) for name, token in SAMPLE_USERS])
    #: Tokens of the traffic simulator's users ("sim-token-<openid>") are valid too.
    accept_simulated_tokens: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"main_path": self.main_path, "gray_path": self.gray_path, "periodic_path": self.periodic_path,
                "code2session_path": self.code2session_path, "checksession_path": self.checksession_path,
                "token_check": self.token_check,
                "auth_status": self.auth_status, "auth_body": self.auth_body,
                "accept_simulated_tokens": self.accept_simulated_tokens,
                "users": [{"name": u.name, "token": u.token, "openid": u.openid} for u in self.users]}

    @classmethod
    def from_json(cls, d: Any) -> MockConfig:
        """Settings from their JSON form (what :meth:`to_json` gives), validated as strictly as rules."""
        try:
            schema = _MockConfigSchema.model_validate(d)
        except ValidationError as exc:
            raise InvalidInput(_settings_error(exc, d)) from None
        values = schema.model_dump(exclude_unset=True)
        if "users" in values:
            values["users"] = [MockUser(u["name"], u.get("token", ""), u.get("openid", "")) for u in values["users"]]
        return cls(**values)

    def endpoint_for(self, path: str) -> str | None:
        for endpoint, p in ((Endpoint.MAIN, self.main_path), (Endpoint.GRAY, self.gray_path),
                            (Endpoint.PERIODIC, self.periodic_path)):
            if path == p:
                return endpoint.value
        if path == self.code2session_path:
            return "code2session"
        if path == self.checksession_path:
            return "checksession"
        return None

    def user_by_token(self, token: str) -> MockUser | None:
        user = next((u for u in self.users if u.token and u.token == token), None)
        if user is None and self.accept_simulated_tokens and token.startswith(SIM_TOKEN_PREFIX):
            openid = token[len(SIM_TOKEN_PREFIX):]
            user = MockUser(openid, token, openid)
        return user

    def user_by_name(self, name: str) -> MockUser | None:
        return next((u for u in self.users if u.name == name), None)


_Line = Annotated[str, StringConstraints(strict=True, max_length=1024, pattern=r"^[^\x00-\x1f\x7f]*$")]
_EndpointPath = Annotated[str, StringConstraints(strict=True, max_length=1024, pattern=r"^/[^\x00-\x1f\x7f]*$")]


class _MockUserSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[_Line, StringConstraints(min_length=1)]
    token: _Line = ""
    openid: _Line = ""


class _MockConfigSchema(BaseModel):
    """What MockConfig.from_json accepts: the auth response is sent as it is, so it is checked
    like a rule's (a final status; 204 and 304 have no body)."""

    model_config = ConfigDict(extra="forbid")

    main_path: _EndpointPath = "/prefetch"
    gray_path: _EndpointPath = "/prefetch/gray"
    periodic_path: _EndpointPath = "/periodic"
    code2session_path: _EndpointPath = "/sns/jscode2session"
    checksession_path: _EndpointPath = "/wxa/checksession"
    token_check: Annotated[bool, Strict()] = True
    auth_status: Annotated[int, Strict(), Field(ge=200, le=599)] = 401
    auth_body: Annotated[str, StringConstraints(strict=True, max_length=1024 * 1024)] = ""
    users: Annotated[list[_MockUserSchema], Strict(), Field(max_length=100_000)] = Field(default_factory=list)
    accept_simulated_tokens: Annotated[bool, Strict()] = True


_SETTING_HELP = {
    "token_check": "must be true or false",
    "accept_simulated_tokens": "must be true or false",
    "auth_status": "must be a whole number from 200 to 599 (a final HTTP status)",
    "auth_body": "must be text of at most 1,048,576 characters",
    "users": 'must be a list of {"name": ..., "token": ..., "openid": ...} objects',
}


def _settings_error(exc: ValidationError, data: Any) -> str:
    """One sentence for mock server settings that do not validate."""
    err = exc.errors(include_url=False)[0]
    loc = [str(part) for part in err["loc"]]
    shown = json.dumps(err["input"], ensure_ascii=False, default=repr)
    shown = (shown if len(shown) <= 60 else shown[:57] + "...").encode("utf-8", "backslashreplace").decode()
    if not loc:
        return f"The mock server settings must be an object of named settings, not {shown}."
    if err["type"] == "extra_forbidden":
        where = "user setting" if loc[0] == "users" else "setting"
        return f"{json.dumps(loc[-1], ensure_ascii=False)} is not a mock server {where}."
    if loc[0] == "users" and len(loc) >= 3:
        return (f"Mock server user {int(loc[1]) + 1}: the {loc[2]} must be one line of text"
                f"{' (not empty)' if loc[2] == 'name' else ''}, not {shown}.")
    if loc[0].endswith("_path"):
        return f"The mock server's {loc[0]} must be one line of text starting with /, not {shown}."
    return f"The mock server's {loc[0]} {_SETTING_HELP.get(loc[0], 'is not valid')}, not {shown}."


class CodeRegistry:
    """Login codes the workbench issued, each exchangeable once (P4, P6).

    Exchanging a code gives the user's stable openid and a new session_key: the previous
    session_key stops being valid, as WeChat's login state refresh does.
    """

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}
        self._used: set[str] = set()
        self.session_keys: dict[str, str] = {}

    def issue(self, user: str) -> str:
        code = generate_code()
        self._codes[code] = user
        return code

    def exchange(self, code: str) -> tuple[str | None, str]:
        """(user, error): user is None with the WeChat-style error when the code is unusable."""
        if code in self._used:
            return None, "code been used"
        user = self._codes.pop(code, None)
        if user is None:
            return None, "invalid code"
        self._used.add(code)
        self.session_keys[user] = secrets.token_urlsafe(18)
        return user, ""


@dataclass(slots=True)
class RequestLog:
    """One request the mock server answered, as the live log shows it."""

    id: int
    time_ms: int
    endpoint: str
    method: str
    target: str
    params: list[tuple[str, str]]
    user: str
    openid: str
    token_state: str
    rule: str
    status: int
    size: int
    latency_ms: float
    fault: str
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    response_body: bytes

    @property
    def param(self) -> dict[str, str]:
        return dict(self.params)

    @property
    def scene_text(self) -> str:
        raw = self.param.get("scene", "")
        try:
            meaning = scene_meaning(parse_scene(raw))
        except ValueError:
            meaning = ""
        return f"{raw} ({meaning})" if meaning else raw


class _Drop(Exception):
    """Raised to close the connection without a response."""


def _abort(send: Any) -> bool:
    """Close the client's connection at once. Works under uvicorn; False under other servers.

    The request cycle is marked disconnected as well, so uvicorn does not report the missing or
    unfinished response (a fault is the configured answer, not an error).
    """
    cycle: Any = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    transport.abort()
    cycle.disconnected = True
    return True


class MockServer:
    """The mock developer server: an ASGI app (``self.app``) and its in-loop uvicorn runner."""

    def __init__(self, config: MockConfig | None = None, rules: RuleSet | None = None, *,
                 host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None,
                 login: LoginAuthority | None = None,
                 read_timeout_s: float = REQUEST_READ_TIMEOUT_S, own_thread: bool = False) -> None:
        self.config = config or MockConfig()
        self.rules = rules or RuleSet()
        self.codes = CodeRegistry()
        #: The workspace's login authority: codes any process on the workspace issued are
        #: redeemed here once (P4) and sessions rotate across processes (P6). Without one, codes
        #: live in this process only (a mock started for one traffic run).
        self.login = login
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        #: a client has this long to send a whole request (slow-drip connections are closed)
        self.read_timeout_s = read_timeout_s
        #: serve in a plain asyncio loop in a thread of its own (see the module's docstring)
        self.own_thread = own_thread
        #: called with each answered request, on the loop that started the server
        self.listeners: list[Callable[[RequestLog], None]] = []
        self._ids = itertools.count(1)
        self._runner: ServerRunner | None = None
        self._closing = asyncio.Event()
        self._thread: LoopThread | None = None
        #: a server thread being stopped and ended (see :meth:`_end`)
        self._ending: asyncio.Future[None] | None = None
        #: starts and stops one at a time (see :meth:`_one_at_a_time`)
        self._lifecycle: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        #: the loop that started a server in its own thread (listeners run there)
        self._owner: asyncio.AbstractEventLoop | None = None
        self._outbox: list[RequestLog] = []
        self._handover: asyncio.TimerHandle | None = None

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._runner is not None and self._runner.running

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def base_url(self) -> str:
        if self._runner is None:
            raise RuntimeError("the mock server is not running")
        return self._runner.url

    def url(self, endpoint: str = Endpoint.MAIN) -> str:
        path = {Endpoint.MAIN: self.config.main_path, Endpoint.GRAY: self.config.gray_path,
                Endpoint.PERIODIC: self.config.periodic_path}[Endpoint(endpoint)]
        return self.base_url + path

    def _one_at_a_time(self) -> asyncio.Lock:
        """The lock that makes starts and stops wait for each other: overlapping, each could make
        a server thread of its own, and all but the last would be left running, holding their
        ports, with nobody to stop them (the app's autostart and a click on Start, together)."""
        loop = asyncio.get_running_loop()
        if self._lifecycle is None or self._lifecycle[0] is not loop:
            self._lifecycle = (loop, asyncio.Lock())
        return self._lifecycle[1]

    async def start(self) -> str:
        """Start serving; the base URL once it accepts connections (ServerStartError if it cannot).
        A start while another start or a stop is under way waits for it first."""
        async with self._one_at_a_time():
            await self._ended()
            if self.running:
                return self.base_url
            if not self.own_thread:
                return await self._start_here()
            thread = LoopThread("mock server")
            self._thread, self._owner = thread, asyncio.get_running_loop()
            try:
                return await thread.run(self._start_here())
            except BaseException:
                # failed, or cancelled (maybe after the server started there): stopped and ended
                with contextlib.suppress(Exception):  # the first failure is the one to report
                    await asyncio.shield(self._end(thread))
                raise

    async def _start_here(self) -> str:
        self._closing = asyncio.Event()
        runner = ServerRunner(self.app, self.host, self.port, self.ssl_context, read_timeout_s=self.read_timeout_s)
        self._runner = runner
        try:
            return await runner.start()
        except BaseException:
            if self._runner is runner:
                self._runner = None
            raise

    async def stop(self) -> None:
        """Stop serving. Delayed and stalled requests end at once, quietly: their connections close.
        Every request answered before is handed to the listeners before this returns. A stop
        while a start is under way waits for it, then stops what it started."""
        async with self._one_at_a_time():
            thread = self._thread
            if thread is None:
                if self.own_thread:
                    await self._ended()
                else:
                    await self._stop_here()
                return
            await asyncio.shield(self._end(thread))

    def _end(self, thread: LoopThread) -> asyncio.Future[None]:
        """Stop the server in ``thread`` and end the thread, in a task of its own: cancelling
        whoever waits for it does not leave a half-stopped server holding its port."""
        self._thread = None
        ending = asyncio.ensure_future(self._end_thread(thread))
        self._ending = ending

        def forget(done: asyncio.Future[None]) -> None:
            if self._ending is done:
                self._ending = None
            if not done.cancelled():
                done.exception()  # (raised to whoever waits; never "never retrieved")

        ending.add_done_callback(forget)
        return ending

    async def _end_thread(self, thread: LoopThread) -> None:
        try:
            last = await thread.run(self._stop_here())
        finally:
            await thread.aclose()  # (the thread's end waited for off this loop's thread)
        self._deliver(last)

    async def _ended(self) -> None:
        """Wait for a server thread being ended (a stop or start whose caller stopped waiting)."""
        if self._ending is not None:
            with contextlib.suppress(Exception):  # said to the stop that began it
                await asyncio.shield(self._ending)

    async def _stop_here(self) -> list[RequestLog]:
        self._closing.set()
        runner = self._runner
        if runner is not None:
            runner.abort_connections()
            inflight = runner.requests_in_flight()
            if inflight:
                await asyncio.wait(inflight, timeout=STOP_GRACE_S)
            await runner.stop()
        self._runner = None
        if self._handover is not None:
            self._handover.cancel()
            self._handover = None
        last, self._outbox = self._outbox, []
        return last

    def requests_in_flight(self) -> list[asyncio.Task[None]]:
        """The requests being answered (by the server's own loop)."""
        return self._runner.requests_in_flight() if self._runner is not None else []

    def _logged(self, record: RequestLog) -> None:
        """A request was answered: to the listeners now (same loop) or in the next handover."""
        running = asyncio.get_running_loop()
        if self._owner is None or running is self._owner:
            self._deliver([record])
            return
        # In the server's thread, stopping included (a stalled request ends as the server stops):
        # never call the listeners from here, they belong to the starting loop (a Qt timer, say).
        self._outbox.append(record)
        if self._handover is None and not self._closing.is_set():
            self._handover = running.call_later(LOG_HANDOVER_S, self._hand_over)

    def _hand_over(self) -> None:
        """(In the server's thread.) The batch goes to the starting loop, in one wake-up."""
        self._handover = None
        batch, self._outbox = self._outbox, []
        owner = self._owner
        if batch and owner is not None and not owner.is_closed():
            with contextlib.suppress(RuntimeError):  # that loop closed meanwhile: nobody listens
                owner.call_soon_threadsafe(self._deliver, batch)

    def _deliver(self, batch: list[RequestLog]) -> None:
        for record in batch:
            for listener in list(self.listeners):
                listener(record)

    # -- ASGI ----------------------------------------------------------------------------

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        try:
            await self._handle(scope, receive, send)
        except _Drop:
            if not _abort(send):
                raise ConnectionAbortedError("the mock server dropped the connection") from None
        except asyncio.CancelledError:
            if not self._closing.is_set():
                raise
            _abort(send)  # stopping: the request ends with its connection, nothing to report

    async def _closing_within(self, seconds: float) -> bool:
        """Wait ``seconds``; True at once if the server is stopping meanwhile."""
        if seconds <= 0:
            return self._closing.is_set()
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        # The request is read from the scope as it is: HTTP/1.1 allows only ASCII in the target.
        path = scope["path"]
        query_bytes = scope.get("query_string", b"")
        raw_query = query_bytes.decode("latin-1")
        target_size = len(scope.get("raw_path") or path.encode("utf-8")) + len(query_bytes)
        too_long = target_size > MAX_TARGET_BYTES
        params = [] if too_long else parse_query(raw_query)
        param = dict(params)
        endpoint = None if too_long else self.config.endpoint_for(path)
        user, token_state = (None, TokenState.MISSING.value) if too_long else self._identify(endpoint, param)
        rule: Rule | None = None
        fault = Fault.NONE.value

        if too_long:
            response = _json(
                {"error": f"the request target is {target_size:,} bytes; the mock server answers targets of up "
                          f"to {MAX_TARGET_BYTES:,} bytes"}, status_code=414)
            rule_name = "(target too long)"
            raw_query = raw_query[:200] + "..."
        elif endpoint is None:
            known = [self.config.main_path, self.config.gray_path, self.config.periodic_path,
                     self.config.code2session_path]
            response = _json(
                {"error": f"no mock endpoint at {path}", "endpoints": known}, status_code=404)
            rule_name = "(no endpoint)"
        elif endpoint == "code2session":
            if scope.get("method") == "POST":
                response = self._issue(param)
                rule_name = "(issue code)"
            else:
                response = self._code2session(param)
                rule_name = "(code2session)"
        elif endpoint == "checksession":
            response = self._checksession(param)
            rule_name = "(checksession)"
        else:
            launch_query = _query_pairs(param.get("query", ""))
            match = MatchInput(endpoint=endpoint, path=param.get("path", ""), query_fields=dict(launch_query),
                               scene=_int_or_none(param.get("scene")), token_state=token_state,
                               user=user.name if user else "")
            if self.config.token_check and token_state != TokenState.VALID:
                rule = self.rules.explicitly_matches_token_state(match)
                if rule is None:
                    status = self.config.auth_status
                    # HTTP sends no body with 204 and 304, whatever the settings say
                    response = _response(b"" if status in BODYLESS_STATUSES else self.config.auth_body,
                                         status, "application/json")
                    rule_name = f"(token check: {token_state})"
            else:
                rule = self.rules.match(match)
            if rule is not None:
                rule_name = rule.name
                fault = rule.fault
                try:
                    response = self._respond(rule, param, user, launch_query)
                except BodyTooLarge as exc:
                    # Unreachable for rules that validated (their largest body is checked at load),
                    # kept so that no template can ever cost unbounded memory: say so, do not crash.
                    response = _response(f"Rule {rule.name!r}: {exc}", 500, "text/plain")
                    fault = Fault.NONE.value
                if rule.delay_ms and await self._closing_within(rule.delay_ms / 1000):
                    raise _Drop

        body = bytes(response.body)
        record = RequestLog(
            id=next(self._ids), time_ms=int(time.time() * 1000), endpoint=endpoint or "unknown",
            method=scope["method"], target=path + (f"?{raw_query}" if raw_query else ""),
            params=params, user=user.name if user else "", openid=user.openid if user else "",
            token_state=token_state, rule=rule_name, status=response.status_code, size=len(body),
            latency_ms=0.0, fault=fault,
            request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            response_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers],
            response_body=body[:LOG_BODY_CAP])
        try:
            await self._send(response, body, fault, send)
        finally:
            record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
            self._logged(record)

    async def _send(self, response: Response, body: bytes, fault: str, send: Any) -> None:
        if fault == Fault.DROP:
            raise _Drop
        if fault == Fault.NONE:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": response.raw_headers})
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
        if fault == Fault.TRUNCATE:
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
            raise _Drop
        # STALL: headers sent, body never comes; release the connection when the server stops.
        await self._closing_within(STALL_LIMIT_S)
        raise _Drop

    def _identify(self, endpoint: str | None, param: dict[str, str]) -> tuple[MockUser | None, str]:
        """Check the token or code as a developer server would (P4, P6)."""
        if "token" in param:
            user = self.config.user_by_token(param["token"])
            return user, TokenState.VALID if user else TokenState.INVALID
        if "code" in param and endpoint != Endpoint.PERIODIC:
            name, _ = self._exchange(param["code"])
            # a code the workbench issued always belongs to a user: configured or simulated (with
            # the workspace's authority, the openid code2session reports for that user)
            fallback = MockUser(name or "") if self.login is not None else MockUser(name or "", "", name or "")
            user = (self.config.user_by_name(name) or fallback) if name else None
            return user, TokenState.VALID if user else TokenState.INVALID
        return None, TokenState.MISSING

    def _code2session(self, param: dict[str, str]) -> Response:
        """A mock of auth.code2Session: stable openid, a session_key that rotates per code (P6)."""
        if self.login is not None:
            try:
                session = self.login.exchange(param.get("js_code", ""))
            except LoginError as exc:
                return _json({"errcode": exc.errcode, "errmsg": exc.errmsg})
            return _json({"openid": session.openid, "session_key": session.session_key})
        name, error = self.codes.exchange(param.get("js_code", ""))
        user = (self.config.user_by_name(name) or MockUser(name, "", name)) if name else None
        if user is None:
            errcode = 40163 if error == "code been used" else 40029
            return _json({"errcode": errcode, "errmsg": error or "invalid code"})
        return _json({"openid": user.openid, "session_key": self.session_key(user.name)})

    def _exchange(self, code: str) -> tuple[str | None, str]:
        """(user, error) for a login code: through the workspace's authority when there is one."""
        if self.login is None:
            return self.codes.exchange(code)
        try:
            return self.login.exchange(code).user, ""
        except LoginError as exc:
            return None, exc.errmsg

    def _checksession(self, param: dict[str, str]) -> Response:
        """A mock of checkSessionKey (P6): errcode 0 for the current session_key, 87009 otherwise."""
        if self.login is None:
            return _json({"errcode": -1, "errmsg": "checksession needs the workspace's login state"},
                         status_code=501)
        check = self.login.check_signature(param.get("openid", ""), param.get("signature", ""),
                                           param.get("sig_method", "hmac_sha256"))
        return _json(check.to_json())

    def session_key(self, user: str) -> str | None:
        """The user's current session_key (rotated by each redeemed code, P6), if any."""
        if self.login is not None:
            return self.login.current_session_key(user)
        return self.codes.session_keys.get(user)

    def _issue(self, param: dict[str, str]) -> Response:
        """POST to the code2session address: a fresh login code for ``user`` (default "check").

        WeChat issues real codes on the phone; this stands in for it so that a process outside
        the workbench (``prepull-workbench check --code-exchange``) can get a code this server redeems.
        """
        user = param.get("user", "") or "check"
        return _json({"code": self.issue_code(user), "user": user})

    def _respond(self, rule: Rule, param: dict[str, str], user: MockUser | None,
                 launch_query: tuple[tuple[str, str], ...] | None = None) -> Response:
        body = render_bytes(rule.body, self._template_values(rule.body, param, user, launch_query))
        response = _response(body, rule.status)
        # the rule validated: names are HTTP tokens, values Latin-1 without CR/LF, no framing headers
        framing = [] if rule.status in BODYLESS_STATUSES else [(b"content-length", str(len(body)).encode())]
        response.raw_headers = framing + [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in rule.headers]
        return response

    @staticmethod
    def _template_values(template: str, param: dict[str, str], user: MockUser | None,
                         launch_query: tuple[tuple[str, str], ...] | None) -> dict[str, str]:
        """The values of the placeholders ``template`` names (rules.PLACEHOLDERS), from the request:
        only those, as a body is rendered for every request and most name a few."""
        values: dict[str, str] = {}
        fields: dict[str, str] | None = None
        for name in template_names(template):
            if name in _PARAM_OF:
                values[name] = param.get(_PARAM_OF[name], "")
            elif name == "scene_meaning":
                values[name] = scene_meaning(_int_or_none(param.get("scene", "")))
            elif name == "now":
                values[name] = str(int(time.time() * 1000))
            elif name == "openid":
                values[name] = user.openid if user else ""
            elif name == "user":
                values[name] = user.name if user else ""
            elif name.startswith("query."):
                if fields is None:
                    fields = dict(launch_query if launch_query is not None else _query_pairs(param.get("query", "")))
                values[name] = fields.get(name[len("query."):], "")
        return values

    def issue_code(self, user: str) -> str:
        """A login code for a simulated user, exchangeable once (the composer's "generate code")."""
        return self.login.issue_code(user) if self.login is not None else self.codes.issue(user)

    def issue_codes(self, users: list[str]) -> list[str]:
        """A login code for each of ``users`` at once (a traffic run's window of users; blocking
        when the workspace's login state is used: call it from a thread)."""
        if self.login is not None:
            return self.login.issue_codes(users)
        return [self.codes.issue(user) for user in users]


#: Placeholders filled with a request parameter as it is (the others: _template_values).
_PARAM_OF = {"appid": "appid", "path": "path", "query": "query", "scene": "scene",
             "version": "customMiniprogramVersion", "timestamp": "timestamp"}


@functools.lru_cache(maxsize=1024)
def _query_pairs(query: str) -> tuple[tuple[str, str], ...]:
    """The fields of a launch's query (the ``query`` parameter, decoded once more), remembered:
    a page is launched with the same query many times, and rules and templates both read it."""
    return tuple(parse_query(query))


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def log_redactor(record: RequestLog, hide: Hide = mask_secret) -> Redactor:
    """The redactor of one logged request: its token, code, js_code, the session_key it was
    given, and anything its URL, headers and body reveal (core/redact.py)."""
    return Redactor.scanning([record.response_body.decode("utf-8", "surrogateescape")], urls=[record.target],
                             params=record.params, headers=[*record.request_headers, *record.response_headers],
                             hide=hide)


def dump_log(record: RequestLog) -> str:
    """One line per request, as `serve` prints it (every secret masked)."""
    p = dict(record.params)
    who = ""
    if "token" in p:
        who = f"token={mask_secret(p['token'])}"
    elif "code" in p:
        who = f"code={mask_secret(p['code'])}"
    fields = [time.strftime("%H:%M:%S", time.localtime(record.time_ms / 1000)), record.endpoint,
              str(record.status), f"{record.size}B", f"{record.latency_ms:.1f}ms", f"rule={record.rule}"]
    for key in ("path", "query", "scene"):
        if p.get(key):
            fields.append(f"{key}={json.dumps(p[key], ensure_ascii=False)}")
    if who:
        fields.append(who)
    if record.user:
        fields.append(f"user={record.user}")
    if record.fault != Fault.NONE:
        fields.append(f"fault={record.fault}")
    return log_redactor(record).text(" ".join(fields))
