"""Periodic update (fetchType periodic): when WeChat would send it (P21-P23), on any clock."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.protocol import ProtocolSettings

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True, slots=True)
class PeriodicDecision:
    due: bool
    #: why (not): "never" (no update yet), "interval" (12 h passed), "wait" (too early),
    #: "inactive" (not used for 7 days), "no_token"
    why: str
    next_due_ms: int | None


def periodic_decision(now_ms: int, last_success_ms: int | None, last_used_ms: int | None, has_token: bool,
                      settings: ProtocolSettings | None = None) -> PeriodicDecision:
    """Would WeChat send a periodic update now? Every 12 h from the last success (P22), only for
    users active in the last 7 days (P23), only with a token (P21)."""
    settings = settings or ProtocolSettings()
    interval = int(settings.periodic_interval_h * HOUR_MS)
    window = int(settings.periodic_usage_window_days * DAY_MS)
    if not has_token:
        return PeriodicDecision(False, "no_token", None)
    if last_used_ms is None or now_ms - last_used_ms > window:
        return PeriodicDecision(False, "inactive", None)
    if last_success_ms is None:
        return PeriodicDecision(True, "never", now_ms)
    next_due = last_success_ms + interval
    if now_ms >= next_due:
        return PeriodicDecision(True, "interval", next_due)
    return PeriodicDecision(False, "wait", next_due)
