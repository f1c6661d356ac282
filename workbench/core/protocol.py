"""The pre-pull request exactly as WeChat builds it (rules P1-P11, P21 of prepull-protocol.md).

A pre-pull is a GET (P1) whose whole payload is the query string. This module turns a launch
(path, query, scene, version) and an identity (token or code) into that query string, and
refuses input that WeChat would refuse or that cannot work, with a message saying what to fix.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from workbench import __version__
from workbench.core.errors import InvalidInput
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.core.model import AcceptEncoding, FetchType, LimitBasis, Platform, TimestampUnit

__all__ = ["AcceptEncoding", "FetchType", "LimitBasis", "Platform", "TimestampUnit"]

#: P12/P24 (assumed inclusive): the largest body that is still cached.
MAX_BODY_BYTES = 262_144
#: P9: the longest token setBackgroundFetchToken accepts.
MAX_TOKEN_CHARS = 1024
#: The User-Agent sent by default: WeChat's backend sends one that is not documented, so the
#: workbench names itself rather than pretend (a setting, see ProtocolSettings.user_agent).
DEFAULT_USER_AGENT = f"PrepullWorkbench/{__version__} (simulating the WeChat pre-pull client)"
#: Sanity bounds of the settings (a typo must not make a request wait for days or eat memory).
MAX_TIMEOUT_S = 3600.0
MAX_BODY_LIMIT_BYTES = 1024 * 1024 * 1024
MAX_HOURS = 24.0 * 366 * 10
#: The longest URL the HTTP client sends (httpx's MAX_URL_LENGTH).
MAX_URL_CHARS = 65_536

_APPID_RE = re.compile(r"^wx[0-9a-fA-F]{16}$")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _finite_number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidInput(f"The {what} must be a finite number, not {value!r}.")
    return float(value)


def _in_range(value: object, what: str, low: float, high: float, unit: str) -> float:
    """``value`` if it is a finite number with low < value <= high, else one clear sentence."""
    number = _finite_number(value, what)
    if not low < number <= high:
        raise InvalidInput(f"The {what} must be more than {low:g} and at most {high:g} {unit}, not {number:g}.")
    return number


def _header_value(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"The {what} header cannot be empty.")
    if len(value) > 512 or any(not (0x20 <= ord(ch) <= 0x7E) for ch in value):
        raise InvalidInput(f"The {what} header must be at most 512 printable ASCII characters (no line breaks).")
    return value


@dataclass(frozen=True, slots=True)
class ProtocolSettings:
    """Every behaviour the public documentation leaves open (P3, P11, P12, P21-P24, headers).

    Each is a setting with the documented assumed default, never a hidden constant; the
    README's "Assumed defaults" table lists them with their rule.
    """

    #: P11: a response must arrive completely within this many seconds.
    timeout_s: float = 5.0
    #: P12/P24: the largest body (bytes) that is still cached, inclusive (the workspace key is
    #: ``body_limit_bytes``, the property of the same name below).
    max_body_bytes: int = MAX_BODY_BYTES
    #: P11: WeChat is assumed not to follow redirects.
    follow_redirects: bool = False
    #: P11: only a 2xx status is cached.
    require_2xx: bool = True
    #: P3: the unit of the ``timestamp`` parameter.
    timestamp_unit: TimestampUnit = TimestampUnit.MILLISECONDS
    #: P22: hours between periodic updates.
    periodic_interval_h: float = 12.0
    #: P23: periodic updates only for users active within this many days.
    periodic_usage_window_days: float = 7.0
    #: P24: hours a periodic entry stays readable; None: it never expires.
    periodic_expiry_h: float | None = None
    #: Request header: the encodings the client accepts (identity: the body travels as it is).
    accept_encoding: AcceptEncoding = AcceptEncoding.IDENTITY
    #: P12: whether the limit counts the decoded body (the cached string) or the bytes received.
    limit_applies_to: LimitBasis = LimitBasis.DECODED
    #: Request header: User-Agent.
    user_agent: str = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        _in_range(self.timeout_s, "timeout", 0, MAX_TIMEOUT_S, "seconds")
        limit = self.max_body_bytes
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_BODY_LIMIT_BYTES:
            raise InvalidInput(f"The body size limit must be a whole number of bytes from 0 to "
                               f"{MAX_BODY_LIMIT_BYTES:,}, not {limit!r}.")
        for name, label in (("follow_redirects", "follow-redirects setting"), ("require_2xx", "require-2xx setting")):
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(f"The {label} must be true or false, not {getattr(self, name)!r}.")
        _in_range(self.periodic_interval_h, "periodic interval", 0, MAX_HOURS, "hours")
        _in_range(self.periodic_usage_window_days, "periodic usage window", 0, MAX_HOURS / 24, "days")
        if self.periodic_expiry_h is not None:
            _in_range(self.periodic_expiry_h, "periodic expiry", 0, MAX_HOURS, "hours")
        for name, enum, label in (("timestamp_unit", TimestampUnit, "timestamp unit"),
                                  ("accept_encoding", AcceptEncoding, "Accept-Encoding setting"),
                                  ("limit_applies_to", LimitBasis, "body limit basis")):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, enum(value))
            except ValueError:
                choices = ", ".join(repr(e.value) for e in enum)
                raise InvalidInput(f"The {label} must be one of {choices}, not {value!r}.") from None
        _header_value(self.user_agent, "User-Agent")

    @property
    def body_limit_bytes(self) -> int:
        """P12's limit under its workspace name (the field keeps its first name for callers)."""
        return self.max_body_bytes

    def request_headers(self) -> dict[str, str]:
        """The headers the client sets itself; httpx adds Host, Accept: */* and Connection."""
        return {"User-Agent": self.user_agent, "Accept-Encoding": self.accept_encoding.value}


