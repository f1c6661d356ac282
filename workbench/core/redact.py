"""One redaction for every export, view and log: secrets leave the workbench masked or replaced.

A pre-pull carries a token or a login code (P4); a code2session answer carries a session_key
(P6); an address may carry ``user:password@`` or a token of its own. Servers echo them back in
headers, cookies, redirects and bodies, and verdict reasons quote the redirect. Every place
that shows, logs or exports a record goes through a :class:`Redactor`, which works in two passes
over every string of the record:

1. **by structure**: the value of a parameter with a secret name (:data:`SECRET_PARAMS`) in any
   URL or query, the userinfo of a URL, credential headers (:data:`SECRET_HEADERS`: Authorization,
   Cookie, Set-Cookie...), and JSON string fields with a secret name (``"session_key": "..."``).
   The values found this way join the record's secrets;
2. **by value**: each secret is replaced wherever it occurs, raw or encoded: percent-encoding
   in either case (also double, ``%253D``), ``+`` for a space, JSON ``\\uXXXX``/``\\/`` escapes
   and HTML character references, in any mix.

Views and logs *mask* (``••••••wxyz``: the last four characters, so two tokens can be told apart);
exports *replace* with ``REDACTED``. Letters and digits are never encoded by a URL or JSON
encoder, so they are matched literally, which keeps the search fast.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, unquote_plus

if TYPE_CHECKING:
    from workbench.core.model import HistoryRecord, Outcome, Reason
    from workbench.core.protocol import PrefetchRequest

#: What exports write in place of a secret.
REDACTED = "REDACTED"
#: Query parameters whose value is a secret wherever they appear (P4: token, code; code2session:
#: js_code, secret (the AppSecret), session_key (P6); and the usual OAuth names).
SECRET_PARAMS = frozenset({"token", "code", "js_code", "session_key", "secret", "access_token", "refresh_token",
                           "password"})
#: JSON fields whose string value is a secret ("code" is left out: many APIs use it for a status).
SECRET_JSON_FIELDS = frozenset(SECRET_PARAMS - {"code"})
#: Headers whose value is a credential.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
                            "x-auth-token", "x-access-token"})
#: A secret shorter than this is replaced only where it stands alone (not inside a longer word
#: of letters and digits): replacing every "t2" in an export would garble it for nothing.
SHORT_SECRET_CHARS = 6
#: Values found by structure only (a cookie, a redirect's query, a JSON field) join the secrets
#: replaced everywhere from this length; shorter ones are still hidden where they were found.
MIN_FOUND_CHARS = 6

Hide = Callable[[str], str]


def mask_secret(secret: str | None) -> str:
    """A secret as views and logs show it: its last four characters only (all hidden up to 8)."""
    if not secret:
        return ""
    if len(secret) <= 8:
        return "•" * len(secret)
    return "•" * 6 + secret[-4:]


def replace_secret(secret: str) -> str:
    """A secret as exports write it."""
    return REDACTED


# -- matching a secret in any encoding ------------------------------------------------------

_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_HTML_NAMED = {"&": ("amp",), "<": ("lt",), ">": ("gt",), '"': ("quot",), "'": ("apos",)}
_JSON_SHORT = {'"': '\\\\"', "\\": "\\\\\\\\", "/": "\\\\/", "\n": "\\\\n", "\r": "\\\\r", "\t": "\\\\t",
               "\b": "\\\\b", "\f": "\\\\f"}


def _ci(text: str) -> str:
    """A regex matching ``text`` with its letters in either case (hex digits of an escape)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in text)


def _char_pattern(ch: str) -> str:
    if ch in _ALNUM:
        return ch
    code = ord(ch)
    alts = [re.escape(ch)]
    raw = ch.encode("utf-8", "surrogatepass")
    alts.append("".join(f"%(?:25)?{_ci(f'{b:02x}')}" for b in raw))      # percent, single or double
    if ch == " ":
        alts.append(r"\+")
    if code > 0xFFFF:                                                     # JSON: a surrogate pair
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        alts.append(f"\\\\u{_ci(f'{high:04x}')}\\\\u{_ci(f'{low:04x}')}")
    else:
        alts.append(f"\\\\u{_ci(f'{code:04x}')}")
    if ch in _JSON_SHORT:
        alts.append(_JSON_SHORT[ch])
    alts.append(f"&#0*{code};")
    alts.append(f"&#[xX]0*{_ci(f'{code:x}')};")
    alts += [f"&{name};" for name in _HTML_NAMED.get(ch, ())]
    return "(?:" + "|".join(alts) + ")"


