"""The mock developer server: pre-pull endpoints, code2session, token checks, rules and faults.

Everything it holds (config, users, rules) is plain data that the UI edits while it runs: each
request reads the current values, so an edit applies to the very next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from workbench.core.errors import InvalidInput
from workbench.core.protocol import generate_code, is_loopback_host, parse_scene, scene_meaning
from workbench.mockserver.rules import Endpoint, Fault, MatchInput, Rule, RuleSet, TokenState, render
from workbench.mockserver.runner import ServerRunner

if TYPE_CHECKING:  # starlette is imported when the server first answers, not at the app's start-up
    from starlette.responses import Response

#: How much of each response body a log record keeps for the detail pane.
LOG_BODY_CAP = 256 * 1024
#: Token prefix of simulated users (core/rollout.py).
SIM_TOKEN_PREFIX = "sim-token-"
#: How long a stalled response holds its connection at most.
STALL_LIMIT_S = 3600.0


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
    #: Check tokens and codes as a real server does; failures get the auth response below.
    token_check: bool = True
    auth_status: int = 401
    auth_body: str = '{"errcode": 40001, "errmsg": "invalid token or code"}'
    users: list[MockUser] = field(default_factory=lambda: [MockUser("alice", "token-alice"),
                                                           MockUser("bob", "token-bob")])
    #: Tokens of the traffic simulator's users ("sim-token-<openid>") are valid too.
    accept_simulated_tokens: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"main_path": self.main_path, "gray_path": self.gray_path, "periodic_path": self.periodic_path,
                "code2session_path": self.code2session_path, "token_check": self.token_check,
                "auth_status": self.auth_status, "auth_body": self.auth_body,
                "accept_simulated_tokens": self.accept_simulated_tokens,
                "users": [{"name": u.name, "token": u.token, "openid": u.openid} for u in self.users]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> MockConfig:
        if not isinstance(d, dict):
            raise InvalidInput("The mock server settings must be a JSON object.")
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(d) - known
        if unknown:
            raise InvalidInput(f"Unknown mock server setting(s): {', '.join(sorted(unknown))}.")
        values = dict(d)
        try:
            if "users" in values:
                values["users"] = [MockUser(str(u["name"]), str(u.get("token", "")), str(u.get("openid", "")))
                                   for u in values["users"]]
            return cls(**values)
        except (TypeError, KeyError) as exc:
            raise InvalidInput(f"The mock server settings are malformed ({exc}).") from None

    def endpoint_for(self, path: str) -> str | None:
        for endpoint, p in ((Endpoint.MAIN, self.main_path), (Endpoint.GRAY, self.gray_path),
                            (Endpoint.PERIODIC, self.periodic_path)):
            if path == p:
                return endpoint.value
        if path == self.code2session_path:
            return "code2session"
        return None

    def user_by_token(self, token: str) -> MockUser | None:
        user = next((u for u in self.users if u.token and u.token == token), None)
        if user is None and self.accept_simulated_tokens and token.startswith(SIM_TOKEN_PREFIX):
            openid = token[len(SIM_TOKEN_PREFIX):]
            user = MockUser(openid, token, openid)
        return user

    def user_by_name(self, name: str) -> MockUser | None:
        return next((u for u in self.users if u.name == name), None)


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
    """Close the client's connection at once. Works under uvicorn; False under other servers."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        return False
    transport.abort()
    return True


