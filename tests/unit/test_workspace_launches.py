"""The workspace keeps how a traffic run's simulated users launch (P7): ``traffic.launches``, a
weighted table like a ``--launch-mix`` CSV file; none kept means the default launch, and a file from
before launch mixes loads and saves exactly as it was."""

from __future__ import annotations

import pytest

from tests.unit.test_workspace_validate_later import _same
from workbench.core.errors import WorkspaceError
from workbench.core.launch_mix import LaunchMix, LaunchVariant
from workbench.core.workspace import SUFFIX, Workspace, loads

APPID = "wx0123456789abcdef"
ROWS = [{"weight": 70, "path": "pages/index/index", "query": "", "scene": 1001, "version": ""},
        {"weight": 30, "path": "pages/活动/detail", "query": "id=7&from=qr", "scene": None, "version": "2.1.0"}]


@pytest.fixture
def ws(tmp_path):
    return Workspace.create(tmp_path / f"app{SUFFIX}", APPID)


def test_a_workspace_without_launches_is_unchanged_and_uses_the_default_launch(ws):
    text = ws.path.read_text(encoding="utf-8")
    assert "launches" not in text and ws.doc.traffic.launches == []
    assert ws.launch_mix() is None  # the caller's default: the app's pages/index/index at 1001, the CLI's options
    again = Workspace.load(ws.path)
    assert again.save() is False and again.text() == text


def test_launches_round_trip_and_read_the_same_before_and_after_validation(ws):
    ws.doc.traffic.launches = ROWS
    ws.save()
    text = ws.path.read_text(encoding="utf-8")
    assert "launches = [" in text and 'path = "pages/活动/detail"' in text
    again = Workspace.load(ws.path)
    assert again.doc == ws.doc and again.text() == text
    assert again.doc.traffic.launches[1].scene is None  # no scene parameter: the key is left out
    expected = LaunchMix((LaunchVariant(70, "pages/index/index", "", 1001, ""),
                          LaunchVariant(30, "pages/活动/detail", "id=7&from=qr", None, "2.1.0")))
    assert again.launch_mix() == expected
    Workspace.load(ws.path, validate_later=True)  # notes the text as validated
    early = Workspace.load(ws.path, validate_later=True)
    assert not early.validated
    assert early.launch_mix() == expected  # the Traffic tab reads it before pydantic has loaded
    _same(early.shown, again.doc)


def test_launches_written_as_an_array_of_tables_are_read_too(ws):
    text = ws.path.read_text(encoding="utf-8") + (
        '\n[[traffic.launches]]\nweight = 3\npath = "pages/a"\nscene = 1047\n'
        '\n[[traffic.launches]]\nweight = 1\nquery = "k=v"\n')
    doc = loads(text.replace("[traffic]\n", "[traffic]\n", 1))
    assert [(r.weight, r.path, r.query, r.scene) for r in doc.traffic.launches] == [
        (3, "pages/a", "", 1047), (1, "", "k=v", None)]


def _with(rows: str) -> str:
    return f'appid = "{APPID}"\n\n[traffic]\nusers = 10\nlaunches = [\n{rows}]\n'


@pytest.mark.parametrize(("rows", "sentence"), [
    ('    { weight = 1, path = "a" },\n    { weight = 0, path = "b" },\n',
     "traffic.launches[1].weight (line 7) is invalid: A launch's weight must be a whole number of at least 1, "
     "not 0; the file was not changed."),
    ('    { weight = 2.5 },\n',
     "traffic.launches[0].weight (line 6) is invalid: Input should be a valid integer"),
    ('    { weight = 600_000_000 },\n    { weight = 600_000_000 },\n',
     "traffic.launches (line 5) is invalid: The launch weights add up to 1,200,000,000; keep the total at most "
     "1,000,000,000; the file was not changed."),
    ('    { weight = 1, scene = 0 },\n',
     "traffic.launches[0].scene (line 6) is invalid: The scene 0 is out of range: scene values are positive "
     "integers such as 1047 (P7); the file was not changed."),
    ('    { weight = 1, scene = "1047" },\n',
     "traffic.launches[0].scene (line 6) is invalid"),
    ('    { weight = 1 },\n    { path = "b" },\n',
     "traffic.launches[1].weight (line 7) is missing; the file was not changed."),
    ('    { weight = 1, page = "b" },\n',
     "traffic.launches[0].page (line 6) is not a known key: remove it or check its spelling"),
])
def test_a_bad_launch_is_refused_with_one_sentence_naming_its_row_and_line(rows, sentence):
    with pytest.raises(WorkspaceError) as caught:
        loads(_with(rows))
    message = str(caught.value)
    assert message.startswith("The workspace file: ") and sentence in message, message
    assert "\n" not in message


def test_an_array_of_tables_error_names_the_line_of_its_own_row():
    text = (f'appid = "{APPID}"\n\n[[traffic.launches]]\nweight = 1\n\n[[traffic.launches]]\nweight = 1\n'
            'scene = -3\n')
    with pytest.raises(WorkspaceError, match=r"traffic\.launches\[1\]\.scene \(line 8\) is invalid: The scene -3"):
        loads(text)


def test_a_csv_launch_mix_fits_the_workspace(ws):
    mix = LaunchMix.loads_csv("weight,path,query,scene,version\n5,pages/a,x=1,1011,\n1,pages/b,,,3.0\n")
    ws.doc.traffic.launches = mix.to_json()
    ws.save()
    assert Workspace.load(ws.path).launch_mix() == mix