@lru_cache(maxsize=4096)
def secret_pattern(secret: str) -> str:
    """A regex matching ``secret`` raw or encoded (see the module docstring)."""
    body = "".join(_char_pattern(ch) for ch in secret)
    if len(secret) < SHORT_SECRET_CHARS:
        # stand-alone only; an escape's hex digits just before do not count as a word
        body = (r"(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2})|(?<=\\u[0-9A-Fa-f]{4}))" + body
                + r"(?![A-Za-z0-9])")
    return body


# -- structure -------------------------------------------------------------------------------

_NAMES = "|".join(sorted(SECRET_PARAMS, key=len, reverse=True))
#: name=value in a URL's query (after ? or &).
_QUERY_RE = re.compile(rf"(?i)([?&](?:{_NAMES})=)([^&#\s\"'<>\\]*)")
#: the same inside a URL that is itself percent-encoded (a ``next=`` or ``redirect=`` parameter).
_NESTED_QUERY_RE = re.compile(rf"(?i)((?:%3F|%26)(?:{_NAMES})%3D)((?:(?!%26)[^&#\s\"'<>\\])*)")
_JSON_NAMES = "|".join(sorted(SECRET_JSON_FIELDS, key=len, reverse=True))
_JSON_RE = re.compile(rf'(?i)("(?:{_JSON_NAMES})"\s*:\s*")((?:[^"\\]|\\.)*)(")')
#: scheme://userinfo@ anywhere (the userinfo has no / ? # @ or space). It starts with "://" so
#: the search runs at the speed of a substring search.
_USERINFO_RE = re.compile(r"://([^/?#@\s\"'<>\\]+)@")


#: A long text is searched this much at a time (see _names_secret and _name_positions).
NAMES_PIECE_CHARS = 256 * 1024
_LONGEST_NAME = max(map(len, SECRET_PARAMS))
#: re's (?i) lets a secret name's i, s and k also match these (its documentation lists them);
#: lower() alone would miss the dotless ı and the long ſ, and makes İ two characters.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLDED = tuple(_FOLD)
_NAMES_RE = re.compile(rf"(?i)(?:{_NAMES})")


def _fold(piece: str) -> str:
    """``piece`` lowered as re's (?i) compares it with a secret name; its length is kept unless
    a character lowercases to two (then callers ask the regex instead)."""
    if any(chr(code) in piece for code in _FOLDED):
        piece = piece.translate(_FOLD)
    return piece.lower()


def _names_secret(text: str) -> bool:
    """Whether ``text`` mentions a secret parameter name at all: most bodies do not, and a
    substring search is far faster than the structural regexes.

    A long text is lowercased a piece at a time: ``lower()`` of a 10 MB body is one C call of
    ~50 ms, and a worker thread redacting a body for a view held the interpreter lock from the
    UI that long. The pieces overlap by a name's length less one (a character never lowercases
    to nothing), so a name across a cut is still found: the answer is exactly the whole text's."""
    if len(text) <= NAMES_PIECE_CHARS:
        lower = _fold(text)
        return any(name in lower for name in SECRET_PARAMS)
    for start in range(0, len(text), NAMES_PIECE_CHARS):
        lower = _fold(text[start:start + NAMES_PIECE_CHARS + _LONGEST_NAME - 1])
        if any(name in lower for name in SECRET_PARAMS):
            return True
    return False


def _name_positions(text: str) -> list[int]:
    """Where a secret name begins in ``text`` (as re's (?i) would match it), in order: found a
    piece at a time, each a short call."""
    found: set[int] = set()
    for start in range(0, len(text), NAMES_PIECE_CHARS):
        piece = text[start:start + NAMES_PIECE_CHARS + _LONGEST_NAME - 1]
        folded = _fold(piece)
        if len(folded) != len(piece):  # a character lowercased to two: the regex, on this piece only
            found.update(start + m.start() for m in _NAMES_RE.finditer(piece))
            continue
        for name in SECRET_PARAMS:
            at = folded.find(name)
            while at >= 0:
                found.add(start + at)
                at = folded.find(name, at + 1)
    return sorted(found)