#: Scene values and their meaning (section 9 of the protocol doc; a subset of the official list).
SCENES: dict[int, str] = {
    1000: QT_TRANSLATE_NOOP("Scenes", "other"),
    1001: QT_TRANSLATE_NOOP("Scenes", 'Discover bar "recently used" list'),
    1005: QT_TRANSLATE_NOOP("Scenes", "WeChat home top search results"),
    1007: QT_TRANSLATE_NOOP("Scenes", "card in a one-to-one chat"),
    1008: QT_TRANSLATE_NOOP("Scenes", "card in a group chat"),
    1011: QT_TRANSLATE_NOOP("Scenes", "scan a QR code"),
    1012: QT_TRANSLATE_NOOP("Scenes", "long-press an image to recognise a QR code"),
    1013: QT_TRANSLATE_NOOP("Scenes", "scan a QR code from the photo album"),
    1017: QT_TRANSLATE_NOOP("Scenes", "trial version entry page"),
    1023: QT_TRANSLATE_NOOP("Scenes", "Android desktop icon"),
    1035: QT_TRANSLATE_NOOP("Scenes", "Official Account custom menu"),
    1037: QT_TRANSLATE_NOOP("Scenes", "opened from another Mini Program"),
    1038: QT_TRANSLATE_NOOP("Scenes", "returning from another Mini Program"),
    1044: QT_TRANSLATE_NOOP("Scenes", "card with a shareTicket"),
    1047: QT_TRANSLATE_NOOP("Scenes", "scan a Mini Program code"),
    1048: QT_TRANSLATE_NOOP("Scenes", "long-press an image to recognise a Mini Program code"),
    1049: QT_TRANSLATE_NOOP("Scenes", "scan a Mini Program code from the photo album"),
    1053: QT_TRANSLATE_NOOP("Scenes", "search results"),
    1058: QT_TRANSLATE_NOOP("Scenes", "Official Account article"),
    1089: QT_TRANSLATE_NOOP("Scenes", 'chat list pull-down, "recently used" bar'),
    1104: QT_TRANSLATE_NOOP("Scenes", 'chat list pull-down, "my Mini Programs" bar'),
}


def scene_meaning(scene: int | None) -> str:
    """The meaning of a scene value, or an empty string when it is not in the table."""
    return SCENES.get(scene, "") if scene is not None else ""


def validate_appid(appid: str) -> str:
    appid = appid.strip()
    if not _APPID_RE.match(appid):
        raise InvalidInput(
            f"The appid {appid!r} is not valid: it must be 'wx' followed by 16 hexadecimal "
            "characters, as shown in the Mini Program's admin console."
        )
    return appid


