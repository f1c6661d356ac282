"""Replay, HAR export and import, cache export: outside the widgets (History and Cache render them)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import WorkbenchError
from workbench.core.har import parse_har, write_har
from workbench.core.model import AddressKind, CacheEntry, HistoryRecord, Outcome, Source
from workbench.core.protocol import PrefetchRequest, is_loopback_host
from workbench.core.redact import Redactor, replace_secret
from workbench.core.store import Store

if TYPE_CHECKING:
    from workbench.services import Services

#: Entries made against the embedded mock server: replays go to its endpoint on today's port.
MOCK_KINDS = (AddressKind.MAIN.value, AddressKind.GRAY.value, AddressKind.PERIODIC.value)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def matching_ids(store: Store, search: str, page: int = 2000) -> list[int]:
    """Every entry the history's ``search`` finds (the filtered table's rows, loaded or not),
    a keyset page at a time: in a worker thread."""
    ids: list[int] = []
    before: int | None = None
    while True:
        items = store.history_page(search, before, page)
        ids += [item.id for item in items]
        if len(items) < page:
            return ids
        before = items[-1].id


class ReplayFlow(QObject):
    """Sends a stored pre-pull again, exactly (same parameters and timestamp)."""

    #: (the replayed record, the new history id, the outcome)
    replayed = Signal(object, int, object)
    #: The entry cannot be sent as it is: (record, one sentence); the view offers the composer.
    refused = Signal(object, str)

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services

    def request_for(self, record: HistoryRecord) -> PrefetchRequest:
        """The request to send again; an entry made against the mock goes to its port of today."""
        request = record.to_request()
        mock = self.services.mock
        if record.address_kind in MOCK_KINDS and mock.running and is_loopback_host(_host(record.url)):
            request = replace(request, url=mock.url(record.address_kind))
        return request

    def replay(self, history_id: int) -> asyncio.Task[tuple[int, Outcome] | None]:
        return self.services.tasks.run(f"replay #{history_id}", self._replay(history_id), preempt=False)

    async def _replay(self, history_id: int) -> tuple[int, Outcome] | None:
        record = await asyncio.to_thread(self.services.store.history, history_id)
        if record is None:
            return None
        try:
            request = self.request_for(record)
        except WorkbenchError as exc:
            self.refused.emit(record, str(exc))
            return None
        new_id, outcome = await self.services.send(request, source=Source.REPLAY.value, user=record.user,
                                                   address_kind=record.address_kind, replay_of=record.id)
        self.replayed.emit(record, new_id, outcome)
        return new_id, outcome


class TransferFlow(QObject):
    """HAR export and import of the history, JSON export of the cache; files written atomically."""

    #: One sentence for the status bar when a transfer finished.
    done = Signal(str)
    #: Entries were imported: how many.
    imported = Signal(int)

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services

    def export_har(self, path: Path, ids: list[int] | None, include_secrets: bool, *,
                   search: str = "") -> asyncio.Task[int]:
        """Export the entries of ``ids``; with None, every entry the ``search`` finds (all for "").
        Secrets are written as REDACTED unless ``include_secrets``."""
        return self.services.tasks.run("export HAR", self._export_har(Path(path), ids, include_secrets, search))

    async def _export_har(self, path: Path, ids: list[int] | None, include_secrets: bool, search: str = "") -> int:
        store = self.services.store

        def work() -> int:  # streamed: one entry at a time, however long the history
            wanted = ids if ids is not None or not search.strip() else matching_ids(store, search)
            return write_har(path, store.iter_history(wanted), include_secrets)

        n = await asyncio.to_thread(work)
        self.done.emit(self.tr("Exported %1 entries to %2").replace("%1", str(n)).replace("%2", str(path)))
        return n

    def import_har(self, path: Path) -> asyncio.Task[int]:
        return self.services.tasks.run("import HAR", self._import_har(Path(path)))

    async def _import_har(self, path: Path) -> int:
        try:
            text = await asyncio.to_thread(path.read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise WorkbenchError(self.tr("Cannot read %1: %2").replace("%1", str(path)).replace("%2", reason)) from None
        rows, skipped = await asyncio.to_thread(parse_har, text, path.name)
        await asyncio.to_thread(self.services.store.add_imported, rows)
        self.services.historyChanged.emit()
        self.imported.emit(len(rows))
        note = self.tr(" (%1 non-GET entries skipped)").replace("%1", str(skipped)) if skipped else ""
        self.done.emit(self.tr("Imported %1 entries from %2").replace("%1", str(len(rows)))
                       .replace("%2", path.name) + note)
        return len(rows)

    def export_cache(self, path: Path, entries: list[CacheEntry]) -> asyncio.Task[int]:
        return self.services.tasks.run("export cache", self._export_cache(Path(path), entries))

    async def _export_cache(self, path: Path, entries: list[CacheEntry]) -> int:
        exported = Redactor(hide=replace_secret)  # a token or password in the address itself
        data = [{"appid": e.appid, "user": e.user, "fetchType": e.fetch_type, "fetchedData": e.fetched_data,
                 "timeStamp": e.time_stamp, "path": e.path, "query": e.query, "scene": e.scene,
                 "address": e.address_kind, "url": exported.url(e.url), "size": e.size, "status": e.status}
                for e in entries]
        await asyncio.to_thread(write_text_atomic, path, json.dumps(data, ensure_ascii=False, indent=1))
        self.done.emit(self.tr("Exported %1 cache entries to %2").replace("%1", str(len(data)))
                       .replace("%2", str(path)))
        return len(data)