#: How far before a secret name each structural match starts ("?" or "&", "%3F" or "%26", a quote).
_LEAD: dict[re.Pattern[str], int] = {_QUERY_RE: 1, _NESTED_QUERY_RE: 3, _JSON_RE: 1}


def _structural_matches(regex: re.Pattern[str], text: str, names: list[int] | None = None) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` for the structural patterns, each of which starts just before a
    secret name. A long text is not scanned in one call (the JSON pattern took ~70 ms over a 10 MB
    body naming a token, holding the interpreter lock from the UI): the pattern is only tried
    where a name stands, which finds the same matches (leftmost, not overlapping)."""
    if len(text) <= NAMES_PIECE_CHARS:
        yield from regex.finditer(text)
        return
    lead, end = _LEAD[regex], 0
    for at in _name_positions(text) if names is None else names:
        start = at - lead
        if start < end or start < 0:
            continue
        match = regex.match(text, start)
        if match is not None:
            end = match.end()
            yield match


def _structural_sub(regex: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> str:
    """``regex.sub(replace, text)``, in short calls for a long text (see _structural_matches)."""
    if len(text) <= NAMES_PIECE_CHARS:
        return regex.sub(replace, text)
    parts, end = [], 0
    for match in _structural_matches(regex, text):
        parts += [text[end:match.start()], replace(match)]
        end = match.end()
    return "".join([*parts, text[end:]]) if parts else text


def _decode_query_value(value: str) -> str:
    decoded = unquote_plus(value)
    if "%" in decoded:  # the URL itself was encoded once (a ``next=`` parameter)
        decoded = unquote_plus(decoded)
    return decoded


def _json_unescape(value: str) -> str:
    try:
        decoded: str = json.loads(f'"{value}"')  # a JSON string literal: always a str
    except ValueError:
        return value
    return decoded


def _basic_credentials(credentials: str) -> str:
    """``user:password`` of a Basic Authorization value ("" when it is not one)."""
    try:
        return base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return ""


def _cookie_values(value: str) -> list[str]:
    return [part.split("=", 1)[1].strip() for part in value.split(";") if "=" in part]


class Redactor:
    """Hides a record's secrets in any string, bytes, header list, parameter list or JSON tree.

    ``hide`` turns a secret into what is shown instead: :func:`mask_secret` for views and logs
    (the default), :func:`replace_secret` for exports. Build one per record with
    :meth:`scanning` (or :func:`for_record` / :func:`for_outcome`), so that secrets found in one
    field (a cookie, a redirect) are also removed from every other field.
    """

    def __init__(self, secrets: Iterable[str | None] = (), *, hide: Hide = mask_secret) -> None:
        self.hide = hide
        self.secrets: frozenset[str] = frozenset(s for s in secrets if s)
        ordered = sorted(self.secrets, key=lambda s: (-len(s), s))  # a longer secret wins over its part
        self._by_group = {f"s{i}": s for i, s in enumerate(ordered)}
        self._regex = (re.compile("|".join(f"(?P<s{i}>{secret_pattern(s)})" for i, s in enumerate(ordered)))
                       if ordered else None)
        # letters and digits are never encoded: a text lacking a secret's longest run cannot hold it
        runs = [max(_ALNUM_RUN.findall(s), key=len, default="") for s in ordered]
        self._runs: tuple[str, ...] | None = None if "" in runs else tuple(runs)

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def scanning(
        cls,
        texts: Iterable[str] = (),
        *,
        secrets: Iterable[str | None] = (),
        urls: Iterable[str] = (),
        headers: Iterable[tuple[str, str]] = (),
        params: Iterable[tuple[str, str]] = (),
        hide: Hide = mask_secret,
    ) -> Redactor:
        """A redactor for ``secrets`` plus every secret the structure of the request's ``urls``,
        ``texts``, ``headers`` and ``params`` reveals (see :func:`find_secrets`)."""
        return cls([*secrets, *find_secrets(texts, urls=urls, headers=headers, params=params)], hide=hide)

    def joined(self, other: Redactor) -> Redactor:
        """A redactor that hides the secrets of both (this one's way of hiding)."""
        return Redactor(self.secrets | other.secrets, hide=self.hide)

    # -- applying ----------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """``text`` with every secret hidden, by structure and by value."""
        if not text:
            return text
        text = self._structure(text)
        regex = self._regex
        if regex is None or (self._runs is not None and not any(run in text for run in self._runs)):
            return text
        by_group, hide = self._by_group, self.hide
        return regex.sub(lambda m: hide(by_group[m.lastgroup or ""]), text)

    def _structure(self, text: str) -> str:
        hide = self.hide
        if _names_secret(text):
            if "=" in text:
                text = _structural_sub(
                    _QUERY_RE, lambda m: m[1] + (hide(_decode_query_value(m[2])) if m[2] else ""), text)
            if "%3" in text:
                text = _structural_sub(
                    _NESTED_QUERY_RE, lambda m: m[1] + (hide(_decode_query_value(m[2])) if m[2] else ""), text)
            if '"' in text and ":" in text:
                text = _structural_sub(
                    _JSON_RE, lambda m: m[1] + (hide(_json_unescape(m[2])) if m[2] else "") + m[3], text)
        if "@" in text:
            text = _USERINFO_RE.sub(lambda m: "://" + _hide_userinfo(m[1], hide) + "@", text)
        return text

    def url(self, url: str) -> str:
        """A URL with its userinfo, secret parameters and any secret value hidden."""
        return self.text(url)

    def data(self, data: bytes) -> bytes:
        """A body with every secret hidden; bytes that are not UTF-8 are kept as they are."""
        if not data:
            return data
        text = data.decode("utf-8", "surrogateescape")
        return self.text(text).encode("utf-8", "surrogateescape")

    def params(self, params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Decoded (name, value) pairs: values of secret names hidden, the rest redacted as text."""
        return [(k, (self.hide(v) if v else v) if k.lower() in SECRET_PARAMS else self.text(v)) for k, v in params]

    def header(self, name: str, value: str) -> str:
        lower = name.lower()
        if lower in ("authorization", "proxy-authorization"):
            scheme, sep, credentials = value.strip().partition(" ")
            value = f"{scheme} {self.hide(credentials.strip())}" if sep and credentials.strip() else self.hide(value)
        elif lower == "cookie":
            value = "; ".join(_hide_cookie(part.strip(), self.hide) for part in value.split(";"))
        elif lower == "set-cookie":
            first, sep, attributes = value.partition(";")
            value = _hide_cookie(first.strip(), self.hide) + sep + attributes
        elif lower in SECRET_HEADERS:
            value = self.hide(value)
        return self.text(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, self.header(k, v)) for k, v in headers]

    def reason(self, reason: Reason) -> Reason:
        """A verdict reason whose sentence and fields (a redirect's Location) are redacted."""
        return replace(reason, message=self.text(reason.message),
                       args=tuple((k, self.text(v)) for k, v in reason.args))

    def tree(self, value: T) -> T:
        """A JSON-like tree (dicts, lists, strings) with every string redacted; keys are kept."""
        if isinstance(value, str):
            return self.text(value)  # type: ignore[return-value]
        if isinstance(value, bytes):
            return self.data(value)  # type: ignore[return-value]
        if isinstance(value, dict):
            return {k: self.tree(v) for k, v in value.items()}  # type: ignore[return-value]
        if isinstance(value, list | tuple):
            return type(value)(self.tree(v) for v in value)
        return value


T = TypeVar("T")


def _hide_userinfo(userinfo: str, hide: Hide) -> str:
    user, sep, password = userinfo.partition(":")
    return hide(unquote_plus(user)) + (sep + hide(unquote_plus(password)) if sep else "")


def _hide_cookie(pair: str, hide: Hide) -> str:
    name, sep, value = pair.partition("=")
    return f"{name}={hide(value)}" if sep and value else pair


def find_secrets(
    texts: Iterable[str] = (),
    *,
    urls: Iterable[str] = (),
    headers: Iterable[tuple[str, str]] = (),
    params: Iterable[tuple[str, str]] = (),
) -> set[str]:
    """The secrets the structure of these strings reveals.

    Always: values of secret parameters in ``params`` and in the query of the request's own
    ``urls``, passwords of userinfo, credentials of Authorization and other credential headers.
    From :data:`MIN_FOUND_CHARS` on: cookie values, usernames, secret parameters of any other URL
    in ``texts`` (a redirect, a link in a body), JSON secret fields.
    """
    always: set[str] = {v for k, v in params if k.lower() in SECRET_PARAMS and v}
    for url in urls:
        always.update(_decode_query_value(m[2]) for m in _QUERY_RE.finditer(url) if m[2])
    found: set[str] = set()
    other: list[str] = []
    for name, value in headers:
        lower = name.lower()
        if lower in ("authorization", "proxy-authorization"):
            scheme, _, credentials = value.strip().partition(" ")
            always.add(credentials.strip() or scheme)
            if scheme.lower() == "basic":
                user, _, password = _basic_credentials(credentials.strip()).partition(":")
                found.add(user)
                always.add(password)
        elif lower == "cookie":
            found.update(_cookie_values(value))
        elif lower == "set-cookie":
            found.update(_cookie_values(value.partition(";")[0]))
        elif lower in SECRET_HEADERS:
            always.add(value.strip())
        else:
            other.append(value)
    for text in (*urls, *texts, *other):
        if not text:
            continue
        if _names_secret(text):
            names = _name_positions(text) if len(text) > NAMES_PIECE_CHARS else None  # (found once for all three)
            if "=" in text:
                found.update(_decode_query_value(m[2]) for m in _structural_matches(_QUERY_RE, text, names) if m[2])
            if "%3" in text:
                found.update(_decode_query_value(m[2])
                             for m in _structural_matches(_NESTED_QUERY_RE, text, names) if m[2])
            if '"' in text:
                found.update(_json_unescape(m[2]) for m in _structural_matches(_JSON_RE, text, names) if m[2])
        if "@" in text:
            for m in _USERINFO_RE.finditer(text):
                user, sep, password = m[1].partition(":")
                found.add(unquote_plus(user))
                if sep and password:
                    always.update((password, unquote_plus(password)))
                # what an HTTP client sends for it (httpx does): Authorization: Basic base64(user:password)
                basic = f"{unquote(user)}:{unquote(password)}".encode()
                always.add(base64.b64encode(basic).decode("ascii"))
    always.discard("")
    return always | {s for s in found if len(s) >= MIN_FOUND_CHARS}


# -- the records of the workbench ------------------------------------------------------------


def _body_text(body: bytes) -> str:
    return body.decode("utf-8", "surrogateescape")


def for_record(record: HistoryRecord, hide: Hide = mask_secret) -> Redactor:
    """The redactor of one stored pre-pull: its token or code and all the record reveals."""
    texts = [_body_text(record.body), *(r.message for r in record.reasons)]
    return Redactor.scanning(texts, urls=(record.full_url, record.url), secrets=(record.token, record.code),
                             params=record.params,
                             headers=[*record.request_headers, *record.response_headers], hide=hide)


def for_records(records: Sequence[HistoryRecord], hide: Hide = mask_secret) -> Redactor:
    """One redactor for several records (a diff shows two side by side)."""
    secrets: set[str] = set()
    for record in records:
        secrets |= for_record(record, hide).secrets
    return Redactor(secrets, hide=hide)


def for_request(request: PrefetchRequest, hide: Hide = mask_secret) -> Redactor:
    """The redactor of a request about to be sent (the composer's preview)."""
    return Redactor.scanning(urls=[request.url], secrets=(request.identity.token, request.identity.code), hide=hide)


def for_outcome(outcome: Outcome, hide: Hide = mask_secret, *, scan_body: bool = True) -> Redactor:
    """The redactor of a request just sent and its response (views and CLI output).

    ``scan_body=False`` skips looking for secret fields in the body (a view on the UI thread,
    where a 32 MB body would take a while); the request's own secrets are still replaced in it.
    """
    request = outcome.request
    texts = [*((_body_text(outcome.body),) if scan_body else ()), *(r.message for r in outcome.verdict.reasons)]
    return Redactor.scanning(texts, urls=(outcome.sent.url, request.url),
                             secrets=(request.identity.token, request.identity.code), params=outcome.sent.params,
                             headers=[*outcome.sent.headers, *outcome.headers],
                             hide=hide)
