"""What the Mini Program reads from the pre-pull cache (rules P14-P20), as plain functions.

The store keeps one current entry per (appid, user, fetchType) and replaces it only when a
fetch succeeds (P15). These functions turn an entry, or its absence, into exactly what
``wx.getBackgroundFetchData``, ``wx.onBackgroundFetchData`` and ``wx.getBackgroundFetchToken``
deliver.
"""

from __future__ import annotations

import time
from typing import Any

from workbench.core.model import FetchType
from workbench.core.protocol import Platform, ProtocolSettings
from workbench.core.store import CacheEntry

HOUR_MS = 3_600_000

GET_OK = "getBackgroundFetchData:ok"
#: P18 (Android): the text after "fail" is not documented; this one says what happened.
GET_FAIL_NO_DATA = "getBackgroundFetchData:fail no background fetch data"
TOKEN_OK = "getBackgroundFetchToken:ok"
TOKEN_FAIL = "getBackgroundFetchToken:fail token not set, maybe you should setBackgroundFetchToken first"


def launch_fields(entry: CacheEntry) -> tuple[str, str, int]:
    """(path, query, scene) as the read API reports them. A periodic entry had no launch, so
    it reports ``"", "", 0`` (P21, assumed), even if an older store kept launch fields."""
    if entry.fetch_type == FetchType.PERIODIC:
        return "", "", 0
    return entry.path, entry.query, entry.scene


def success_result(entry: CacheEntry) -> dict[str, Any]:
    """The success object of getBackgroundFetchData, field for field (P16)."""
    path, query, scene = launch_fields(entry)
    return {
        "fetchedData": entry.fetched_data,
        "timeStamp": entry.time_stamp,
        "path": path,
        "query": query,
        "scene": scene,
        "errMsg": GET_OK,
    }


def expires_at_ms(entry: CacheEntry, settings: ProtocolSettings | None) -> int | None:
    """When a periodic entry stops being readable (P24, assumed never: a setting); None: never."""
    if entry.fetch_type != FetchType.PERIODIC or settings is None or settings.periodic_expiry_h is None:
        return None
    return entry.time_stamp + int(settings.periodic_expiry_h * HOUR_MS)


def is_expired(entry: CacheEntry | None, settings: ProtocolSettings | None, now_ms: int | None = None) -> bool:
    """Whether ``entry`` is a periodic entry older than the expiry setting (P24)."""
    if entry is None:
        return False
    end = expires_at_ms(entry, settings)
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    return end is not None and now >= end


def missing_result(platform: Platform | str) -> tuple[bool, dict[str, Any]]:
    """What a read with no entry delivers (P18): (calls success?, the object).

    Android calls ``fail``. iOS calls ``success`` with ``fetchedData: ""``; the other fields are
    not documented and are **assumed** empty, so code that reads them sees their types.
    """
    if Platform(platform) is Platform.ANDROID:
        return False, {"errMsg": GET_FAIL_NO_DATA}
    return True, {"fetchedData": "", "timeStamp": 0, "path": "", "query": "", "scene": 0, "errMsg": GET_OK}


def get_background_fetch_data(
    entry: CacheEntry | None,
    platform: Platform | str,
    *,
    settings: ProtocolSettings | None = None,
    now_ms: int | None = None,
) -> tuple[bool, dict[str, Any]]:
    """``wx.getBackgroundFetchData({fetchType})`` given the entry the cache holds: (success?, object).

    The entry passed is what the cache holds *now*; while this launch's request is in flight
    that is still the previous launch's entry (P17), see :func:`entry_seen_at`. With
    ``settings``, a periodic entry past ``periodic_expiry_h`` reads as missing (P24);
    :func:`is_expired` tells the caller why.
    """
    if entry is None or is_expired(entry, settings, now_ms):
        return missing_result(platform)
    return True, success_result(entry)


def entry_seen_at(
    read_ms: float,
    previous: CacheEntry | None,
    current: CacheEntry | None,
    arrived_ms: float | None,
) -> tuple[str, CacheEntry | None]:
    """Which entry a read at ``read_ms`` sees during a launch (P17).

    ``current`` is the entry this launch's request produced (None if it was not cached) and
    ``arrived_ms`` when it arrived (None if the request has not finished). The read does not
    wait: before arrival it sees the previous launch's entry. Returns ("current" | "previous" |
    "none", entry).
    """
    if current is not None and arrived_ms is not None and arrived_ms <= read_ms:
        return "current", current
    if previous is not None:
        return "previous", previous
    return "none", None


def listener_payload(entry: CacheEntry) -> dict[str, Any]:
    """The object ``wx.onBackgroundFetchData`` passes to its callback (P19)."""
    path, query, scene = launch_fields(entry)
    return {
        "fetchType": entry.fetch_type,
        "fetchedData": entry.fetched_data,
        "timeStamp": entry.time_stamp,
        "path": path,
        "query": query,
        "scene": scene,
    }


def listener_fires(registered_ms: float, arrived_ms: float | None, cached: bool) -> bool:
    """P19: the listener fires when data arrives after it was registered, never retroactively."""
    return cached and arrived_ms is not None and arrived_ms > registered_ms


def get_background_fetch_token(token: str | None) -> tuple[bool, dict[str, Any]]:
    """``wx.getBackgroundFetchToken`` (P20): the stored token, or fail when none was set."""
    if token is None:
        return False, {"errMsg": TOKEN_FAIL}
    return True, {"token": token, "errMsg": TOKEN_OK}