class MockServer:
    """The mock developer server: an ASGI app (``self.app``) and its in-loop uvicorn runner."""

    def __init__(self, config: MockConfig | None = None, rules: RuleSet | None = None, *,
                 host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None) -> None:
        self.config = config or MockConfig()
        self.rules = rules or RuleSet()
        self.codes = CodeRegistry()
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self.listeners: list[Callable[[RequestLog], None]] = []
        self._ids = itertools.count(1)
        self._runner: ServerRunner | None = None
        self._closing = asyncio.Event()

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
                Endpoint.PERIODIC: self.config.periodic_path}.get(Endpoint(endpoint))
        return self.base_url + path

    async def start(self) -> str:
        if self.running:
            return self.base_url
        self._closing = asyncio.Event()
        runner = ServerRunner(self.app, self.host, self.port, self.ssl_context)
        self._runner = runner
        try:
            return await runner.start()
        except BaseException:
            self._runner = None
            raise

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.stop()
        self._runner = None

    # -- ASGI ----------------------------------------------------------------------------

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        try:
            await self._handle(scope, receive, send)
        except _Drop:
            if not _abort(send):
                raise ConnectionAbortedError("the mock server dropped the connection") from None

    async def _handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from starlette.responses import JSONResponse, Response

        started = time.perf_counter()
        # read from the scope, as starlette's Request would give them (building a Request and its
        # URL for every request was a tenth of the server's time per request)
        path = scope["path"]
        raw_query = scope.get("query_string", b"").decode("latin-1")
        params = parse_qsl(raw_query, keep_blank_values=True)
        param = dict(params)
        endpoint = self.config.endpoint_for(path)
        user, token_state = self._identify(endpoint, param)
        rule: Rule | None = None
        fault = Fault.NONE.value

        if endpoint is None:
            known = [self.config.main_path, self.config.gray_path, self.config.periodic_path,
                     self.config.code2session_path]
            response: Response = JSONResponse(
                {"error": f"no mock endpoint at {path}", "endpoints": known}, status_code=404)
            rule_name = "(no endpoint)"
        elif endpoint == "code2session":
            response = self._code2session(param)
            rule_name = "(code2session)"
        else:
            match = MatchInput(endpoint=endpoint, path=param.get("path", ""),
                               query_fields=dict(parse_qsl(param.get("query", ""), keep_blank_values=True)),
                               scene=_int_or_none(param.get("scene")), token_state=token_state,
                               user=user.name if user else "")
            if self.config.token_check and token_state != TokenState.VALID:
                rule = self.rules.explicitly_matches_token_state(match)
                if rule is None:
                    response = Response(self.config.auth_body, status_code=self.config.auth_status,
                                        media_type="application/json")
                    rule_name = f"(token check: {token_state})"
            else:
                rule = self.rules.match(match)
            if rule is not None:
                rule_name = rule.name
                fault = rule.fault or Fault.NONE.value
                response = self._respond(rule, param, user)
                if rule.delay_ms:
                    await asyncio.sleep(rule.delay_ms / 1000)

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
            for listener in list(self.listeners):
                listener(record)

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
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), STALL_LIMIT_S)
        raise _Drop

    def _identify(self, endpoint: str | None, param: dict[str, str]) -> tuple[MockUser | None, str]:
        """Check the token or code as a developer server would (P4, P6)."""
        if "token" in param:
            user = self.config.user_by_token(param["token"])
            return user, TokenState.VALID if user else TokenState.INVALID
        if "code" in param and endpoint != Endpoint.PERIODIC:
            name, _ = self.codes.exchange(param["code"])
            # a code the workbench issued always belongs to a user: configured or simulated
            user = (self.config.user_by_name(name) or MockUser(name, "", name)) if name else None
            return user, TokenState.VALID if user else TokenState.INVALID
        return None, TokenState.MISSING

    def _code2session(self, param: dict[str, str]) -> Response:
        """A mock of auth.code2Session: stable openid, a session_key that rotates per code (P6)."""
        from starlette.responses import JSONResponse

        name, error = self.codes.exchange(param.get("js_code", ""))
        user = (self.config.user_by_name(name) or MockUser(name, "", name)) if name else None
        if user is None:
            errcode = 40163 if error == "code been used" else 40029
            return JSONResponse({"errcode": errcode, "errmsg": error or "invalid code"})
        return JSONResponse({"openid": user.openid, "session_key": self.codes.session_keys[user.name]})

    def _respond(self, rule: Rule, param: dict[str, str], user: MockUser | None) -> Response:
        from starlette.responses import Response

        scene = param.get("scene", "")
        values = {
            "appid": param.get("appid", ""),
            "path": param.get("path", ""),
            "query": param.get("query", ""),
            "scene": scene,
            "scene_meaning": scene_meaning(_int_or_none(scene)),
            "version": param.get("customMiniprogramVersion", ""),
            "timestamp": param.get("timestamp", ""),
            "now": str(int(time.time() * 1000)),
            "openid": user.openid if user else "",
            "user": user.name if user else "",
        }
        for key, value in parse_qsl(param.get("query", ""), keep_blank_values=True):
            values[f"query.{key}"] = value
        body = render(rule.body, values).encode("utf-8")
        response = Response(body, status_code=rule.status)
        response.raw_headers = [(b"content-length", str(len(body)).encode())] + [
            (k.strip().lower().encode("latin-1"), v.encode("latin-1", "replace"))
            for k, v in rule.headers if k.strip() and k.strip().lower() != "content-length"]
        return response

    def issue_code(self, user: str) -> str:
        """A login code for a simulated user, exchangeable once (the composer's "generate code")."""
        return self.codes.issue(user)


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def dump_log(record: RequestLog) -> str:
    """One line per request, as `serve` prints it (token and code masked)."""
    from workbench.core.protocol import mask_secret

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
    return " ".join(fields)
