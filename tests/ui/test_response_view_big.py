"""Big bodies in the response view (issue 13): Qt never gets megabytes of text at once, and a
search of a big document runs off the UI thread, a new key cancelling the search before."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import threading

import httpx
import pytest
from PySide6.QtCore import QEvent, QObject

from tests.support.qt_async import until
from tests.support.servers import APPID
from workbench.core import redact
from workbench.core.client import PrefetchClient
from workbench.core.protocol import Identity, PrefetchRequest
from workbench.ui import json_tree, response_view
from workbench.ui.json_tree import SearchCancelled, search_paths
from workbench.ui.response_view import PREVIEW_BYTES, TEXT_CHUNK_CHARS, ResponseView


def page(records: int) -> bytes:
    return json.dumps({"count": records, "data": [
        {"id": i, "name": f"user-{i}", "email": f"user{i}@example.com", "city": "北京", "ok": i % 2 == 0}
        for i in range(records)]}, ensure_ascii=False).encode()


async def outcome_of(body: bytes, token: str = "t"):
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with PrefetchClient(transport=transport) as client:
        return await client.prefetch(PrefetchRequest(url="http://127.0.0.1:9/p", appid=APPID,
                                                     identity=Identity(token=token)))


@pytest.fixture
def view(qtbot):
    widget = ResponseView()
    qtbot.addWidget(widget)
    widget.show()
    return widget


async def test_qt_gets_the_text_in_chunks_and_ends_with_all_of_it(view, monkeypatch):
    given = []
    real = view.body.setPlainText
    monkeypatch.setattr(view.body, "setPlainText", lambda text: (given.append(len(text)), real(text)))
    body = page(12_000)  # ~1 MB, ~1.5 MB pretty
    await view.show_outcome(await outcome_of(body), (False, {}), "android")
    assert max(given) <= TEXT_CHUNK_CHARS
    assert view.body.toPlainText() == json.dumps(json.loads(body), ensure_ascii=False, indent=2)


async def test_a_new_key_cancels_the_search_running_in_a_thread(view, monkeypatch):
    body = page(12_000)
    await view.show_outcome(await outcome_of(body), (False, {}), "android")
    started, release = threading.Event(), threading.Event()
    calls = []

    def held_search(document, needle, limit, cancel):
        calls.append(needle)
        if needle == "user-1":  # the first search waits until the next key is typed
            started.set()
            release.wait(10)
        try:
            return search_paths(document, needle, limit, cancel)
        except SearchCancelled:
            calls.append(f"cancelled {needle}")
            raise

    monkeypatch.setattr(response_view, "search_paths", held_search)
    view.search.setText("user-1")
    assert view.hit_label.text() == "Searching…" and view.searching()
    assert await asyncio.to_thread(started.wait, 10)
    view.search.setText("user-11")  # the next key, while "user-1" is being searched
    release.set()
    await until(lambda: not view.searching())
    expected = search_paths(json.loads(body), "user-11")
    assert calls == ["user-1", "cancelled user-1", "user-11"]
    assert view.hit_label.text() == f"{len(expected)} match(es)" and view._hits == expected


async def test_enter_while_searching_goes_to_the_first_match_when_found(view):
    await view.show_outcome(await outcome_of(page(12_000)), (False, {}), "android")
    view.search.setText("user-11999")
    view.next_hit()  # Enter, before the search has run
    await until(lambda: not view.searching())
    assert view.tree.currentIndex().data() == "name"
    assert view.tree.currentIndex().parent().data() == "[11999]"


def test_searching_matches_values_where_they_are_without_previews(monkeypatch):
    document = {"rows": [{"name": f"user-{i}", "note": "x" * 50, "n": i} for i in range(2000)]}
    previews = []
    real = json_tree.preview
    monkeypatch.setattr(json_tree, "preview", lambda value, limit=200: previews.append(value) or real(value, limit))
    hits = search_paths(document, "USER-19")
    assert len(hits) == 111 and all(path[:1] == [0] for path in hits)
    assert all(isinstance(v, int) for v in previews)  # strings are never copied into a preview
    assert search_paths(document, '"user-1999"') == [[0, 1999, 0]]  # as shown: in quotes


async def test_the_worker_never_lowercases_a_big_body_in_one_call(view, monkeypatch):
    """Issue 13: masking the secrets of a 10 MB body lowercased it whole in the worker thread, one
    C call holding the interpreter lock ~50 ms: the window froze (the longest stall of the 10 MB
    figure). The worker now lowercases a piece at a time; the secret is still masked."""
    token = "token-alice-0123"
    body = page(8_000)[:-1] + f', "echo": "{token}"}}'.encode()
    assert len(body) > 600_000  # above the size parsed in one call, and several pieces
    lowered: list[tuple[int, bool]] = []
    real = response_view._prepare

    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") == "lower":
            lowered.append((len(arg.__self__), threading.current_thread() is threading.main_thread()))

    def watched(*args):
        sys.setprofile(profile)  # this thread only: the worker's
        try:
            return real(*args)
        finally:
            sys.setprofile(None)

    monkeypatch.setattr(response_view, "_prepare", watched)
    outcome = await outcome_of(body, token)
    await view.show_outcome(outcome, (False, {}), "android")
    assert lowered and not any(on_ui for _, on_ui in lowered)
    assert max(size for size, _ in lowered) < len(body) // 2  # pieces, never the whole body
    shown = view.body.toPlainText()
    assert token not in shown and f'"echo": "{redact.mask_secret(token)}"' in shown


async def test_the_preview_is_short_and_its_note_shows_before_it(view, monkeypatch):
    """Issue 13: show_outcome gave Qt a 64 KB preview, a minified body's one line, laid out on the
    UI thread at once (10-15 ms), and then showed the "Formatting…" note, which resized the viewer
    with that line in it (4-9 ms): the longest UI-thread slice of showing a 10 MB body."""
    given = []
    real = view.body.setPlainText

    def watched(text):
        given.append((len(text), view.body_note.isHidden(), view.body_note.text()))
        real(text)

    monkeypatch.setattr(view.body, "setPlainText", watched)
    minified = json.dumps(json.loads(page(12_000)), ensure_ascii=False, separators=(",", ":")).encode()
    task = view.show_outcome(await outcome_of(minified), (False, {}), "android")
    ((size, hidden, note),) = given  # the preview only, the formatting still running
    assert PREVIEW_BYTES // 2 < size <= PREVIEW_BYTES <= 16 * 1024 and not hidden and note == "Formatting…"
    await task
    assert view.body.toPlainText() == json.dumps(json.loads(minified), ensure_ascii=False, indent=2)
    assert view.body_note.isHidden()
    # a body formatted in a blink says nothing meanwhile: the note would only flicker
    given.clear()
    task = view.show_outcome(await outcome_of(page(400)), (False, {}), "android")
    assert given[0][0] <= PREVIEW_BYTES and given[0][1:] == (True, "")
    await task
    assert view.body_note.isHidden()


async def test_no_collection_scans_a_big_document_on_the_ui_thread(view, monkeypatch):
    """Issue 13: the app collects garbage on the UI thread (app.MainThreadCollector: automatic
    collection off, a pass when the count of new objects passes the first threshold). A 10 MB
    document's objects were counted as new while the worker parsed them, and scanned by every
    later pass: 60-110 ms UI stalls each. Now no pass is due while it is built, and none scans it
    after."""
    due = []
    real = response_view.prepared_root

    def watched(document):  # in the worker, right after the parse: what MainThreadCollector.check asks
        due.append(gc.get_count()[0] > gc.get_threshold()[0])
        return real(document)

    monkeypatch.setattr(response_view, "prepared_root", watched)
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()  # as the app runs
    try:
        await view.show_outcome(await outcome_of(page(8_000)), (False, {}), "android")
    finally:
        if enabled:
            gc.enable()
    assert due == [False]
    rows = view._document["data"]
    assert len(rows) == 8_000 and not any(tracked is rows for tracked in gc.get_objects())
    assert gc.get_threshold() == thresholds


async def test_the_size_gauge_is_painted_with_the_window_not_at_once(view):
    """Issue 13: QProgressBar.setValue repaints at once, and with it all the window had waiting to
    be painted: 5-14 ms inside show_outcome, on the UI thread, before its new text and colour were
    even set. Now the gauge is painted once, in the window's next paint, with all of it."""
    painted = []

    class Paints(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Paint:
                painted.append(view.size_gauge.text())
            return False

    await view.show_outcome(await outcome_of(page(10)), (False, {}), "android")
    watcher = Paints()
    view.size_gauge.installEventFilter(watcher)
    view.show_outcome(await outcome_of(page(12_000)), (False, {}), "android")
    assert painted == []
    await until(lambda: bool(painted))
    assert view.size_gauge.text().startswith(f"{len(page(12_000)):,} of ") and set(painted) == {view.size_gauge.text()}
    await view.format_task


async def test_the_worker_never_decodes_or_encodes_a_big_body_in_one_call(view, monkeypatch):
    """Issue 13: the worker decoded a 10 MB body whole to mask its secrets, encoded it back and
    decoded it again to format it: three C calls of ~10 ms, each holding the interpreter lock
    from the UI. A UTF-8 body is now decoded once, in pieces; the token is still masked."""
    token = "token-alice-0123"
    body = page(8_000)[:-1] + f', "echo": "{token}"}}'.encode()
    whole: list[str] = []
    real = response_view._prepare

    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") in ("decode", "encode"):
            subject = getattr(arg, "__self__", None)
            if isinstance(subject, bytes | str) and len(subject) > len(body) // 2:
                whole.append(arg.__name__)

    def watched(*args):
        sys.setprofile(profile)  # the worker thread's calls
        try:
            return real(*args)
        finally:
            sys.setprofile(None)

    monkeypatch.setattr(response_view, "_prepare", watched)
    await view.show_outcome(await outcome_of(body, token), (False, {}), "android")
    assert whole == []
    shown = view.body.toPlainText()
    assert token not in shown and f'"echo": "{redact.mask_secret(token)}"' in shown
    assert shown.startswith('{\n  "count": 8000,') and '"city": "北京"' in shown


async def test_no_collection_is_due_on_the_ui_thread_while_a_big_document_is_searched(view, monkeypatch):
    """Issue 13: a search of a big document keeps tens of thousands of new objects alive at a
    time (its walk's stack); where the app collects on the UI thread, a pass scanned them (~20 ms
    while typing). Now none is due until the search ends, and then the count has fallen back."""
    await view.show_outcome(await outcome_of(page(12_000)), (False, {}), "android")
    due = []
    real = response_view.search_paths

    def watched(document, needle, limit, cancel):
        stack = [[i] for i in range(20_000)]  # what a walk keeps alive, in the worker
        due.append(gc.get_count()[0] > gc.get_threshold()[0])  # what MainThreadCollector.check asks
        del stack
        return real(document, needle, limit, cancel)

    monkeypatch.setattr(response_view, "search_paths", watched)
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()  # as the app runs
    try:
        view.search.setText("user-1199")
        await until(lambda: bool(due) and not view.searching())
    finally:
        if enabled:
            gc.enable()
    assert due == [False] and gc.get_threshold() == thresholds
    assert view.hit_label.text() == f"{len(search_paths(view._document, 'user-1199'))} match(es)"
