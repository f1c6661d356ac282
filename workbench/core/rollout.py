"""Gray-scale release of the download address (rules P25-P29) and simulated users.

Users are assigned by a deterministic hash of (appid, rollout id, user) into 10,000 buckets
(P29, assumed): a released client goes to the gray address when its bucket is below the
percentage, so the same user keeps its side at a given percentage and raising the percentage
only ever moves users from main to gray.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import secrets
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from workbench.core.errors import InvalidInput, RolloutRefused
from workbench.core.protocol import Platform

BUCKETS = 10_000


class VersionType(StrEnum):
    DEVELOP = "develop"
    TRIAL = "trial"
    RELEASE = "release"


#: Every version type's value: what a split counts unless told otherwise.
ALL_VERSIONS: frozenset[str] = frozenset(v.value for v in VersionType)


class Side(StrEnum):
    MAIN = "main"
    GRAY = "gray"


def bucket(appid: str, rollout_id: str, user: str) -> int:
    """The user's bucket in [0, 10,000) for this rollout (P29)."""
    digest = hashlib.blake2b(f"{appid}\x00{rollout_id}\x00{user}".encode(), digest_size=8).digest()  # _BucketJob
    return int.from_bytes(digest, "big") % BUCKETS


def threshold(percent: float) -> int:
    """How many buckets go to gray at ``percent`` (0.01 % steps: 30.00 % is 3,000 buckets)."""
    return round(percent * 100)


def validate_percent(percent: float) -> float:
    if not 0 <= percent <= 100:
        raise InvalidInput(f"The gray percentage must be between 0 and 100, not {percent:g}.")
    if abs(percent * 100 - round(percent * 100)) > 1e-6:
        raise InvalidInput(f"The gray percentage moves in steps of 0.01; {percent:g} is between two steps.")
    return round(percent, 2)


@dataclass(frozen=True, slots=True)
class Rollout:
    """The address rule of one Mini Program: main and gray address, percentage, rollout id."""

    main_url: str
    gray_url: str
    percent: float = 0.0
    rollout_id: str = field(default_factory=lambda: "r-" + secrets.token_hex(4))
    #: The highest percentage applied in this rollout: it cannot go back below it (P26).
    floor: float = 0.0
    #: False once promoted (P27): every client then uses the main address.
    active: bool = True

    def set_percent(self, percent: float) -> Rollout:
        """Apply a new percentage (P26, P27); lowering it within the rollout is refused."""
        percent = validate_percent(percent)
        if not self.active:
            raise RolloutRefused("This rollout was promoted to 100% and has ended (P27): start a new rollout "
                                 "to send traffic to a gray address again.")
        if percent < self.floor:
            raise RolloutRefused(
                f"The gray percentage cannot go back from {self.floor:g}% to {percent:g}% (P26): within a rollout "
                "it only goes up. Start a new rollout to begin again from 0%.")
        if percent >= 100:
            # P27: the gray address becomes the main address and the rollout ends.
            return replace(self, main_url=self.gray_url, percent=100.0, floor=100.0, active=False)
        return replace(self, percent=percent, floor=max(self.floor, percent))

    def new_rollout(self, gray_url: str | None = None) -> Rollout:
        """The explicit action that starts over (P26): a new id, 0%, no floor."""
        return Rollout(main_url=self.main_url, gray_url=gray_url or self.gray_url)

    def side(self, appid: str, user: str, version: VersionType | str = VersionType.RELEASE) -> Side:
        """Which address this client's pre-pull goes to (P25, P28, P29)."""
        if not self.active:
            return Side.MAIN
        if VersionType(version) is not VersionType.RELEASE:
            return Side.GRAY  # P28: develop and trial clients get the gray address
        return Side.GRAY if bucket(appid, self.rollout_id, user) < threshold(self.percent) else Side.MAIN

    def url_for(self, side: Side | str) -> str:
        return self.gray_url if Side(side) is Side.GRAY else self.main_url


# -- simulated users -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SimUser:
    index: int
    openid: str
    token: str | None
    version: VersionType
    platform: Platform


