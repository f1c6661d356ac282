"""Argument types every command shares: bad input is refused while parsing, before anything is
opened or sent, with one sentence and exit status 2 (issue 11 item 4).

Each factory returns an argparse ``type=`` function. NaN, infinities, negatives and values out
of range are refused: ``--timeout inf`` would wait forever, ``--rate nan`` would mean unlimited.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence

from workbench.core.errors import InvalidInput

#: P11: the longest timeout a request may be given (an hour; WeChat's own is seconds).
MAX_TIMEOUT_S = 3600.0
#: The longest simulated code package download (ten minutes).
MAX_PACKAGE_MS = 600_000.0
#: core/rollout.py Population: the most simulated users.
MAX_USERS = 1_000_000
#: The fastest traffic rate, cold starts per second.
MAX_RATE = 100_000.0
#: The most requests a traffic run keeps in flight.
MAX_CONCURRENCY = 1024
#: P7: scene values are positive 32-bit integers.
MAX_SCENE = 2**31 - 1

ArgType = Callable[[str], object]


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _named(function: Callable[[str], object], name: str) -> ArgType:
    function.__name__ = name  # argparse names the type in some messages
    return function


def float_in(low: float, high: float, *, unit: str, low_inclusive: bool = True) -> ArgType:
    """A finite number from ``low`` (exclusive unless ``low_inclusive``) to ``high`` inclusive."""
    above = "at least" if low_inclusive else "more than"

    def parse(text: str) -> float:
        value = _number(text)
        if not (low <= value if low_inclusive else low < value) or value > high:
            raise argparse.ArgumentTypeError(f"must be {above} {low:g} and at most {high:g} {unit}, not {text!r}")
        return value

    return _named(parse, "number")


def positive_float(maximum: float, *, unit: str) -> ArgType:
    """A finite number more than 0 and at most ``maximum`` (a timeout, a rate)."""
    return float_in(0, maximum, unit=unit, low_inclusive=False)


def int_in(low: int, high: int, *, what: str = "") -> ArgType:
    """A whole number from ``low`` to ``high`` inclusive."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {what}from {low} to {high}, not {value}")
        return value

    return _named(parse, "integer")


port = int_in(0, 65535, what="a port ")


def _sentence_part(exc: InvalidInput) -> argparse.ArgumentTypeError:
    """A core message as the tail of argparse's "argument --x: ..." sentence."""
    text = str(exc).rstrip(".")
    return argparse.ArgumentTypeError(text[:1].lower() + text[1:])


def percent(text: str) -> float:
    """A gray percentage: 0-100 in steps of 0.01 (P25)."""
    from workbench.core.rollout import validate_percent

    value = _number(text)
    try:
        return validate_percent(value)
    except InvalidInput as exc:
        raise _sentence_part(exc) from None


def scene(text: str) -> int | None:
    """A scene value (P7): a positive integer such as 1047; empty for none."""
    from workbench.core.protocol import parse_scene

    try:
        return parse_scene(text)
    except InvalidInput as exc:
        raise _sentence_part(exc) from None


def url(text: str) -> str:
    """An address the client can send to: http(s), a host that is valid IDNA, not too long.
    (Whether plain http is allowed depends on --allow-plain-http and is checked later.)"""
    from workbench.core.protocol import check_sendable, validate_url

    try:
        return check_sendable(validate_url(text, allow_plain_http=True))
    except InvalidInput as exc:
        raise _sentence_part(exc) from None


timeout = positive_float(MAX_TIMEOUT_S, unit="seconds")


def undecodable(argv: Sequence[str]) -> str | None:
    """One sentence about the first argument that is not UTF-8 text, or None.

    Python turns bytes that are not UTF-8 into lone surrogates (surrogateescape); they would
    fail much later, when printed or percent-encoded, with a traceback.
    """
    from workbench.core.protocol import undecodable_bytes

    for position, arg in enumerate(argv, 1):
        bad = undecodable_bytes(arg)
        if bad:
            try:
                raw = arg.encode("utf-8", "surrogateescape")  # the bytes as they were given
            except UnicodeEncodeError:
                raw = arg.encode("utf-8", "surrogatepass")
            shown = raw.decode("utf-8", "backslashreplace")
            shown = shown if len(shown) <= 60 else shown[:60] + "…"
            return f"argument {position} '{shown}' is not UTF-8 text (bytes {bad}): pass text encoded as UTF-8"
    return None
