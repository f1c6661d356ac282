"""Gray-scale release rules P25-P29 and simulated users."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import InvalidInput
from workbench.core.rollout import (
    BUCKETS,
    Population,
    Rollout,
    RolloutRefused,
    Side,
    SplitIndex,
    VersionType,
    bucket,
)

APPID = "wx0123456789abcdef"
MAIN, GRAY = "https://main.example.com/prefetch", "https://gray.example.com/prefetch"


def rollout(percent: float = 0.0, **kw) -> Rollout:
    return Rollout(MAIN, GRAY, rollout_id=kw.pop("rollout_id", "r1"), **kw).set_percent(percent)


def test_p25_main_and_gray_address():
    r = rollout(50)
    assert r.url_for(Side.MAIN) == MAIN and r.url_for(Side.GRAY) == GRAY


def test_p26_the_percentage_only_goes_up_within_a_rollout():
    r = rollout(30)
    assert r.set_percent(30).percent == 30 and r.set_percent(30.01).percent == 30.01
    with pytest.raises(RolloutRefused, match="cannot go back from 30% to 20%"):
        r.set_percent(20)


def test_p26_a_new_rollout_is_an_explicit_action_that_starts_from_zero():
    r = rollout(30)
    fresh = r.new_rollout("https://gray2.example.com/p")
    assert fresh.rollout_id != r.rollout_id and fresh.percent == 0 and fresh.floor == 0
    assert fresh.set_percent(20).percent == 20


def test_p27_100_percent_promotes_gray_to_main_and_ends_the_rollout():
    r = rollout(30).set_percent(100)
    assert r.main_url == GRAY and not r.active
    assert r.side(APPID, "anyone") is Side.MAIN and r.url_for(r.side(APPID, "x")) == GRAY
    with pytest.raises(RolloutRefused, match="promoted"):
        r.set_percent(50)


def test_p28_at_zero_percent_only_develop_and_trial_get_gray():
    r = rollout(0)
    users = [f"user-{i}" for i in range(2000)]
    assert all(r.side(APPID, u, VersionType.RELEASE) is Side.MAIN for u in users)
    assert all(r.side(APPID, u, VersionType.DEVELOP) is Side.GRAY for u in users[:50])
    assert all(r.side(APPID, u, VersionType.TRIAL) is Side.GRAY for u in users[:50])


def test_p29_assignment_is_deterministic_and_about_the_percentage():
    r = rollout(30)
    users = [f"user-{i}" for i in range(20_000)]
    sides = [r.side(APPID, u) for u in users]
    assert sides == [rollout(30).side(APPID, u) for u in users]  # the same user, the same side
    share = sides.count(Side.GRAY) / len(sides)
    assert 0.28 < share < 0.32
    assert all(0 <= bucket(APPID, "r1", u) < BUCKETS for u in users[:100])


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=40), st.integers(0, 9_999), st.integers(0, 9_999))
def test_p29_raising_the_percentage_only_moves_users_from_main_to_gray(user, a, b):
    low, high = sorted((a / 100, b / 100))  # below 100%: at 100% the rollout is promoted (P27)
    r_low = rollout(low)
    r_high = r_low.set_percent(high)
    if r_low.side(APPID, user) is Side.GRAY:
        assert r_high.side(APPID, user) is Side.GRAY


@pytest.mark.parametrize("bad", [-1, 100.5, 12.345])
def test_percent_must_be_0_to_100_in_001_steps(bad):
    with pytest.raises(InvalidInput):
        rollout(bad)


def test_population_is_deterministic_and_mixed_as_asked():
    p = Population(size=5000, seed="s", token_share=0.8, develop_share=0.1, trial_share=0.1, ios_share=0.5)
    users = p.users()
    assert users == Population(size=5000, seed="s", token_share=0.8, develop_share=0.1, trial_share=0.1,
                               ios_share=0.5).users()
    assert len({u.openid for u in users}) == 5000
    tokens = sum(u.token is not None for u in users) / 5000
    dev = sum(u.version is VersionType.DEVELOP for u in users) / 5000
    assert 0.77 < tokens < 0.83 and 0.08 < dev < 0.12
    with pytest.raises(InvalidInput, match="1,000,000"):
        Population(size=1_000_001)


def test_preview_split_matches_the_per_user_rule():
    p = Population(size=3000, seed="x", develop_share=0.05)
    r = rollout(30)
    index = SplitIndex.build(p, APPID, r.rollout_id)
    expected = sum(r.side(APPID, u.openid, u.version) is Side.GRAY for u in p.users())
    assert index.split(30) == {"main": 3000 - expected, "gray": expected}
    assert index.split(0)["gray"] == sum(u.version is not VersionType.RELEASE for u in p.users())
    assert index.split(100, active=False) == {"main": 3000, "gray": 0}
    released = sum(u.version is VersionType.RELEASE for u in p.users())
    only_release = index.split(30, versions=frozenset({"release"}))
    assert sum(only_release.values()) == released and only_release["gray"] == expected - (3000 - released)