@dataclass(frozen=True, slots=True)
class Population:
    """A deterministic crowd of simulated users: user i is the same every time for a seed."""

    size: int = 10_000
    seed: str = "population"
    token_share: float = 1.0
    develop_share: float = 0.0
    trial_share: float = 0.0
    ios_share: float = 0.3

    def __post_init__(self) -> None:
        if not 1 <= self.size <= 1_000_000:
            raise InvalidInput(f"The population must have between 1 and 1,000,000 users, not {self.size:,}.")
        for name in ("token_share", "develop_share", "trial_share", "ios_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise InvalidInput(f"The {name.replace('_', ' ')} must be between 0% and 100%.")
        if self.develop_share + self.trial_share > 1:
            raise InvalidInput("Develop and trial users together cannot be more than 100% of the population.")

    def _digest(self, index: int) -> bytes:
        """One hash per user gives its openid and its version, token and platform draws."""
        return hashlib.blake2b(f"{self.seed}\x00{index}".encode(), digest_size=32).digest()

    def _version(self, digest: bytes) -> VersionType:
        v = int.from_bytes(digest[14:20], "big") / 2**48
        if v < self.develop_share:
            return VersionType.DEVELOP
        return VersionType.TRIAL if v < self.develop_share + self.trial_share else VersionType.RELEASE

    def user(self, index: int) -> SimUser:
        digest = self._digest(index)
        openid = "o" + digest[:14].hex()
        token = f"sim-token-{openid}" if int.from_bytes(digest[20:26], "big") / 2**48 < self.token_share else None
        platform = Platform.IOS if int.from_bytes(digest[26:32], "big") / 2**48 < self.ios_share else Platform.ANDROID
        return SimUser(index, openid, token, self._version(digest), platform)

    def users(self, count: int | None = None) -> list[SimUser]:
        return [self.user(i) for i in range(min(count or self.size, self.size))]


@dataclass(slots=True)
class SplitIndex:
    """How many of a population's released users fall in each bucket under one rollout, so the
    split at any percentage is one lookup (a slider drag stays instant even for 1,000,000 users).

    Build it off the UI thread. Hashing is the cost (two BLAKE2b per user, ~1 µs): the loop is
    kept tight, and with ``processes=2`` a second process hashes part of the users meanwhile.
    """

    #: cumulative[b]: released users in the buckets below b (BUCKETS + 1 entries)
    cumulative: list[int]
    #: develop and trial users: always gray while the rollout is active (P28)
    develop: int = 0
    trial: int = 0

    @classmethod
    def build(cls, population: Population, appid: str, rollout_id: str, count: int | None = None, *,
              processes: int = 1) -> SplitIndex:
        """Exactly the buckets :func:`bucket` gives each released user of ``population`` (P29)."""
        n = min(count or population.size, population.size)
        job = _BucketJob(population.seed, appid, rollout_id, population.develop_share, population.trial_share)
        if processes <= 1 or n < PARALLEL_MIN_USERS:
            counts, develop, trial = job.count(0, n)
        else:
            counts, develop, trial = _count_in_child_processes(job, n, processes)
        cumulative = [0] * (BUCKETS + 1)
        total = 0
        for b, c in enumerate(counts):
            total += c
            cumulative[b + 1] = total
        return cls(cumulative, develop, trial)

    def split(self, percent: float, active: bool = True,
              versions: frozenset[str] = ALL_VERSIONS) -> dict[str, int]:
        """{"main": n, "gray": n} at ``percent``, counting only the given version types."""
        released = self.cumulative[-1] if VersionType.RELEASE in versions else 0
        pinned = (self.develop if VersionType.DEVELOP in versions else 0) + (
            self.trial if VersionType.TRIAL in versions else 0)
        if not active:
            return {"main": released + pinned, "gray": 0}
        gray_released = self.cumulative[min(threshold(percent), BUCKETS)] if released else 0
        return {"main": released - gray_released, "gray": gray_released + pinned}


#: Below this many users a build stays in this thread (starting a process costs ~0.1-0.2 s).
PARALLEL_MIN_USERS = 200_000


@dataclass(frozen=True, slots=True)
class _BucketJob:
    """Bucket counts for a range of users: Population._digest, _version and bucket() fused
    into one tight loop (same bytes hashed, same arithmetic; tests hold them equal)."""

    seed: str
    appid: str
    rollout_id: str
    develop_share: float
    trial_share: float

    def count(self, start: int, stop: int) -> tuple[list[int], int, int]:
        """(released users per bucket, develop users, trial users) among users [start, stop)."""
        b2 = hashlib.blake2b
        hexlify = binascii.b2a_hex
        from_bytes = int.from_bytes
        # Each hash's fixed start is hashed once and copied per user (a third cheaper than
        # hashing the whole input each time): the population's "seed\0", then bucket()'s
        # "appid\0rollout\0" plus the openid's leading "o".
        population = b2(f"{self.seed}\x00".encode(), digest_size=32)
        rollout = b2(f"{self.appid}\x00{self.rollout_id}\x00o".encode(), digest_size=8)
        counts = [0] * BUCKETS
        develop = trial = 0
        pinned = self.develop_share + self.trial_share
        for i in range(start, stop):
            g = population.copy()
            g.update(b"%d" % i)
            digest = g.digest()
            if pinned:
                v = from_bytes(digest[14:20], "big") / 2**48  # as Population._version
                if v < self.develop_share:
                    develop += 1
                    continue
                if v < pinned:
                    trial += 1
                    continue
            h = rollout.copy()
            h.update(hexlify(digest[:14]))
            counts[from_bytes(h.digest(), "big") % BUCKETS] += 1
        return counts, develop, trial


def _count_in_child_processes(job: _BucketJob, n: int, processes: int) -> tuple[list[int], int, int]:
    """Hash the users in ``processes`` child processes, an equal share each, while this thread
    only waits (a pipe's read, the interpreter lock released): ~2x on two free cores.

    The app's process hashes nothing meanwhile. It used to hash the first part in this (worker)
    thread: the UI thread then waited for the interpreter lock from it, and on a busy machine the
    lock's holder could be kept off a core for a while (UI stalls of 111-128 ms in 1 full
    benchmark run of 3). A child that dies has its share counted here instead."""
    import multiprocessing
    from itertools import pairwise

    context = multiprocessing.get_context("spawn")  # no fork of a process that may run Qt threads
    bounds = [n * k // processes for k in range(processes + 1)]
    children = []
    for start, stop in pairwise(bounds):
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_count_in_process, args=(theirs, job, start, stop), daemon=True,
                                  name="prepull-split")
        process.start()
        theirs.close()
        children.append((process, ours, start, stop))
    counts, develop, trial = [0] * BUCKETS, 0, 0
    try:
        for _process, ours, start, stop in children:
            try:
                part = ours.recv()
            except EOFError:  # the process died: do its part here
                part = job.count(start, stop)
            counts = [a + b for a, b in zip(counts, part[0], strict=True)]
            develop, trial = develop + part[1], trial + part[2]
    finally:
        for process, ours, _start, _stop in children:
            ours.close()
            process.join(5)
            if process.is_alive():
                process.kill()
    return counts, develop, trial


def _count_in_process(connection: Any, job: _BucketJob, start: int, stop: int) -> None:
    """The second process's part of :func:`_count_with_a_second_process`."""
    with contextlib.suppress(BrokenPipeError):
        connection.send(job.count(start, stop))
    connection.close()
