"""Fuzzing HAR import (issue 11 item 8): arbitrary text, arbitrary JSON and real exports mutated
at random either import (and then store, read back, replay-build and export cleanly) or are
refused with a WorkbenchError — never another exception.

The corpus: a Firebug export and files in the shapes Chrome, Firefox, Charles, Proxyman and HTTP
Toolkit write (tests/support/data/README says which fields each has)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event
from hypothesis import strategies as st

from tests.reliability.fuzzing import fuzz_pair, hostile_text, mostly
from workbench.core.errors import WorkbenchError
from workbench.core.har import dumps, export_har, parse_har
from workbench.core.store import Store

DATA = Path(__file__).resolve().parents[1] / "support" / "data"
CORPUS = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA.glob("*.har"))}

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), hostile_text,
                    st.sampled_from(["", "0", "-1", "1e400", "nan", "GET", "get", "base64", "http://", "https://h/?a=1",
                                     "2024-06-10T06:13:20.512Z", "0001-01-01T00:00:00", "9999-12-31T23:59:59+14:00",
                                     "²", "１２３", "ftp://x/", "https://[::1/", "http://h:99999/", "https://😀.example/",
                                     "https://xn--zz.example/?appid=wx0123456789abcdef&scene=²&timestamp=٣"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(hostile_text, inner, max_size=4)),
                           max_leaves=12)

URLS = ["https://api.example.com/prefetch?appid=wx0123456789abcdef&token=t&timestamp=1718000000123&scene=1047",
        "http://127.0.0.1:8765/prefetch?appid=wx0123456789abcdef&code=c&timestamp=1&query=a%3D1&path=p",
        "https://u:p@h.example/p?token=x&token=y&scene=99999999999999999999&timestamp=²", "HTTPS://H/?",
        "https://[::1]:99999/", "https://h/%ff%fe?query=%ff"]
DATES = ["2024-06-10T06:13:20.512Z", "2024-06-10T14:13:20.512+08:00", "2024-06-10T14:13:20", "0001-01-01T00:00:00",
         "9999-12-31T23:59:59+14:00"]
#: Entries shaped like HAR entries whose every field may be anything.
har_like = st.builds(lambda entries: {"log": {"version": "1.2", "entries": entries}}, st.lists(st.fixed_dictionaries(
    {"request": st.fixed_dictionaries({"url": mostly(st.sampled_from(URLS), scalars)},
                                      optional={"method": mostly(st.just("GET"), scalars), "headers": json_values}),
     "startedDateTime": mostly(st.sampled_from(DATES), scalars)},
    optional={
        "response": st.fixed_dictionaries({}, optional={
            "status": scalars, "statusText": scalars, "httpVersion": scalars, "redirectURL": scalars,
            "headers": st.lists(st.fixed_dictionaries({"name": scalars, "value": scalars})),
            "content": st.fixed_dictionaries({}, optional={"text": scalars, "size": scalars,
                                                           "encoding": st.sampled_from(["base64", "", None, 1])})}),
        "time": scalars,
        "timings": st.dictionaries(st.sampled_from(["blocked", "dns", "connect", "ssl", "send", "wait", "receive"]),
                                   scalars)}), max_size=3))


def import_everything(text: str, store: Store) -> None:
    """parse, store, read back, build the replay and export again: only WorkbenchError may stop it."""
    try:
        rows, skipped = parse_har(text, "fuzz.har")
    except WorkbenchError as exc:
        assert str(exc).strip()
        event("refused")
        return
    event("imported" if rows else "nothing to import")
    assert skipped >= 0
    ids = store.add_imported(rows)
    records = [store.history(i) for i in ids]
    assert all(r is not None for r in records)
    for record in records:
        try:
            record.to_request()
        except WorkbenchError:
            event("not replayable as it is")
    for include_secrets in (False, True):
        exported = export_har(records, include_secrets=include_secrets)
        json.loads(json.dumps(exported, allow_nan=False))  # valid JSON: no NaN or Infinity slipped in
        dumps(exported)


def mutate(doc: Any, draw: Any) -> Any:
    """Replace, delete or retype a node of ``doc`` chosen by walking down from the root."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 4))):
        parent, key, node = None, None, doc
        while isinstance(node, dict | list) and node and draw(st.integers(0, 4)) > 0:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = node[key]
        if parent is None:
            return draw(json_values)
        action = draw(st.sampled_from(["replace", "delete", "wrap", "stringify"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif action == "wrap":
            parent[key] = [node] if draw(st.booleans()) else {"value": node}
        elif action == "stringify":
            parent[key] = json.dumps(node)
        else:
            parent[key] = draw(json_values)
    return doc


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "fuzz.sqlite3")
    yield s
    s.close()


def text_property(store: Store, text: str) -> None:
    import_everything(text, store)


def json_property(store: Store, value: Any) -> None:
    import_everything(json.dumps(value), store)


def mutated_property(store: Store, name: str, data: Any) -> None:
    doc = mutate(CORPUS[name], data.draw)
    import_everything(json.dumps(doc, ensure_ascii=data.draw(st.booleans())), store)


SHARED_STORE = [HealthCheck.function_scoped_fixture]  # one store takes every example's rows, on purpose

test_any_text_imports_or_is_refused, test_text_fuzz = fuzz_pair(
    text_property, suppress=SHARED_STORE, text=st.one_of(hostile_text, st.text()))
test_any_json_imports_or_is_refused, test_json_fuzz = fuzz_pair(
    json_property, suppress=SHARED_STORE, value=st.one_of(json_values, har_like))
test_mutated_real_exports_import_or_are_refused, test_mutated_fuzz = fuzz_pair(
    mutated_property, suppress=SHARED_STORE, name=st.sampled_from(sorted(CORPUS)), data=st.data())


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_export_of_the_corpus_imports(store, name):
    rows, skipped = parse_har(json.dumps(CORPUS[name]), name)
    assert rows and skipped == sum(1 for e in CORPUS[name]["log"]["entries"] if e["request"]["method"] != "GET")
    ids = store.add_imported(rows)
    assert len(ids) == len(rows)
    export_har([store.history(i) for i in ids])
