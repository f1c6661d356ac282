"""Formatting a response body for the viewers without freezing the window (no Qt here).

It runs in a worker thread, but a thread shares the interpreter lock with the UI: one
``json.loads`` of 10 MB holds it for 120-380 ms, and the window cannot even repaint meanwhile.
So big documents are parsed in pieces (each a C call of at most ~64 KB, with the lock free
for the UI between them), and only as much pretty text is made as the viewer shows.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

#: Up to this size a body is parsed in one call: it holds the lock for a few ms at most.
WHOLE_PARSE_CHARS = 512 * 1024
#: The most one C-level parse call gets at a time when parsing in pieces.
PIECE_CHARS = 64 * 1024
#: Below this nesting depth a container too big for one piece is taken apart; deeper ones are
#: parsed whole (a document nested that deep is not a realistic response).
MAX_SPLIT_DEPTH = 64

_decoder = json.JSONDecoder()
_whitespace = re.compile(r"[ \t\n\r]*")


def loads_in_pieces(text: str, piece_chars: int = PIECE_CHARS) -> Any:
    """Exactly ``json.loads(text)`` (same value, ValueError on the same inputs), made from C-level
    parses of at most about ``piece_chars`` each, so the interpreter lock is free between them."""
    return _Pieces(text, piece_chars).document()



def _skip(text: str, i: int) -> int:
    """Where the whitespace starting at ``i`` ends (the pattern matches the empty string too)."""
    match = _whitespace.match(text, i)
    assert match is not None
    return match.end()

class _Pieces:
    def __init__(self, text: str, piece_chars: int) -> None:
        self.text = text
        self.piece_chars = max(16, piece_chars)

    def document(self) -> Any:
        text = self.text
        value, end = self.value(_skip(text, 0), 0, 64)
        end = _skip(text, end)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
        return value

    def value(self, i: int, depth: int, guess: int) -> tuple[Any, int]:
        """The value at ``i`` and where it ends; ``guess`` is a likely size (a previous sibling's)."""
        text = self.text
        opening = text[i:i + 1]
        if opening not in ("[", "{") or depth >= MAX_SPLIT_DEPTH:
            return _decoder.raw_decode(text, i)  # a string, number or literal: one quick C call
        size = min(max(guess * 4, 256), self.piece_chars)
        while True:  # try the container whole, in a slice a little bigger than its siblings
            piece = text[i:i + size]
            try:
                value, end = _decoder.raw_decode(piece)  # a container parsed is complete: it closed
            except json.JSONDecodeError:
                pass  # cut by the slice, or malformed: taking it apart tells which
            else:
                return value, i + end
            if size >= self.piece_chars or i + size >= len(text):
                break
            size = min(size * 4, self.piece_chars)
        return self.array(i, depth) if opening == "[" else self.object(i, depth)

    def skip(self, i: int) -> int:
        return _skip(self.text, i)

    def array(self, i: int, depth: int) -> tuple[list, int]:
        text = self.text
        items: list[Any] = []
        i = self.skip(i + 1)
        if text[i:i + 1] == "]":
            return items, i + 1
        guess = 64
        while True:
            start = i
            item, i = self.value(i, depth + 1, guess)
            guess = i - start
            items.append(item)
            i = self.skip(i)
            delimiter = text[i:i + 1]
            if delimiter == "]":
                return items, i + 1
            if delimiter != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
            i = self.skip(i + 1)

    def object(self, i: int, depth: int) -> tuple[dict, int]:
        text = self.text
        members: dict[str, Any] = {}
        i = self.skip(i + 1)
        if text[i:i + 1] == "}":
            return members, i + 1
        guess = 64
        while True:
            if text[i:i + 1] != '"':
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, i)
            key, i = _decoder.raw_decode(text, i)
            i = self.skip(i)
            if text[i:i + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
            i = self.skip(i + 1)
            start = i
            members[key], i = self.value(i, depth + 1, guess)
            guess = i - start
            i = self.skip(i)
            delimiter = text[i:i + 1]
            if delimiter == "}":
                return members, i + 1
            if delimiter != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
            i = self.skip(i + 1)


def pretty(document: Any, limit: int) -> tuple[str, bool]:
    """``json.dumps(document, ensure_ascii=False, indent=2)`` up to ``limit`` characters, and
    whether it was cut. Made piece by piece (pure Python: the lock is free often) and only as far
    as needed."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    parts: list[str] = []
    size = 0
    for part in encoder.iterencode(document):
        parts.append(part)
        size += len(part)
        if size > limit:
            return "".join(parts)[:limit], True
    return "".join(parts), False


def decode(body: bytes, errors: str = "strict", piece_bytes: int | None = None) -> str:
    """Exactly ``body.decode("utf-8", errors)``, made from C-level decodes of at most
    ``piece_bytes`` (:data:`PIECE_CHARS`) each: decoding 10 MB at once holds the interpreter lock
    ~10 ms (the incremental decoder carries a character cut between pieces over to the next)."""
    piece_bytes = piece_bytes or PIECE_CHARS
    if len(body) <= piece_bytes:
        return body.decode("utf-8", errors)
    decoder = codecs.getincrementaldecoder("utf-8")(errors)
    view = memoryview(body)
    parts = [decoder.decode(view[i:i + piece_bytes]) for i in range(0, len(body), piece_bytes)]
    parts.append(decoder.decode(b"", True))
    return "".join(parts)


def format_body(body: bytes, limit: int) -> tuple[str, Any, bool]:
    """(text to show, parsed JSON or None, cut?): the body pretty-printed when it is JSON, else
    as text; at most ``limit`` characters. CPU work: run it off the UI thread."""
    return format_text(decode(body, "replace"), limit)


def format_text(text: str, limit: int) -> tuple[str, Any, bool]:
    """:func:`format_body` of a body already decoded."""
    try:
        document = json.loads(text) if len(text) <= WHOLE_PARSE_CHARS else loads_in_pieces(text)
    except (ValueError, RecursionError):
        return text[:limit], None, len(text) > limit
    shown, cut = pretty(document, limit)
    return shown, document, cut