def parse_scene(value: int | str | None) -> int | None:
    """A scene value from user input: an integer, or empty for none."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput("The scene must be an integer such as 1047.")
    if isinstance(value, int):
        scene = value
    else:
        text = value.strip()
        if not text:
            return None
        if not re.fullmatch(r"[+-]?\d+", text):
            raise InvalidInput(f"The scene {value!r} is not an integer: enter a scene value such as 1047.")
        scene = int(text)
    if scene < 1 or scene > 2**31 - 1:
        raise InvalidInput(f"The scene {scene} is out of range: scene values are positive integers such as 1047 (P7).")
    return scene


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, *, allow_plain_http: bool = False) -> str:
    """A data download address: http(s) with a host, no fragment, no control characters.

    Plain http to a host other than loopback is allowed (P10: WeChat would refuse it, so
    :func:`plain_http_host` lets callers warn and the client puts it in the verdict).
    ``allow_plain_http`` is kept for callers of the former API and changes nothing.
    """
    del allow_plain_http
    url = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise InvalidInput(f"The address {url!r} contains a control character (a tab or line break?): "
                           "remove it.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidInput(f"The address {url!r} is not a valid URL ({exc}): check it for typos.") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(
            f"The address {url!r} must start with https:// (or http:// for a local server): "
            "WeChat only sends pre-pull requests over HTTP(S)."
        )
    if not host:
        raise InvalidInput(f"The address {url!r} has no host name: write it as https://host/path.")
    if parts.fragment or url.endswith("#"):
        raise InvalidInput(f"The address {url!r} contains a '#' fragment, which is never sent: remove it.")
    return url


def canonical_url(url: str) -> str:
    """The one form of an address that is both shown and sent (byte for byte).

    Characters a request line cannot carry (non-ASCII, spaces, quotes...) are percent-encoded
    as UTF-8, escapes already present are kept, dot segments are resolved, the scheme and
    host are lower-cased (IDNA for non-ASCII hosts), a default port is dropped and an empty
    path becomes "/". This is exactly httpx's normalisation, so the client sends what it shows;
    applying it twice changes nothing.
    """
    import httpx  # loaded on first use, not at the app's start-up

    try:
        parsed = httpx.URL(url)
        if not urlsplit(str(parsed)).path:
            parsed = parsed.copy_with(path="/")
        return str(parsed)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise InvalidInput(f"The address {url!r} is not a valid URL ({exc}): check it for typos.") from None


@functools.lru_cache(maxsize=256)
def _canonical_address(url: str) -> str:
    """validate_url then canonical_url, remembered: requests are made to few addresses, many times
    (a traffic run makes one per cold start). Both are pure; a refusal is raised every time."""
    return canonical_url(validate_url(url))


@functools.lru_cache(maxsize=256)
def _sendable_address(url: str) -> str:
    """check_sendable, remembered (see _canonical_address)."""
    return check_sendable(url)


@functools.lru_cache(maxsize=256)
def plain_http_host(url: str) -> str | None:
    """The host when ``url`` is plain http to a non-loopback host (P10: WeChat refuses it)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme == "http" and host and not is_loopback_host(host):
        return host
    return None


def plain_http_warning(url: str) -> str | None:
    """One sentence for stderr or the composer when ``url`` is plain http to another host."""
    host = plain_http_host(url)
    if host is None:
        return None
    return (f"{url} uses plain http to {host}: WeChat would not accept this address (P10, real Mini Programs "
            "need https); sending it anyway.")
def _short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def undecodable_bytes(text: str) -> str:
    """The bytes a lone surrogate in ``text`` stands for, in hex (Python decodes bytes that are
    not UTF-8 to U+DC80-U+DCFF), or the surrogates themselves; empty when ``text`` is valid."""
    bad = "".join(ch for ch in text if 0xD800 <= ord(ch) <= 0xDFFF)
    if not bad:
        return ""
    try:
        return bad.encode("utf-8", "surrogateescape").hex(" ")
    except UnicodeEncodeError:
        return " ".join(f"U+{ord(ch):04X}" for ch in bad)


def check_text(value: str, what: str) -> str:
    """Refuse text that cannot travel as UTF-8 (a lone surrogate, from bytes that were not UTF-8)."""
    bad = undecodable_bytes(value)
    if bad:
        raise InvalidInput(f"The {what} contains bytes that are not UTF-8 text ({bad}): type it again as text.")
    return value


def check_url_length(url: str) -> str:
    if len(url) > MAX_URL_CHARS:
        raise InvalidInput(f"The request URL is {len(url):,} characters long, more than the {MAX_URL_CHARS:,} an "
                           "HTTP client sends: shorten the launch query, path or address.")
    return url


