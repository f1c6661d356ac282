"""Opening a workspace without waiting for pydantic (issue 13, start-up): a file whose exact text
the schema validated before is shown from the data folder's note, and validated again right after;
anything else is validated before it is shown, as always."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from workbench.core import workspace as ws_module
from workbench.core.errors import WorkspaceError
from workbench.core.workspace import SUFFIX, VALIDATED_NAME, Workspace, WorkspaceFile, open_workspace

APPID = "wx0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / f"app{SUFFIX}", APPID)
    ws.doc.launch.path = "pages/detail/detail"
    ws.doc.launch.query = "id=42&from=demo"
    ws.doc.mock.users = [*ws.doc.mock.users, type(ws.doc.mock.users[0])(name="carol", openid="o-carol")]
    ws.apply_percent(12.5)  # a rollout step: a time in the note
    ws.save()
    return ws.path


def _same(shown: Any, value: Any) -> None:
    """``shown`` reads like the validated ``value`` (a pydantic model, list or plain value)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _same(getattr(shown, name), getattr(value, name))
    elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
        assert len(shown) == len(value)
        for a, b in zip(shown, value, strict=True):
            _same(a, b)
    else:
        assert type(shown) is type(value) and shown == value, (shown, value)


def test_a_file_the_schema_validated_before_opens_without_pydantic(path):
    code = ("import sys\n"
            "from workbench.core.workspace import open_workspace\n"
            "ws = open_workspace(sys.argv[1], validate_later=True)\n"
            "assert not ws.validated and 'pydantic' not in sys.modules, sorted(sys.modules)\n"
            "assert ws.shown.launch.query == 'id=42&from=demo' and ws.shown.appid == sys.argv[2]\n"
            "assert [u.name for u in ws.shown.mock.users] == ['alice', 'bob', 'carol']\n"
            "ws.validate()\n"
            "assert ws.validated and 'pydantic' in sys.modules and ws.doc.rollout.percent == 12.5\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path), APPID], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_what_is_shown_before_validation_reads_as_the_validated_document_and_is_read_only(path):
    early = Workspace.load(path, validate_later=True)
    assert not early.validated
    _same(early.shown, Workspace.load(path).doc)
    with pytest.raises(AttributeError, match="read-only"):
        early.shown.launch.query = "x=1"
    assert early.text() == path.read_text(encoding="utf-8")  # nothing to save before validation
    assert early.save() is False
    early.validate()
    assert early.validated and early.shown is early.doc


def test_the_shape_of_what_is_shown_follows_the_schema():
    def shape(model: Any) -> dict[str, Any]:
        out = {}
        for name, field in model.model_fields.items():
            kind = field.annotation
            inner = getattr(kind, "__args__", (None,))[0] if getattr(kind, "__origin__", None) is list else kind
            if isinstance(inner, type) and hasattr(inner, "model_fields"):
                out[name] = shape(inner)
        return out

    assert shape(WorkspaceFile) == ws_module._SHAPE


def test_a_file_edited_since_is_validated_before_it_is_shown(path):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('query = "id=42&from=demo"', 'query = 42'), encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"launch\.query \(line \d+\) is invalid"):
        Workspace.load(path, validate_later=True)
    path.write_text(text.replace('query = "id=42&from=demo"', 'query = "id=7"'), encoding="utf-8")
    ws = Workspace.load(path, validate_later=True)
    assert ws.validated and ws.doc.launch.query == "id=7"  # validated now, and noted for next time
    assert not Workspace.load(path, validate_later=True).validated


def test_a_hand_written_file_is_validated_every_time(path):
    path.write_text("# my team's workspace\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(2):
        ws = Workspace.load(path, validate_later=True)
        assert ws.validated  # not the text the workbench writes: never shown unvalidated


def test_a_note_from_another_schema_is_not_trusted(path, monkeypatch):
    assert not Workspace.load(path, validate_later=True).validated
    monkeypatch.setattr(ws_module, "schema_fingerprint", lambda: "another schema")
    assert Workspace.load(path, validate_later=True).validated


def test_validation_still_decides_even_if_the_note_lies(path):
    """A note is a hint for the first screen, never the verdict: the file is validated after it."""
    text = path.read_text(encoding="utf-8").replace("percent = 12.5", "percent = 250.0", 1)
    path.write_text(text, encoding="utf-8")
    note_path = path.parent / "app.prepull-data" / VALIDATED_NAME
    note = json.loads(note_path.read_text(encoding="utf-8"))
    note["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    note_path.write_text(json.dumps(note), encoding="utf-8")
    ws = open_workspace(path, validate_later=True)
    assert not ws.validated
    with pytest.raises(WorkspaceError, match=r"rollout\.percent"):
        ws.validate()
    with pytest.raises(WorkspaceError):
        ws.doc  # noqa: B018 (every later use says so too)
    assert path.read_text(encoding="utf-8") == text  # and the file is left as it is


def test_commands_validate_at_once(path):
    assert Workspace.load(path).validated and open_workspace(path).validated


def test_a_save_reads_its_own_text_once_for_the_note(path, monkeypatch):
    """Every save (in the app: 300 ms after an edit, in a thread holding the interpreter lock)
    parsed the TOML it wrote three times, and the file on disk once: for the note, to check that
    it round-trips and then again for the note's data. The note now reads it once. Left: the file
    on disk and the text's rollout, compared so that a save never lowers a rollout floor another
    process wrote (P26)."""
    import tomllib

    ws = Workspace.load(path)
    reads = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text, **kw: reads.append(text) or real(text, **kw))
    ws.doc.launch.query = "id=43"
    assert ws.save()
    text = path.read_text(encoding="utf-8")
    assert reads.count(text) == 2 and len(reads) == 3  # P26's two, and the note's
    note = json.loads((path.parent / "app.prepull-data" / VALIDATED_NAME).read_text(encoding="utf-8"))
    assert note["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert Workspace.load(path, validate_later=True).shown.launch.query == "id=43"
