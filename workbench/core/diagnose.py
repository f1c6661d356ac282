"""Why is the cache empty? The concrete causes, found in the history and the configuration."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.cache import is_expired
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.core.model import Reason
from workbench.core.protocol import ProtocolSettings
from workbench.core.store import CacheEntry, Store

CAUSE_TEMPLATES: dict[str, str] = {
    "not_enabled": QT_TRANSLATE_NOOP(
        "Causes", "-10007 no permission: data pre-pull is not switched on for this Mini Program (admin console: "
                  "development settings; here: the workspace setting)."),
    "no_token": QT_TRANSLATE_NOOP(
        "Causes", "token not set, maybe you should setBackgroundFetchToken first (periodic updates need a token)."),
    "token_this_launch": QT_TRANSLATE_NOOP(
        "Causes", "The token was set during the last launch; the pre-pull had already been sent, so only the "
                  "next launch carries it (P5)."),
    "never_sent": QT_TRANSLATE_NOOP("Causes", "No pre-pull has been sent for {user} yet: launch the Mini Program "
                                              "(simulate a cold start) first."),
    "in_flight": QT_TRANSLATE_NOOP(
        "Causes", "This launch's request is still in flight: the previous launch's entry is served until it "
                  "arrives (P17)."),
    "last_failed": QT_TRANSLATE_NOOP("Causes", "The last pre-pull (#{id}, {when}) was not cached: {reason}"),
    "periodic_expired": QT_TRANSLATE_NOOP(
        "Causes", "The periodic entry of {when} expired after {hours} hours (P24, the workspace's periodic "
                  "expiry setting), so it reads as missing."),
    "gray_unreachable": QT_TRANSLATE_NOOP(
        "Causes", "The gray address is unreachable ({reason_code}): users in the gray group get no data."),
}
UNREACHABLE = {"refused", "dns", "tls", "connect", "timeout", "reset", "incomplete"}


@dataclass(frozen=True, slots=True)
class Cause:
    key: str
    args: tuple[tuple[str, str], ...] = ()
    #: the verdict reason this cause quotes (so a translated UI can quote it in its language)
    reason: Reason | None = None

    @property
    def message(self) -> str:
        return CAUSE_TEMPLATES[self.key].format(**dict(self.args))


def expired_cause(entry: CacheEntry, settings: ProtocolSettings) -> Cause:
    """P24: why an expired periodic entry reads as missing."""
    import time

    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.time_stamp / 1000))
    return Cause("periodic_expired", (("when", when), ("hours", f"{settings.periodic_expiry_h:g}")))


def why_empty(store: Store, appid: str, user: str, fetch_type: str = "pre", *, prefetch_enabled: bool = True,
              in_flight: bool = False, settings: ProtocolSettings | None = None,
              now_ms: int | None = None) -> list[Cause]:
    """Every cause that explains a missing (or stale) entry; empty when the cache holds data.

    With ``settings``, an expired periodic entry (P24) counts as missing and says so."""
    import time

    causes: list[Cause] = []
    if not prefetch_enabled:
        return [Cause("not_enabled")]
    entry = store.cache_entry(appid, user, fetch_type)
    if entry is not None and is_expired(entry, settings, now_ms):
        assert settings is not None
        causes.append(expired_cause(entry, settings))
        entry = None
    token = store.token(appid, user)
    if fetch_type == "periodic" and token is None:
        causes.append(Cause("no_token"))
    history = store.latest_history(appid, user, fetch_type, limit=20)
    if in_flight:
        causes.append(Cause("in_flight"))
    if not history:
        if entry is None:
            causes.append(Cause("never_sent", (("user", user or "this user"),)))
        return causes
    last = history[0]
    token_set = store.token_set_ms(appid, user)
    if token is not None and token_set is not None and last.token != token and token_set >= last.started_ms:
        causes.append(Cause("token_this_launch"))
    if not last.cached:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last.started_ms / 1000))
        for reason in last.reasons:
            causes.append(Cause("last_failed", (("id", str(last.id)), ("when", when), ("reason", reason.message)),
                                reason))
        if last.address_kind == "gray" and any(r.code in UNREACHABLE for r in last.reasons):
            causes.append(Cause("gray_unreachable", (("reason_code", last.reasons[0].code),)))
    return causes if entry is None or causes else []
