"""The data model of the workbench: what a pre-pull produced and what is stored of it.

Plain, frozen data types and the enums that name their kinds and sources, kept apart from the
client that makes them and the store that keeps them, so every layer speaks the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from workbench.core.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from workbench.core.protocol import PrefetchRequest


class FetchType(StrEnum):
    PRE = "pre"
    PERIODIC = "periodic"


class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"


class TimestampUnit(StrEnum):
    MILLISECONDS = "ms"
    SECONDS = "s"


class AcceptEncoding(StrEnum):
    """The Accept-Encoding header the client sends (not documented for WeChat: a setting)."""

    IDENTITY = "identity"
    GZIP = "gzip"
    GZIP_DEFLATE = "gzip, deflate"


class LimitBasis(StrEnum):
    """What the 256 KB limit (P12) counts: the decoded body or the bytes on the wire."""

    DECODED = "decoded"
    WIRE = "wire"


class Source(StrEnum):
    """Where a history entry came from."""

    COMPOSER = "composer"
    CLI = "cli"
    TRAFFIC = "traffic"
    REPLAY = "replay"
    IMPORT = "import"
    COLDSTART = "coldstart"
    PERIODIC = "periodic"
    CHECK = "check"


class AddressKind(StrEnum):
    """Which configured address a request went to."""

    MAIN = "main"
    GRAY = "gray"
    PERIODIC = "periodic"
    CUSTOM = "custom"


#: Every reason, as an English template. The GUI translates the template and fills the same
#: fields, so the words stay in one place; keys are stable (tests and exports use ``code``).
REASON_TEMPLATES: dict[str, str] = {
    "redirect": QT_TRANSLATE_NOOP(
        "Reasons", "The server answered {status}, a redirect{where}; WeChat does not follow redirects (P11), "
                   "so nothing is cached: point the download address at the final URL."),
    "status": QT_TRANSLATE_NOOP("Reasons", "The server answered {status}; only a 2xx status is cached (P11)."),
    "too_large": QT_TRANSLATE_NOOP(
        "Reasons", "The body is {size}, over the {limit} limit (P12), so it is not cached: send less data."),
    "too_large_wire": QT_TRANSLATE_NOOP(
        "Reasons", "The body is {size} as received (before decoding), over the {limit} limit (P12, counted on "
                   "the wire by the workspace setting), so it is not cached: send less data."),
    "decoding": QT_TRANSLATE_NOOP(
        "Reasons", "The body could not be decoded as its Content-Encoding says ({detail}), so nothing is cached: "
                   "check the server's compression."),
    "plain_http": QT_TRANSLATE_NOOP(
        "Reasons", "WeChat would not accept this address: it uses plain http to {host}, and real Mini Programs "
                   "only send pre-pulls to https addresses (P10). The request was sent for local testing only."),
    "too_large_cut": QT_TRANSLATE_NOOP(
        "Reasons", "The body is more than {size} (reading stopped there), over the {limit} limit (P12), so it is "
                   "not cached: send less data."),
    "not_utf8": QT_TRANSLATE_NOOP(
        "Reasons", "The body is not valid UTF-8 text (invalid byte at offset {offset}), so it is not cached "
                   "(P13): send text encoded as UTF-8."),
    "timeout": QT_TRANSLATE_NOOP(
        "Reasons", "No complete response within the {timeout} s timeout (P11), so nothing is cached: "
                   "make the server answer faster."),
    "tls_certificate": QT_TRANSLATE_NOOP(
        "Reasons", "The TLS certificate of {where} was rejected ({detail}): WeChat requires a valid "
                   "certificate for the download address."),
    "tls_handshake": QT_TRANSLATE_NOOP(
        "Reasons", "The TLS handshake with {where} failed ({detail}): check that the server speaks HTTPS "
                   "with a valid certificate."),
    "refused": QT_TRANSLATE_NOOP(
        "Reasons", "The connection to {where} was refused: no server is listening there; start the server "
                   "or fix the port."),
    "dns": QT_TRANSLATE_NOOP("Reasons", "The host name {host} could not be resolved: check the address."),
    "incomplete": QT_TRANSLATE_NOOP(
        "Reasons", "The server closed the connection before the response was complete ({detail}), "
                   "so nothing is cached."),
    "reset": QT_TRANSLATE_NOOP(
        "Reasons", "The connection to {where} broke during the request ({detail}), so nothing is cached."),
    "connect": QT_TRANSLATE_NOOP("Reasons", "Could not connect to {where} ({detail})."),
    "network": QT_TRANSLATE_NOOP("Reasons", "The request failed ({detail}), so nothing is cached."),
}
#: Template keys whose reason code differs from the key.
_CODE_OF = {"tls_certificate": "tls", "tls_handshake": "tls", "too_large_wire": "too_large",
            "too_large_cut": "too_large"}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a body was not cached: a stable code for programs and a sentence for people."""

    code: str
    message: str
    #: The template key and its fields, so a translated UI can say the same thing.
    key: str = ""
    args: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **args: object) -> Reason:
        fields = {k: str(v) for k, v in args.items()}
        return cls(_CODE_OF.get(key, key), REASON_TEMPLATES[key].format(**fields), key, tuple(fields.items()))

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "key": self.key, "args": [list(a) for a in self.args]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Reason:
        """The reason :meth:`to_json` wrote (parsed JSON: ``args`` a list of [key, value] pairs)."""
        return cls(str(d["code"]), str(d["message"]), str(d.get("key", "")),
                   tuple((str(k), str(v)) for k, v in d.get("args", [])))


