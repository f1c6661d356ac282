"""A traffic scenario as a standalone Locust file: load beyond one machine on an existing engine.

The file reproduces WeChat's pre-pull requests exactly as the workbench's traffic run sends them
(P1-P9): the simulated users with their tokens or login codes, the rollout's split between the
main and the gray address by the same blake2b bucket rule (P28, P29; so the split equals the
workbench's preview), the launch mix and the rate. It needs only ``locust`` and the standard
library, so a team runs it with ``locust -f FILE.py --master`` and workers on other machines
without the workbench installed.

Tokens are secrets: the file is written readable by its owner only (mode 600).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench import __version__
from workbench.core.atomic import write_text_atomic
from workbench.core.errors import InvalidInput
from workbench.core.launch_mix import LaunchMix
from workbench.core.protocol import (
    MAX_BODY_BYTES,
    TimestampUnit,
    validate_appid,
    validate_url,
)
from workbench.core.rollout import BUCKETS, Population, Rollout, SplitIndex, threshold

#: The most simulated users one file holds (about 9 MB of Python): Locust loads it on every worker.
MAX_EXPORT_USERS = 100_000


@dataclass(frozen=True, slots=True)
class LocustScenario:
    """Everything the Locust file reproduces. Validated when made."""

    appid: str
    rollout: Rollout
    population: Population
    #: how many of the population's users the file holds (default: all)
    count: int | None = None
    #: how users launch: the traffic run's mix (one model, one pick: user i gets the same launch
    #: from the file as from a run); default: the run's default single launch
    launch_mix: LaunchMix = field(default_factory=LaunchMix.default)
    #: cold starts per second, per Locust process (None: as fast as the Locust users go)
    rate: float | None = None
    timestamp_unit: TimestampUnit = TimestampUnit.MILLISECONDS
    timeout_s: float = 5.0
    max_body_bytes: int = MAX_BODY_BYTES
    #: where users without a token get their login code (POST ?user=OPENID, the workbench mock's
    #: /sns/jscode2session); None: a random code per cold start, which a real server refuses
    code_exchange_url: str | None = None
    allow_plain_http: bool = False
    users: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "appid", validate_appid(self.appid))
        plain = self.allow_plain_http
        validate_url(self.rollout.main_url, allow_plain_http=plain)
        if self.rollout.active:
            validate_url(self.rollout.gray_url, allow_plain_http=plain)
        if self.code_exchange_url is not None:
            object.__setattr__(self, "code_exchange_url",
                               validate_url(self.code_exchange_url, allow_plain_http=plain))
        users = min(self.count or self.population.size, self.population.size)
        if self.count is not None and self.count < 1:
            raise InvalidInput("Export at least one user.")
        if users > MAX_EXPORT_USERS:
            raise InvalidInput(f"A Locust file holds at most {MAX_EXPORT_USERS:,} simulated users, not {users:,}: "
                               "export fewer users (they loop if the run lasts longer).")
        object.__setattr__(self, "users", users)
        if self.rate is not None:
            if not math.isfinite(self.rate) or self.rate <= 0:
                raise InvalidInput("The rate must be more than 0 cold starts per second.")
            object.__setattr__(self, "rate", float(self.rate))
        if not self.timeout_s > 0:
            raise InvalidInput("The timeout must be more than 0 seconds.")
        object.__setattr__(self, "timestamp_unit", TimestampUnit(self.timestamp_unit))

    def preview(self) -> dict[str, int]:
        """The split the file's users make: the Traffic tab's preview for the same users."""
        index = SplitIndex.build(self.population, self.appid, self.rollout.rollout_id, self.users)
        return index.split(self.rollout.percent, self.rollout.active)


def render_locustfile(scenario: LocustScenario) -> str:
    """The Locust file's text (Python source, UTF-8)."""
    s, r = scenario, scenario.rollout
    user_lines = "".join(f"    ({u.openid!r}, {u.token!r}, {u.version.value!r}),\n"
                         for u in s.population.users(s.users))
    mix_lines = "".join(f"    ({v.weight!r}, {v.path!r}, {v.query!r}, {v.scene!r}, {v.version!r}),\n"
                        for v in s.launch_mix.variants)
    preview = s.preview()
    values = {
        "VERSION": __version__,
        "APPID": repr(s.appid),
        "MAIN_URL": repr(r.main_url),
        "GRAY_URL": repr(r.gray_url),
        "ROLLOUT_ID": repr(r.rollout_id),
        "PERCENT": repr(r.percent),
        "ACTIVE": repr(r.active),
        "GRAY_BUCKETS": repr(threshold(r.percent)),
        "BUCKETS": repr(BUCKETS),
        "RATE": repr(s.rate),
        "TIMESTAMP_UNIT": repr(s.timestamp_unit.value),
        "TIMEOUT_S": repr(s.timeout_s),
        "MAX_BODY_BYTES": repr(s.max_body_bytes),
        "CODE_EXCHANGE_URL": repr(s.code_exchange_url),
        "PREVIEW_MAIN": repr(preview["main"]),
        "PREVIEW_GRAY": repr(preview["gray"]),
        "USER_COUNT": f"{s.users:,}",
        "USERS": user_lines,
        "LAUNCH_SEED": repr(s.launch_mix.seed),
        "LAUNCHES": mix_lines,
    }
    # one pass: a value (a launch query, a URL) that happens to contain @@NAME@@ stays as it is
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], TEMPLATE)


