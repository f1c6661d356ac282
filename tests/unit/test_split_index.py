"""The preview's fast build (issue 13: 1,000,000 users in under a second) gives every released
user exactly the bucket bucket() gives them (P29), and develop/trial users their fixed side (P28)."""

from __future__ import annotations

import pytest

from workbench.core import rollout as rollout_module
from workbench.core.rollout import BUCKETS, Population, Rollout, SplitIndex, VersionType, bucket, threshold

APPID = "wx0123456789abcdef"


def per_user(population: Population, rollout_id: str) -> tuple[list[int], int, int]:
    """The slow, obvious way: every user through Population.user() and bucket()."""
    counts, develop, trial = [0] * BUCKETS, 0, 0
    for user in population.users():
        if user.version is VersionType.DEVELOP:
            develop += 1
        elif user.version is VersionType.TRIAL:
            trial += 1
        else:
            counts[bucket(APPID, rollout_id, user.openid)] += 1
    return counts, develop, trial


def counts_of(index: SplitIndex) -> list[int]:
    return [index.cumulative[b + 1] - index.cumulative[b] for b in range(BUCKETS)]


@pytest.mark.parametrize(("population", "rollout_id"), [
    (Population(size=4000, seed="plain"), "rollout-1"),
    (Population(size=4000, seed="mixed", develop_share=0.07, trial_share=0.05), "r-中文"),
    (Population(size=1, seed="one"), "r"),
])
@pytest.mark.parametrize("processes", [1, 2])
def test_p29_every_released_user_is_in_the_bucket_bucket_gives_them(population, rollout_id, processes, monkeypatch):
    monkeypatch.setattr(rollout_module, "PARALLEL_MIN_USERS", 0)  # the two-process path, even this small
    index = SplitIndex.build(population, APPID, rollout_id, processes=processes)
    counts, develop, trial = per_user(population, rollout_id)
    # every one of the 10,000 buckets holds the same users' count: a user moved to another bucket
    # would show as two differing counts
    assert counts_of(index) == counts and (index.develop, index.trial) == (develop, trial)
    rollout = Rollout("https://a.example/p", "https://b.example/p", rollout_id=rollout_id)
    for percent in (0, 0.01, 12.34, 30, 50, 99.99, 100):
        gray = sum(rollout.set_percent(percent).side(APPID, u.openid, u.version).value == "gray"
                   for u in population.users()) if percent < 100 else None
        split = index.split(percent)
        if gray is not None:
            assert split == {"main": population.size - gray, "gray": gray}, percent
        assert split["gray"] == index.cumulative[min(threshold(percent), BUCKETS)] + develop + trial


def test_a_count_below_the_population_size_takes_the_first_users():
    population = Population(size=5000, seed="c", develop_share=0.1)
    index = SplitIndex.build(population, APPID, "r", 1234)
    first = Population(size=1234, seed="c", develop_share=0.1)
    assert counts_of(index) == per_user(first, "r")[0] and sum(index.split(40).values()) == 1234


def test_the_apps_process_hashes_no_user_while_child_processes_build_the_split(monkeypatch):
    """Issue 13, the split's UI stall: the app's process hashed the first part in a worker thread
    while a second process hashed the rest, and the UI thread waited for the interpreter lock from
    that thread: on a busy machine, 111-128 ms in one full benchmark run of three (and 238 ms
    beside a busy loop). Now child processes hash every user; this process only waits."""
    monkeypatch.setattr(rollout_module, "PARALLEL_MIN_USERS", 0)
    counted: list[tuple[int, int]] = []
    real = rollout_module._BucketJob.count
    monkeypatch.setattr(rollout_module._BucketJob, "count",
                        lambda self, start, stop: counted.append((start, stop)) or real(self, start, stop))
    population = Population(size=3000, seed="children")
    index = SplitIndex.build(population, APPID, "r", processes=2)
    assert counted == []  # (a spawned child imports the module afresh: its calls are not seen here)
    assert counts_of(index) == per_user(population, "r")[0]
