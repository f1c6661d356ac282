"""The launch query as typed, and a key/value view of it that edits it in place (P8).

The raw launch query is the truth: it is what the request sends (P8 encodes it once as the
``query`` parameter). The composer's table is a *view*: each row is one ``&``-separated
segment of the raw text, shown decoded, and editing a row rewrites only that segment's text.
Every other byte of the raw query stays as it was, so ``a=1+2&b=%E4%B8%AD&c=x%26y%3Dz`` keeps
its ``+`` and its escapes when another pair is edited.

Decoding follows ``decodeURIComponent``, which is how a Mini Program reads its launch query:
``%XX`` escapes are decoded as UTF-8, ``+`` stays ``+``, an escape that is not valid is shown as
it is. Writing back encodes only what must be encoded for the text to decode to exactly what
was typed (``%``, ``&``, ``=`` in a key, control characters), unless the segment's own text
used escapes: then the new text is encoded the same way, as ``encodeURIComponent`` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

#: Characters encodeURIComponent leaves alone.
_URI_COMPONENT_SAFE = "-_.!~*'()"


@dataclass(frozen=True, slots=True)
class Segment:
    """One ``&``-separated piece of the raw query and where it sits in it."""

    start: int
    end: int
    raw_key: str
    #: None when the segment has no ``=`` at all (``flag``), "" for ``flag=``
    raw_value: str | None

    @property
    def key(self) -> str:
        return decode(self.raw_key)

    @property
    def value(self) -> str:
        return decode(self.raw_value) if self.raw_value is not None else ""

    @property
    def empty(self) -> bool:
        return self.start == self.end


def decode(text: str) -> str:
    """``decodeURIComponent`` for display: UTF-8 escapes decoded, ``+`` kept, bad escapes kept."""
    return unquote(text, errors="replace")


def encode(text: str, *, key: bool, full: bool = False) -> str:
    """Text that :func:`decode` turns back into ``text`` exactly.

    ``full`` encodes as ``encodeURIComponent`` does; otherwise only what must be encoded is:
    ``%`` (it would start an escape), ``&`` (it would end the pair), ``=`` in a key (it would
    end the key) and control characters (invisible, and they would not survive editing).
    """
    if full:
        return quote(text, safe=_URI_COMPONENT_SAFE)
    out = []
    for ch in text:
        if ch in "%&" or (key and ch == "=") or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(quote(ch, safe=""))
        else:
            out.append(ch)
    return "".join(out)


def segments(raw: str) -> list[Segment]:
    """Every segment of ``raw``, empty ones included; joining their text with ``&`` gives ``raw``."""
    out: list[Segment] = []
    start = 0
    for piece in raw.split("&"):
        end = start + len(piece)
        key, sep, value = piece.partition("=")
        out.append(Segment(start, end, key, value if sep else None))
        start = end + 1
    return out


def pairs(raw: str) -> list[Segment]:
    """The segments a table shows, one row each: all but the empty ones (``a=1&&b=2``)."""
    return [s for s in segments(raw) if not s.empty]


def decoded_pairs(raw: str) -> list[tuple[str, str]]:
    return [(s.key, s.value) for s in pairs(raw)]


def _uses_escapes(text: str | None) -> bool:
    return text is not None and "%" in text and decode(text) != text


def replace_pair(raw: str, row: int, key: str, value: str) -> str:
    """``raw`` with row ``row`` of :func:`pairs` set to ``key``/``value`` (decoded text).

    Only that segment's text changes: a key or value left as it decodes keeps its raw text.
    An empty key and value delete the segment and one ``&`` next to it. Raises IndexError for
    a row that does not exist.
    """
    seg = pairs(raw)[row]
    if (key, value) == (seg.key, seg.value):
        return raw
    if not key and not value:
        return _delete(raw, seg)
    raw_key = seg.raw_key if key == seg.key else encode(key, key=True, full=_uses_escapes(seg.raw_key))
    keep_value = value == seg.value
    raw_value = seg.raw_value if keep_value else encode(value, key=False, full=_uses_escapes(seg.raw_value))
    text = raw_key if raw_value is None else f"{raw_key}={raw_value}"
    return raw[:seg.start] + text + raw[seg.end:]


def append_pair(raw: str, key: str, value: str) -> str:
    """``raw`` with a new pair at the end (minimally encoded); unchanged when both are empty."""
    if not key and not value:
        return raw
    text = f"{encode(key, key=True)}={encode(value, key=False)}"
    if not raw or raw.endswith("&"):
        return raw + text
    return f"{raw}&{text}"


def _delete(raw: str, seg: Segment) -> str:
    if seg.end < len(raw):  # a '&' follows: remove the segment and it
        return raw[:seg.start] + raw[seg.end + 1:]
    if seg.start > 0:  # the last segment: remove the '&' before it
        return raw[:seg.start - 1]
    return ""