def check_sendable(url: str) -> str:
    """Refuse, before anything is sent, an address the HTTP client cannot send: longer than
    :data:`MAX_URL_CHARS`, with characters a request line cannot carry, or a host that is not
    valid IDNA (``xn--zz``, an emoji) or not a DNS name (an empty or 64-character label)."""
    check_text(url, "address")
    check_url_length(url)
    import httpx  # loaded on first use, not at the app's start-up

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidInput(f"The address {_short(url)} cannot be sent ({exc}): check it for typos.") from None
    host = parsed.raw_host.decode("ascii", "replace")
    try:
        ipaddress.ip_address(host)
        return url
    except ValueError:
        pass
    for label in host.rstrip(".").split("."):
        if not label or len(label) > 63:
            raise InvalidInput(f"The host name {host!r} is not a valid DNS name (a label is empty or longer "
                               "than 63 characters): check the address.")
        if label[:4].lower() == "xn--":
            import idna  # (its tables load only for punycode hosts)

            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                raise InvalidInput(f"The host name {host!r} is not a valid internationalised domain name "
                                   f"({label!r} is not valid IDNA): check the address.") from None
    return url


def generate_code() -> str:
    """A login code as WeChat issues them: 32 random letters and digits, valid for one exchange."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the request is for: a token set earlier, a fresh login code, or neither (P4).

    Neither is not something WeChat sends; it exists so developers can see how their
    server handles a request that violates P4.
    """

    token: str | None = None
    code: str | None = None

    def __post_init__(self) -> None:
        if self.token is not None and self.code is not None:
            raise InvalidInput(
                "Give either a token or a code, not both: WeChat sends exactly one of them (P4)."
            )
        if self.token is not None:
            check_text(self.token, "token")
            if self.token == "":
                raise InvalidInput("The token is empty: enter the token your Mini Program set, or use a code.")
            if len(self.token) > MAX_TOKEN_CHARS:
                raise InvalidInput(
                    f"The token is {len(self.token)} characters long, but setBackgroundFetchToken "
                    f"accepts at most {MAX_TOKEN_CHARS} (P9): shorten it."
                )
        if self.code is not None:
            check_text(self.code, "code")
        if self.code is not None and self.code == "":
            raise InvalidInput("The code is empty: generate a login code or use a token.")

    @property
    def kind(self) -> str:
        if self.token is not None:
            return "token"
        if self.code is not None:
            return "code"
        return "none"

    @property
    def secret(self) -> str | None:
        return self.token if self.token is not None else self.code


@dataclass(frozen=True, slots=True)
class Launch:
    """How the Mini Program is being opened (P7): page path, launch query, scene, version."""

    path: str = ""
    query: str = ""
    scene: int | None = None
    version: str = ""

    def __post_init__(self) -> None:
        for name, what in (("path", "launch path"), ("query", "launch query"), ("version", "version")):
            check_text(getattr(self, name), what)
        object.__setattr__(self, "scene", parse_scene(self.scene))


#: How a simulated launch identifies its user (the composer's choice, for coldstart and traffic):
#: auto = the stored token if there is one, else a fresh code (P4, P5).
IDENTITY_KINDS = ("auto", "token", "code", "none")


def identity_for(kind: str, token: str | None, make_code: Callable[[], str]) -> Identity:
    """The identity a launch sends for ``kind`` (see :data:`IDENTITY_KINDS`)."""
    if kind not in IDENTITY_KINDS:
        raise InvalidInput(f"The identity must be one of {', '.join(IDENTITY_KINDS)}, not {kind!r}.")
    if kind == "none":
        return Identity()
    if kind == "code" or (kind == "auto" and not token):
        return Identity(code=make_code())
    if not token:
        raise InvalidInput("No token is stored for this user: give one (--token), set one with "
                           "`prepull-workbench token set`, or use a login code (P4).")
    return Identity(token=token)


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


@functools.lru_cache(maxsize=4096)
def encode_component(value: str) -> str:
    """Percent-encode one query value so that decoding it once gives it back exactly (P8).

    Remembered (names, appids, paths and queries repeat: a traffic run encodes the same ones for
    every cold start, the history for every row), with a fast path for a value needing no escape."""
    return value if _UNRESERVED.fullmatch(value) else quote(value, safe="")


