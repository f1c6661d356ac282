"""What came back: status, timings, size against the 256 KB limit, the verdict with its reasons,
what getBackgroundFetchData now returns, and the body raw and as a JSON tree.

Formatting a big body happens in a thread; a preview shows first, so a 10 MB body never
freezes the window.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.core import redact
from workbench.core.curl import curl_command
from workbench.core.model import HistoryRecord, Outcome, Reason, Timings
from workbench.core.protocol import MAX_BODY_BYTES
from workbench.core.redact import Redactor
from workbench.ui import body_format
from workbench.ui.elided_label import breakable, fits_any_width
from workbench.ui.json_tree import (
    Cancel,
    JsonTreeModel,
    SearchCancelled,
    prepared_root,
    search_paths,
)
from workbench.ui.texts import reason_text
from workbench.ui.theme import readable_on, set_meter, set_tone

if TYPE_CHECKING:
    import asyncio

#: Shown at once, before the formatted body is ready: more than a window shows. Qt lays out what
#: it is given on the UI thread at once; 64 KB on one line (a minified body) took 10-15 ms.
PREVIEW_BYTES = 16 * 1024
#: A body bigger than this says "Formatting…" until its formatted text is shown; a smaller one
#: is formatted in a few milliseconds (a note would only flicker).
FORMATTING_NOTE_BYTES = 64 * 1024
#: The text viewer shows at most this much; beyond it the view says so (the tree has it all).
VIEW_LIMIT_CHARS = 2 * 1024 * 1024


#: Verdict reasons that mean no complete answer came back: the headline names the failure, never
#: a status (a stalled body still had a "200 OK" status line).
NO_ANSWER_KEYS = ("timeout", "refused", "dns", "connect", "tls_certificate", "tls_handshake", "reset", "incomplete",
                  "network")
#: The verdict's colours; greyed (like any disabled text) while the response shown is the previous one.

#: The text viewer gets at most this much at a time, a turn of the event loop apart: handing
#: Qt 2 MB at once took 150-300 ms on the UI thread.
TEXT_CHUNK_CHARS = 64 * 1024
#: Documents up to this size are searched at once on the UI thread (a few ms); bigger ones in a
#: worker thread, a short pause after the last key, a new key cancelling the search before.
SEARCH_AT_ONCE_BYTES = 256 * 1024
SEARCH_DELAY_MS = 150
#: A text with a line longer than this is shown unwrapped (scrolled sideways): Qt lays out a
#: wrapped line whole on every change, and a 2 MB one-line body (minified, or cut at the read
#: limit) took over two minutes to show with the Body tab open; unwrapped, about half a second.
WRAP_LIMIT_CHARS = 10_000


def longest_line(text: str) -> int:
    """The length of the longest line of ``text``. A worker thread's job for a big text, a line
    at a time: one ``split`` of 2 MB would hold the interpreter lock from the UI for 10 ms."""
    longest = start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        longest = max(longest, end - start)
        start = end + 1
    return longest


def format_body(body: bytes, redactor: Redactor | None = None) -> tuple[str, Any, bool]:
    """(text to show, parsed JSON or None, cut?) — CPU work, run off the UI thread. With a
    ``redactor``, the secrets it knows are masked in the text and the tree.

    A UTF-8 body is decoded once, in pieces, and masked as text: ``Redactor.data`` would decode
    and encode it whole (two more C calls of ~10 ms each on 10 MB, holding the interpreter lock)."""
    if redactor is None:
        return body_format.format_body(body, VIEW_LIMIT_CHARS)
    try:
        text = body_format.decode(body)
    except UnicodeDecodeError:  # not UTF-8: its other bytes are kept through the redaction
        return body_format.format_body(redactor.data(body), VIEW_LIMIT_CHARS)
    return body_format.format_text(redactor.text(text), VIEW_LIMIT_CHARS)


def _prepare(body: bytes, redactor: Redactor | None = None) -> tuple[str, Any, bool, Any, int]:
    """Worker thread: the formatted text, the document, the tree's first nodes, and the length of
    the text's longest line (see :func:`_collector_held` for a big document's objects)."""
    with _collector_held() if len(body) > body_format.WHOLE_PARSE_CHARS else contextlib.nullcontext():
        text, document, cut = format_body(body, redactor)
        root = prepared_root(document) if document is not None else None
        return text, document, cut, root, longest_line(text)


#: While a big document is built, the collector's first threshold is this (no pass is due).
HELD_THRESHOLD = 1 << 30


class _Held:
    """How many documents are being built, and the thresholds to restore after the last one."""

    lock = threading.Lock()
    count = 0
    saved: tuple[int, int, int] = (0, 0, 0)


@contextlib.contextmanager
def _collector_held(freeze: bool = True) -> Iterator[None]:
    """No garbage collection pass while a big document is built (or searched), and, with
    ``freeze``, none that scans what was built after.

    A 10 MB document is hundreds of thousands of objects that live as long as the view shows it.
    A pass while it is parsed would scan them with the lock held, and so would every later pass:
    60-110 ms on the UI thread each, where the app collects (app.MainThreadCollector). Both it and
    automatic collection start a pass when the count of new objects exceeds the first threshold,
    so that is raised meanwhile; then everything alive stops being scanned (``gc.freeze``). The
    document is freed as usual when it is replaced: JSON has no reference cycles. A search's
    objects are freed when it ends (the count falls back with them): it needs no freeze."""
    with _Held.lock:
        if _Held.count == 0:
            _Held.saved = gc.get_threshold()
            gc.set_threshold(HELD_THRESHOLD, *_Held.saved[1:])
        _Held.count += 1
    try:
        yield
    finally:
        with _Held.lock:
            if freeze:
                gc.freeze()  # also sets the count of new objects to 0
            _Held.count -= 1
            if _Held.count == 0:
                gc.set_threshold(*_Held.saved)


def _search(document: Any, text: str, cancel: Cancel) -> list[list[int]]:
    """Worker thread: the first 1000 hits of ``text`` in a big document. The walk keeps tens of
    thousands of new objects alive at a time (its stack): a collection pass on the UI thread
    meanwhile scanned them (~20 ms), so none is due until it ends."""
    with _collector_held(freeze=False):
        return search_paths(document, text, 1000, cancel)


class TimingBar(QWidget):
    """Connect, waiting for the first byte, and receiving, as one proportional bar."""

    COLORS = (QColor("#7e57c2"), QColor("#26a69a"), QColor("#42a5f5"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: list[tuple[str, float]] = []
        self.setMinimumHeight(22)

    def set_timings(self, connect: float | None, first_byte: float | None, total: float | None) -> None:
        c = connect or 0.0
        fb = first_byte if first_byte is not None else (total or 0.0)
        t = total or 0.0
        self.segments = [(self.tr("connect"), c), (self.tr("wait"), max(fb - c, 0.0)), (self.tr("receive"),
                                                                                          max(t - fb, 0.0))]
        self.setToolTip(" · ".join(f"{name} {ms:.1f} ms" for name, ms in self.segments))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 22)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        total = sum(ms for _, ms in self.segments)
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0, 2, -1, -2)
        painter.fillRect(rect, self.palette().alternateBase())
        if total <= 0:
            return
        x = rect.left()
        for (name, ms), color in zip(self.segments, self.COLORS, strict=True):
            width = rect.width() * ms / total
            segment = QRectF(x, rect.top(), width, rect.height())
            # a previous response's timing (disabled) is grey: it is not this request's
            fill = color if self.isEnabled() else self.palette().mid().color()
            painter.fillRect(segment, fill)
            label = f"{name} {ms:.0f} ms"
            if painter.fontMetrics().horizontalAdvance(label) + 6 < width:
                painter.setPen(readable_on(fill))  # (white was ~2.6:1 on the teal and the blue)
                painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, label)
            x += width


class ResponseView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._redactor: Redactor | None = None
        self._document: Any = None
        self._hits: list[list[int]] = []
        self._hit = -1
        self._body_size = 0
        self.format_task: asyncio.Future | None = None
        #: the search of a big document running in a worker thread, and how to stop it
        self.search_task: asyncio.Future | None = None
        self._search_cancel: Cancel | None = None
        self._jump_when_found = False
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._start_search)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.status = QLabel(self.tr("No response yet: compose a launch and press Send (Ctrl+Enter)."))
        self.status.setObjectName("responseStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # alone, it heads the view
        font = self.status.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.status.setFont(font)
        fits_any_width(self.status)  # a long reason phrase wraps; it never widens the window
        # says that what is below is the previous response (while sending, after a cancel or a failure)
        self.stale_note = fits_any_width(QLabel())
        self.stale_note.setObjectName("staleNote")
        # italic by its font, not a style sheet: a widget's style sheet, even one without a colour,
        # keeps the palette of the moment it was polished (black on a dark window after a switch)
        italic = self.stale_note.font()
        italic.setItalic(True)
        self.stale_note.setFont(italic)
        self.stale_note.hide()
        self._has_response = False
        self.verdict = fits_any_width(QLabel())
        self.verdict.setObjectName("verdict")
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timing = TimingBar()
        self.timing_label = QLabel()
        self.size_gauge = QProgressBar()
        self.size_gauge.setObjectName("sizeGauge")
        self.size_gauge.setRange(0, MAX_BODY_BYTES)
        self.size_gauge.setTextVisible(True)

        self.body = QPlainTextEdit()
        self.body.setObjectName("bodyText")
        self.body.setReadOnly(True)
        self.body.setUndoRedoEnabled(False)  # text is set, never edited: no undo copy of 2 MB
        self.body.setFont(mono)
        self.body_note = fits_any_width(QLabel())
        self.tree_model = JsonTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("jsonTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 220)
        self.search = QLineEdit()
        self.search.setObjectName("jsonSearch")
        self.search.setPlaceholderText(self.tr("Search keys and values"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.next_hit)
        self.search.textChanged.connect(self._search_changed)
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.clicked.connect(self.next_hit)
        self.hit_label = QLabel()
        self.headers = QPlainTextEdit()
        self.headers.setReadOnly(True)
        self.headers.setFont(mono)
        self.request_text = QPlainTextEdit()
        self.request_text.setObjectName("requestText")
        self.request_text.setReadOnly(True)
        self.request_text.setFont(mono)
        self.read_text = QPlainTextEdit()
        self.read_text.setObjectName("readResult")
        self.read_text.setReadOnly(True)
        self.read_text.setFont(mono)

        body_page = QWidget()
        bl = QVBoxLayout(body_page)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.body_note)
        bl.addWidget(self.body, 1)
        tree_page = QWidget()
        tl = QVBoxLayout(tree_page)
        tl.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.next_button)
        search_row.addWidget(self.hit_label)
        tl.addLayout(search_row)
        tl.addWidget(self.tree, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.read_text, self.tr("What the Mini Program reads"))
        self.tabs.addTab(body_page, self.tr("Body"))
        self.tabs.addTab(tree_page, self.tr("JSON tree"))
        self.tabs.addTab(self.headers, self.tr("Headers"))
        self.tabs.addTab(self.request_text, self.tr("Request"))

        # what one response shows, dimmed as a whole while it is not the answer
        self.details = QWidget()
        self.details.setObjectName("responseDetails")
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.verdict)
        row = QHBoxLayout()
        row.addWidget(self.timing, 2)
        row.addWidget(self.timing_label)
        dl.addLayout(row)
        dl.addWidget(self.size_gauge)
        dl.addWidget(self.tabs, 1)
        # greyed (disabled) as a whole while it is not the answer: an opacity effect left grey
        # blocks where the text viewers repainted part of themselves

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.stale_note)
        layout.addWidget(self.details, 1)
        # Before the first response the view is its headline alone ("No response yet: ... press
        # Send"): empty tabs, an empty timing bar and a 0-byte gauge said nothing, and the start-up
        # painted them before the window could show
        self.details.hide()

    def show_pending(self, text: str) -> None:
        """A state with no answer yet, or none at all (sending, cancelled, failed): ``text`` heads
        the view, and a response still shown below is dimmed and labelled as the previous one, so
        its status, verdict, timing and body are never taken for this request's."""
        self.status.setText(text)
        set_tone(self.status, None)
        self.details.setEnabled(not self._has_response)
        self.stale_note.setVisible(self._has_response)
        if self._has_response:
            self.stale_note.setText(self.tr("Below, greyed: the previous response, not the answer to this request."))

    def is_dimmed(self) -> bool:
        """True while the response shown is the previous one (greyed, with a note saying so)."""
        return not self.details.isEnabled()

    def headline(self, outcome: Outcome) -> tuple[str, bool]:
        """The view's first line for ``outcome`` and whether it is a failure (see :meth:`headline_of`)."""
        return self.headline_of(outcome.status, outcome.reason_phrase, outcome.verdict.reasons)

    def headline_of(self, status: int | None, reason_phrase: str, reasons: Sequence[Reason]) -> tuple[str, bool]:
        """The first line for a response and whether it is a failure. A request that got no
        complete answer is headed by what went wrong, never by a status: a body that stalled after
        a "200 OK" status line is a timeout, not a 200 OK."""
        failure = next((r for r in reasons if r.key in NO_ANSWER_KEYS), None)
        if failure is None:
            if status is None:
                return self.tr("No response"), True
            return f"{status} {reason_phrase}".strip(), False
        args = dict(failure.args)
        title = {
            "timeout": self.tr("Timed out after %1 s").replace("%1", args.get("timeout", "?")),
            "refused": self.tr("Connection refused"),
            "dns": self.tr("Host name not found"),
            "connect": self.tr("Could not connect"),
            "tls_certificate": self.tr("TLS certificate rejected"),
            "tls_handshake": self.tr("TLS handshake failed"),
            "reset": self.tr("Connection broken"),
            "incomplete": self.tr("Incomplete response"),
            "network": self.tr("Request failed"),
        }[failure.key]
        if status is not None:
            title = self.tr("%1: the status line (%2) arrived, the body did not").replace("%1", title).replace(
                "%2", str(status))
        return title, True

    def show_read(self, outcome: Outcome, read: tuple[bool, dict[str, Any]], platform: str) -> None:
        """What getBackgroundFetchData returns now (after ``outcome`` was stored)."""
        success, result = read
        if self._redactor is not None:
            result = self._redactor.tree(result)
        call = "success" if success else "fail"
        note = ""
        if not outcome.verdict.cached and success and result.get("fetchedData"):
            note = "// " + self.tr("This response was not cached: the Mini Program still reads the previous "
                                   "entry (P15).") + "\n"
        self.read_text.setPlainText(
            note + f"// wx.getBackgroundFetchData({{fetchType: '{outcome.request.fetch_type}'}}) on {platform} → "
            f"{call}:\n" + json.dumps(result, ensure_ascii=False, indent=2))

    def show_outcome(self, outcome: Outcome, read: tuple[bool, dict[str, Any]] | None, platform: str,
                     show_secrets: bool = False) -> asyncio.Future:
        """Show everything at once, except the formatted body, which follows from a thread, and
        (``read`` None) what the Mini Program reads, which follows once the outcome is stored.

        Unless ``show_secrets``, every secret is masked (core/redact.py): in the URL, headers,
        reasons that quote a redirect, what the Mini Program reads and the body."""
        redactor = None if show_secrets else redact.for_outcome(outcome, scan_body=False)
        self._redactor = redactor
        reasons = outcome.verdict.reasons if redactor is None else [redactor.reason(r) for r in outcome.verdict.reasons]
        headers = outcome.headers if redactor is None else redactor.headers(outcome.headers)
        sent_headers = outcome.sent.headers if redactor is None else redactor.headers(outcome.sent.headers)
        self._generation += 1
        generation = self._generation
        self._show_response_state()
        title, failed = self.headline(outcome)
        self._show_title(title, failed)
        self._show_verdict(outcome.verdict.cached, reasons)
        self._show_timings_and_size(outcome.timings, outcome.body_size)

        if read is None:
            self.read_text.setPlainText(self.tr("Storing…"))
        else:
            self.show_read(outcome, read, platform)
        url = outcome.request.full_url() if redactor is None else redactor.url(outcome.request.full_url())
        self._show_headers(f"{outcome.http_version} {outcome.status or ''} {outcome.reason_phrase}", headers,
                           url, sent_headers)
        cut_of = outcome.body_size if outcome.body_truncated else None
        return self._show_body(outcome.body, generation, redactor, cut_of)

    def show_record(self, record: HistoryRecord, redactor: Redactor | None) -> asyncio.Future:
        """A stored entry (the History tab's detail pane), as :meth:`show_outcome` shows a fresh one,
        from what the store kept; ``redactor`` masks its secrets (None shows them). What the Mini
        Program reads is left out: the cache has moved on since."""
        self._redactor = redactor
        self._generation += 1
        generation = self._generation
        self._show_response_state()
        self._show_title(*self.headline_of(record.status, record.reason_phrase, record.reasons))
        reasons = record.reasons if redactor is None else [redactor.reason(r) for r in record.reasons]
        self._show_verdict(record.cached, reasons)
        self._show_timings_and_size(Timings(record.connect_ms, record.first_byte_ms, record.total_ms), record.body_size)
        self.read_text.clear()
        headers, sent_headers = record.response_headers, record.request_headers
        url = record.full_url
        if redactor is not None:
            headers, sent_headers, url = redactor.headers(headers), redactor.headers(sent_headers), redactor.url(url)
        self._show_headers(f"{record.http_version} {record.status or ''} {record.reason_phrase}", headers,
                           url, sent_headers)
        return self._show_body(record.body, generation, redactor, record.body_size if record.body_truncated else None)

    def _show_response_state(self) -> None:
        """A response is on show: not dimmed, no note that it is the previous one."""
        self._has_response = True
        self.details.setEnabled(True)
        self.details.show()
        self.stale_note.hide()

    def _show_title(self, title: str, failed: bool) -> None:
        self.status.setText(title)
        set_tone(self.status, "error" if failed else None)

    def _show_headers(self, status_line: str, headers: Sequence[tuple[str, str]], url: str,
                      sent_headers: Sequence[tuple[str, str]]) -> None:
        self.headers.setPlainText(status_line + "\n" + "\n".join(f"{k}: {v}" for k, v in headers))
        self.request_text.setPlainText(f"GET {url}\n" + "\n".join(f"{k}: {v}" for k, v in sent_headers)
                                       + "\n\n" + self.tr("# as curl") + "\n" + curl_command(url, sent_headers))

    def _show_verdict(self, cached: bool, reasons: Sequence[Reason]) -> None:
        if cached:
            self.verdict.setText(self.tr("✔ Cached: the Mini Program can read this body."))
            set_tone(self.verdict, "ok")
        else:
            items = "".join(f"<li>{_escape(breakable(reason_text(r)))}</li>" for r in reasons)
            self.verdict.setText(self.tr("✘ Not cached:") + f"<ul style='margin:0'>{items}</ul>")
            set_tone(self.verdict, "error")

    def _show_timings_and_size(self, t: Timings, body_size: int) -> None:
        self.timing.set_timings(t.connect_ms, t.first_byte_ms, t.total_ms)
        self.timing_label.setText(self.tr("total %1 ms").replace("%1", f"{t.total_ms or 0:.1f}"))
        limit = MAX_BODY_BYTES
        # QProgressBar.setValue repaints at once, and with it everything the window has waiting
        # to be painted (5-14 ms on the UI thread); with updates off, the bar is painted once,
        # with its new text and colour, when the window next paints
        self.size_gauge.setUpdatesEnabled(False)
        try:
            self.size_gauge.setValue(min(body_size, limit))
            self.size_gauge.setFormat(self.tr("%1 of %2 bytes (%3%)").replace("%1", f"{body_size:,}")
                                      .replace("%2", f"{limit:,}").replace("%3", f"{body_size * 100 / limit:.1f}"))
            # red over the limit; its colours follow the theme (restyled at once on a switch)
            set_meter(self.size_gauge, "error" if body_size > limit else "ok")
        finally:
            self.size_gauge.setUpdatesEnabled(True)

    def _show_body(self, body: bytes, generation: int, redactor: Redactor | None, cut_of: int | None) -> asyncio.Future:
        """A preview at once; the formatted text and the tree follow from a thread."""
        import asyncio  # (not at the top: the first window paints before asyncio loads)

        preview_bytes = body[:PREVIEW_BYTES] if redactor is None else redactor.data(body[:PREVIEW_BYTES])
        preview = preview_bytes.decode("utf-8", "replace")
        self.body.clear()  # first: a wrap mode set on the text before could take minutes to apply
        # the note before the text: showing it resizes the viewer, which is cheap while it is empty
        self.body_note.setText(self.tr("Formatting…") if len(body) > FORMATTING_NOTE_BYTES else "")
        self.body_note.setVisible(bool(self.body_note.text()))
        self._set_wrap(longest_line(preview) <= WRAP_LIMIT_CHARS)
        self.body.setPlainText(preview)
        self._cancel_search()
        self._document = None
        self._body_size = len(body)
        self.tree_model.set_document({})
        self.format_task = asyncio.ensure_future(self._format(body, generation, redactor, cut_of))
        return self.format_task

    async def _format(self, body: bytes, generation: int, redactor: Redactor | None = None,
                      cut_of: int | None = None) -> None:
        import asyncio

        text, document, cut, root, longest = await asyncio.to_thread(_prepare, body, redactor)
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the view was closed, or a newer response is on screen
        note = ""
        if cut_of is not None:
            note = self.tr("Only the first %1 of %2 bytes were read: no view or verdict needs more, and a body "
                           "this large is never cached.").replace("%1", f"{len(body):,}").replace("%2", f"{cut_of:,}")
        elif cut:
            note = self.tr("Showing the first %1 characters of %2 bytes; the JSON tree holds it all.") \
                .replace("%1", f"{VIEW_LIMIT_CHARS:,}").replace("%2", f"{len(body):,}")
        self._document = document
        if root is not None:
            self.tree_model.set_root(root)
            for index in self.tree_model.rows_to_expand():
                self.tree.expand(index)
        self._search_changed(self.search.text())
        if not await self._show_text(text, generation, longest):
            return
        self.body_note.setText(note)
        self.body_note.setVisible(bool(note))

    async def _show_text(self, text: str, generation: int, longest: int) -> bool:
        """Put ``text`` (whose longest line is ``longest`` long) in the viewer a chunk per turn of
        the event loop; False if a newer response came meanwhile."""
        import asyncio

        self.body.clear()
        self._set_wrap(longest <= WRAP_LIMIT_CHARS)
        # Qt lays out a line whole each time it grows: one longer than a chunk goes in at once
        first = text if longest > TEXT_CHUNK_CHARS else text[:TEXT_CHUNK_CHARS]
        self.body.setPlainText(first)
        for start in range(len(first), len(text), TEXT_CHUNK_CHARS):
            await asyncio.sleep(0)  # paint, input: the window keeps answering
            if not shiboken6.isValid(self) or generation != self._generation:
                return False
            cursor = QTextCursor(self.body.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text[start:start + TEXT_CHUNK_CHARS])
        return True

    def _set_wrap(self, wrap: bool) -> None:
        mode = QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap
        if self.body.lineWrapMode() != mode:
            self.body.setLineWrapMode(mode)

    # -- search ----------------------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        self._cancel_search()
        self._hits, self._hit = [], -1
        self.hit_label.clear()
        if not text or self._document is None:
            return
        if self._body_size <= SEARCH_AT_ONCE_BYTES:
            self._show_hits(search_paths(self._document, text))
        else:
            self.hit_label.setText(self.tr("Searching…"))
            self._search_timer.start()  # once the typing pauses

    def _start_search(self) -> None:
        text = self.search.text()
        if not text or self._document is None:
            return
        cancel = self._search_cancel = Cancel()
        import asyncio

        self.search_task = asyncio.ensure_future(self._search(self._document, text, cancel))

    async def _search(self, document: Any, text: str, cancel: Cancel) -> None:
        import asyncio

        try:
            hits = await asyncio.to_thread(_search, document, text, cancel)
        except SearchCancelled:
            return
        if cancel.cancelled or not shiboken6.isValid(self):
            return  # a newer search (or response) replaced this one while it finished
        self._search_cancel = None
        self._show_hits(hits)
        if self._jump_when_found:
            self._jump_when_found = False
            self.next_hit()

    def _cancel_search(self) -> None:
        self._search_timer.stop()
        if self._search_cancel is not None:
            self._search_cancel.cancelled = True  # the worker thread stops at its next check
            self._search_cancel = None

    def _show_hits(self, hits: list[list[int]]) -> None:
        self._hits, self._hit = hits, -1
        self.hit_label.setText(self.tr("%n match(es)", "", len(hits)))

    def searching(self) -> bool:
        """A search of a big document is waiting for the typing to pause, or running."""
        return self._search_timer.isActive() or self._search_cancel is not None

    def next_hit(self) -> None:
        if self.searching():
            self._jump_when_found = True  # Enter pressed while searching: go there when found
            return
        if not self._hits:
            return
        self._hit = (self._hit + 1) % len(self._hits)
        index = self.tree_model.path_index(self._hits[self._hit])
        self.tree.scrollTo(index)
        self.tree.setCurrentIndex(index)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
