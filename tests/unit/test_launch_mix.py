"""Launch mixes for traffic (and the Locust export): deterministic per user, close to the weights."""

from __future__ import annotations

import pytest

from workbench.core.errors import InvalidInput
from workbench.core.launch_mix import LaunchMix, LaunchVariant
from workbench.core.protocol import Launch


def test_pick_is_deterministic_per_user_and_follows_the_weights():
    mix = LaunchMix.parse_scene_mix("1001:70,1047:30", Launch(path="pages/a", query="k=v", version="1.0"))
    assert [v.scene for v in mix.variants] == [1001, 1047]
    assert all(v.path == "pages/a" and v.query == "k=v" and v.version == "1.0" for v in mix.variants)
    picks = [mix.pick(i).scene for i in range(20_000)]
    again = LaunchMix.parse_scene_mix("1001:70,1047:30", Launch(path="pages/a", query="k=v", version="1.0"))
    assert picks == [again.pick(i).scene for i in range(20_000)]
    assert 0.68 < picks.count(1001) / len(picks) < 0.72


def test_a_single_launch_is_a_mix_of_one():
    mix = LaunchMix.single(Launch(path="p", scene=1011))
    assert {mix.pick(i).launch() for i in range(100)} == {Launch(path="p", scene=1011)}


def test_launch_mix_csv_table(tmp_path):
    path = tmp_path / "mix.csv"
    path.write_text('weight,path,query,scene,version\n3,pages/a,"a=1&b=中",1047,2.0.0\n1,pages/b,,,\n',
                    encoding="utf-8")
    mix = LaunchMix.load(path)
    assert mix.variants == (LaunchVariant(3, "pages/a", "a=1&b=中", 1047, "2.0.0"), LaunchVariant(1, "pages/b"))
    assert mix.total_weight == 4 and mix.to_json()[0]["query"] == "a=1&b=中"


@pytest.mark.parametrize(("text", "words"), [
    ("path,scene\npages/a,1001\n", "header line weight,path,query,scene,version"),
    ("weight,scene\nx,1001\n", "line 2: A launch's weight must be a whole number of at least 1, not 'x'"),
    ("weight,scene\n0,1001\n", "at least 1, not 0"),
    ("weight,scene\n\u00b2,1001\n", "line 2: A launch's weight must be a whole number of at least 1, not '\u00b2'"),
    ("weight,scene\n1,10a7\n", "line 2: The scene"),
    ("weight,scene\n", "at least one launch"),
])
def test_launch_mix_csv_errors_say_where(text, words):
    with pytest.raises(InvalidInput, match=words):
        LaunchMix.loads_csv(text)


@pytest.mark.parametrize("text", ["1001", "1001:x", "abc:3", "1001:-1"])
def test_scene_mix_errors(text):
    with pytest.raises(InvalidInput):
        LaunchMix.parse_scene_mix(text)