_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def write_locustfile(path: Path | str, scenario: LocustScenario) -> dict[str, int]:
    """Write the file atomically, mode 600 (it holds tokens). Returns the split it reproduces."""
    target = Path(path)
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder: give a file name such as prepull_locustfile.py.")
    write_text_atomic(target, render_locustfile(scenario))  # a private temporary file renamed into place
    target.chmod(0o600)
    return scenario.preview()


TEMPLATE = '''\
"""WeChat data pre-pull traffic for Locust, exported by Prepull Workbench @@VERSION@@.

KEEP THIS FILE PRIVATE: it holds the simulated users' tokens (it was written with mode 600).

It needs only locust and the standard library:
    pip install locust
    locust -f THIS_FILE.py --headless -u 50 -r 10 --run-time 1m
    locust -f THIS_FILE.py --master            # and on other machines:
    locust -f THIS_FILE.py --worker --master-host=MASTER

What it sends, as the WeChat backend does (rules of prepull-protocol.md):
- one GET per cold start of a simulated user, every parameter in the query string (P1-P9):
  appid, then token (a user with a token) or code (a user without one), timestamp, and the
  launch's path, query (URL-encoded once as one parameter, P8), scene, customMiniprogramVersion;
- to the main or the gray address by the workbench's rule: a blake2b hash of
  (appid, rollout id, user) into 10,000 buckets, gray below the percentage; develop and trial
  clients always gray while the rollout is active (P28, P29). The split of these @@USER_COUNT@@
  users is main @@PREVIEW_MAIN@@, gray @@PREVIEW_GRAY@@, as the workbench previewed it;
- each user's launch picked from LAUNCHES by weight exactly as the workbench's traffic run picks it
  (a blake2b hash of LAUNCH_SEED:user index into the total weight): the same user gets the same
  launch here, in every run, and in the workbench;
- at most RATE cold starts per second per Locust process (None: as fast as the users go);
- no redirects followed, a TIMEOUT_S timeout, and a response counts as a failure unless WeChat would
  cache it: 2xx, at most MAX_BODY_BYTES, UTF-8 (P11-P13).

Each process sends every user once, in order, then stops the run (with W workers each sends the
population: W times the counts, the same split). Set LOOP = True to go round again until
--run-time ends.
"""

import bisect
import hashlib
import itertools
import json
import secrets
import string
import threading
import time
import urllib.parse
import urllib.request

from locust import FastHttpUser, events, task
from locust.exception import StopUser

APPID = @@APPID@@
MAIN_URL = @@MAIN_URL@@
GRAY_URL = @@GRAY_URL@@
ROLLOUT_ID = @@ROLLOUT_ID@@
PERCENT = @@PERCENT@@
#: False once the rollout was promoted to 100%: every client uses MAIN_URL (P27)
ROLLOUT_ACTIVE = @@ACTIVE@@
BUCKETS = @@BUCKETS@@
#: buckets below this go to the gray address (PERCENT in 0.01 % steps)
GRAY_BUCKETS = @@GRAY_BUCKETS@@
#: cold starts per second per Locust process; None: no limit
RATE = @@RATE@@
LOOP = False
#: "ms" or "s" (P3)
TIMESTAMP_UNIT = @@TIMESTAMP_UNIT@@
TIMEOUT_S = @@TIMEOUT_S@@
MAX_BODY_BYTES = @@MAX_BODY_BYTES@@
#: Users without a token get a login code here (POST ?user=OPENID answers {"code": ...}); None: a
#: random code per cold start, which a real server's code2session refuses.
CODE_EXCHANGE_URL = @@CODE_EXCHANGE_URL@@
PREVIEW = {"main": @@PREVIEW_MAIN@@, "gray": @@PREVIEW_GRAY@@}
USER_AGENT = "PrepullWorkbench/@@VERSION@@ (Locust export; simulating the WeChat pre-pull client)"

#: (weight: a whole number above 0, path, query, scene, customMiniprogramVersion)
LAUNCHES = [
@@LAUNCHES@@]
#: mixed into the launch pick's hash (the workbench's LaunchMix.seed)
LAUNCH_SEED = @@LAUNCH_SEED@@
#: running totals of the weights: user i's hash bucket falls in one launch's range
_LAUNCH_TOTALS = list(itertools.accumulate(entry[0] for entry in LAUNCHES))

#: (openid, token or None, version type: release, trial or develop)
USERS = [
@@USERS@@]


def bucket(user):
    """The user's bucket in [0, BUCKETS) for this rollout (P29)."""
    key = f"{APPID}\\x00{ROLLOUT_ID}\\x00{user}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % BUCKETS


def side(openid, version):
    """main or gray: which address this client's pre-pull goes to (P25, P28, P29)."""
    if not ROLLOUT_ACTIVE:
        return "main"
    if version != "release":
        return "gray"
    return "gray" if bucket(openid) < GRAY_BUCKETS else "main"


def launch_for(user_index):
    """The launch of simulated user user_index: picked by weight, the same every run and the same as
    the workbench's traffic run (LaunchMix.index_of: blake2b of "seed:index" into the total weight)."""
    digest = hashlib.blake2b(f"{LAUNCH_SEED}:{user_index}".encode(), digest_size=8).digest()
    bucket = int.from_bytes(digest, "big") % _LAUNCH_TOTALS[-1]
    return LAUNCHES[bisect.bisect_right(_LAUNCH_TOTALS, bucket)]


def encode(value):
    """Percent-encode one query value so that decoding it once gives it back exactly (P8)."""
    return urllib.parse.quote(value, safe="")


def login_code(openid):
    if CODE_EXCHANGE_URL is None:
        return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    url = CODE_EXCHANGE_URL + ("&" if "?" in CODE_EXCHANGE_URL else "?") + "user=" + encode(openid)
    with urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST"), timeout=TIMEOUT_S) as r:
        return json.load(r)["code"]


def prefetch_url(openid, token, version, user_index):
    """The exact URL WeChat would request for this user's cold start (P1-P9)."""
    now = int(time.time() * 1000)
    params = [("appid", APPID)]
    params.append(("token", token) if token is not None else ("code", login_code(openid)))
    params.append(("timestamp", str(now // 1000 if TIMESTAMP_UNIT == "s" else now)))
    _, path, query, scene, mp_version = launch_for(user_index)
    for key, value in (("path", path), ("query", query), ("scene", "" if scene is None else str(scene)),
                       ("customMiniprogramVersion", mp_version)):
        if value:
            params.append((key, value))
    where = side(openid, version)
    base = GRAY_URL if where == "gray" else MAIN_URL
    sep = "&" if urllib.parse.urlsplit(base).query else ("" if base.endswith("?") else "?")
    return where, base + sep + "&".join(f"{encode(k)}={encode(v)}" for k, v in params)


def why_not_cached(status, body):
    """Why WeChat would not cache this response (P11-P13); None when it would."""
    if not 200 <= status < 300:
        return f"status {status}: only a 2xx status is cached (P11)"
    if len(body) > MAX_BODY_BYTES:
        return f"body of {len(body):,} bytes is over the {MAX_BODY_BYTES:,}-byte limit (P12)"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8 text (P13)"
    return None


_order = itertools.count()
_next_start = 0.0
_in_flight = 0
_stopping = False


def _reserve_start():
    """Seconds to wait so that this process starts at most RATE cold starts per second."""
    global _next_start
    if not RATE:
        return 0.0
    now = time.monotonic()
    start = max(now, _next_start)
    _next_start = start + 1.0 / RATE
    return start - now


def _finish(environment):
    """End the run as Locust ends one at --run-time: quit when headless, else stop (web UI, worker)."""
    options = environment.parsed_options
    if options is not None and getattr(options, "headless", False):
        environment.runner.quit()
    else:
        environment.runner.stop()


@events.test_start.add_listener
def _announce(environment, **kwargs):
    print(f"Prepull traffic: {len(USERS):,} simulated users, {PERCENT:g}% gray (rollout {ROLLOUT_ID}); "
          f"preview main {PREVIEW['main']:,}, gray {PREVIEW['gray']:,}", flush=True)


class WeChatPrefetch(FastHttpUser):
    """One Locust user sends cold starts of the simulated users, one after another."""

    host = MAIN_URL
    network_timeout = TIMEOUT_S
    connection_timeout = TIMEOUT_S
    #: WeChat requires a valid certificate; set True only for a self-signed test server
    insecure = False

    @task
    def cold_start(self):
        global _in_flight, _stopping
        i = next(_order)
        if i >= len(USERS) and not LOOP:
            while _in_flight:  # let the last cold starts finish before the run stops
                time.sleep(0.05)
            if not _stopping:
                _stopping = True
                print(f"All {len(USERS):,} simulated users cold-started once: stopping the run.", flush=True)
                # from another (green) thread: stopping the runner kills this user's greenlet
                threading.Thread(target=_finish, args=(self.environment,), daemon=True).start()
            raise StopUser()
        user_index = i % len(USERS)  # USERS[k] is the population's user k
        openid, token, version = USERS[user_index]
        _in_flight += 1  # from taking a cold start to its answer: the run does not stop in between
        try:
            delay = _reserve_start()
            if delay > 0:
                time.sleep(delay)
            where, url = prefetch_url(openid, token, version, user_index)
            with self.client.get(url, name=where, allow_redirects=False, catch_response=True,
                                 headers={"User-Agent": USER_AGENT}) as response:
                why = why_not_cached(response.status_code, response.content or b"")
                if why is None:
                    response.success()
                else:
                    response.failure(why)
        finally:
            _in_flight -= 1
'''