@dataclass(frozen=True, slots=True)
class Verdict:
    cached: bool
    reasons: tuple[Reason, ...] = ()

    @property
    def messages(self) -> list[str]:
        return [r.message for r in self.reasons]


@dataclass(frozen=True, slots=True)
class Timings:
    """Milliseconds from the start of the request. ``connect_ms`` is 0 on a reused connection."""

    connect_ms: float | None = None
    first_byte_ms: float | None = None
    total_ms: float | None = None


@dataclass(frozen=True, slots=True)
class SentRequest:
    """The request exactly as it went on the wire."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class Outcome:
    request: PrefetchRequest
    sent: SentRequest
    #: Wall clock (ms since the epoch) when the request started and when the data arrived.
    started_ms: int
    finished_ms: int
    status: int | None = None
    reason_phrase: str = ""
    http_version: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_size: int = 0
    #: bytes received for the body before decoding (differs from body_size when compressed)
    wire_size: int = 0
    body_truncated: bool = False
    timings: Timings = field(default_factory=Timings)
    verdict: Verdict = field(default_factory=lambda: Verdict(False))

    @property
    def fetched_data(self) -> str | None:
        """The string the Mini Program reads, when the body was cached."""
        return self.body.decode("utf-8") if self.verdict.cached else None


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One stored pre-pull: the full request and response, as the history shows and replays it."""

    id: int
    started_ms: int
    finished_ms: int
    source: str
    replay_of: int | None
    appid: str
    user: str
    fetch_type: str
    address_kind: str
    url: str
    full_url: str
    params: list[tuple[str, str]]
    request_headers: list[tuple[str, str]]
    token: str | None
    code: str | None
    path: str
    query: str
    scene: int | None
    version: str
    timestamp_unit: str
    allow_plain_http: bool
    status: int | None
    reason_phrase: str
    http_version: str
    response_headers: list[tuple[str, str]]
    body: bytes
    body_size: int
    body_truncated: bool
    connect_ms: float | None
    first_byte_ms: float | None
    total_ms: float | None
    cached: bool
    reasons: list[Reason]

    def sent_timestamp_ms(self) -> int | None:
        """The timestamp parameter as sent, in ms (None when the request carried none)."""
        raw = dict(self.params).get("timestamp")
        if raw is None or not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is True
            return None
        return int(raw) * (1000 if self.timestamp_unit == "s" else 1)

    def to_request(self) -> PrefetchRequest:
        """The request this record holds, to send again exactly (same timestamp included)."""
        from workbench.core.protocol import Identity, Launch, PrefetchRequest

        return PrefetchRequest(
            url=self.url,
            appid=self.appid,
            identity=Identity(token=self.token, code=self.code),
            launch=Launch(path=self.path, query=self.query, scene=self.scene, version=self.version),
            fetch_type=FetchType(self.fetch_type),
            timestamp_ms=self.sent_timestamp_ms(),
            timestamp_unit=TimestampUnit(self.timestamp_unit),
            allow_plain_http=self.allow_plain_http,
        )


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """What the client holds for one (appid, user, fetchType) (P14)."""

    appid: str
    user: str
    fetch_type: str
    fetched_data: str
    time_stamp: int
    path: str
    query: str
    scene: int
    address_kind: str
    url: str
    size: int
    status: int
    history_id: int | None