@dataclass(frozen=True, slots=True)
class PrefetchRequest:
    """One pre-pull (or periodic) GET, ready to send, with its exact query string."""

    url: str
    appid: str
    identity: Identity = field(default_factory=Identity)
    launch: Launch = field(default_factory=Launch)
    fetch_type: FetchType = FetchType.PRE
    #: When the client started the request, in ms since the epoch (P3). None means "now" at build.
    timestamp_ms: int | None = None
    timestamp_unit: TimestampUnit = TimestampUnit.MILLISECONDS
    allow_plain_http: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", _canonical_address(self.url))
        object.__setattr__(self, "appid", validate_appid(self.appid))
        object.__setattr__(self, "fetch_type", FetchType(self.fetch_type))
        if self.fetch_type is FetchType.PERIODIC and self.launch != Launch():
            # P21: a periodic update has no launch; its entry must never report one
            object.__setattr__(self, "launch", Launch())
        object.__setattr__(self, "timestamp_unit", TimestampUnit(self.timestamp_unit))
        if self.fetch_type is FetchType.PERIODIC and self.identity.token is None:
            raise InvalidInput(
                "Periodic updates carry only appid, token and timestamp (P21), and this launch has no "
                "token: token not set, maybe you should setBackgroundFetchToken first."
            )
        if self.timestamp_ms is not None and self.timestamp_ms < 0:
            raise InvalidInput("The timestamp cannot be negative: use 'now' or a time in milliseconds.")
        _sendable_address(self.url)  # refused here, before anything is sent
        check_url_length(self.full_url())

    def stamped(self, now_ms: int | None = None) -> PrefetchRequest:
        """This request with its timestamp fixed (to now unless given), as it is when sent.

        Only the timestamp changes, so only what depends on it is checked again (a traffic run
        stamps every request it sends: the rest was validated when the request was made)."""
        return self if self.timestamp_ms is not None else self.sendable(now_ms)[0]

    def sendable(self, now_ms: int | None = None) -> tuple[PrefetchRequest, str]:
        """:meth:`stamped`, and the exact URL it sends (checked): the client needs both, and
        the URL is worked out once."""
        if self.timestamp_ms is not None:
            return self, check_url_length(self.full_url())
        timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
        if timestamp < 0:
            raise InvalidInput("The timestamp cannot be negative: use 'now' or a time in milliseconds.")
        stamped = object.__new__(PrefetchRequest)
        for name in self.__slots__:
            object.__setattr__(stamped, name, getattr(self, name))
        object.__setattr__(stamped, "timestamp_ms", timestamp)
        return stamped, check_url_length(stamped.full_url())

    def params(self) -> list[tuple[str, str]]:
        """The parameters in the order WeChat sends them (P2-P7; P21 for periodic)."""
        ts = self.timestamp_ms if self.timestamp_ms is not None else int(time.time() * 1000)
        if self.timestamp_unit is TimestampUnit.SECONDS:
            ts //= 1000
        out: list[tuple[str, str]] = [("appid", self.appid)]
        if self.identity.token is not None:
            out.append(("token", self.identity.token))
        elif self.identity.code is not None and self.fetch_type is FetchType.PRE:
            out.append(("code", self.identity.code))
        out.append(("timestamp", str(ts)))
        if self.fetch_type is FetchType.PERIODIC:
            return out
        launch = self.launch
        if launch.path:
            out.append(("path", launch.path))
        if launch.query:
            out.append(("query", launch.query))
        if launch.scene is not None:
            out.append(("scene", str(launch.scene)))
        if launch.version:
            out.append(("customMiniprogramVersion", launch.version))
        return out

    def query_string(self) -> str:
        return "&".join(f"{encode_component(k)}={encode_component(v)}" for k, v in self.params())

    def full_url(self) -> str:
        """The exact URL sent, byte for byte: the canonical address (keeping any query it already
        has) plus the parameters, which are fully percent-encoded and so stay canonical."""
        base = self.url
        sep = "&" if urlsplit(base).query else ("" if base.endswith("?") else "?")
        return f"{base}{sep}{self.query_string()}"


def decode_query_string(raw: str) -> dict[str, str]:
    """Decode a received query string once, as a developer server would (the inverse of P8)."""
    return dict(parse_query(raw))


def parse_query(raw: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a query string, decoded once: exactly what
    ``urllib.parse.parse_qsl(raw, keep_blank_values=True)`` gives (a property test holds them
    equal), in about 60% of its time, for the mock server, which parses one per request. The standard
    function checks its arguments and calls ``unquote`` twice for every field; this decodes only
    the fields that have a ``+`` or ``%`` in them."""
    pairs = []
    for field_ in raw.split("&"):
        if not field_:
            continue
        name, _, value = field_.partition("=")
        if "+" in field_:
            name, value = name.replace("+", " "), value.replace("+", " ")
        if "%" in field_:
            name, value = unquote(name) if "%" in name else name, unquote(value) if "%" in value else value
        pairs.append((name, value))
    return pairs
