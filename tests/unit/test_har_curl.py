"""HAR 1.2 export (validated against the HAR schema) and import; curl commands."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft6Validator
from referencing import Registry, Resource

from tests.support.servers import APPID
from workbench.core.client import PrefetchClient
from workbench.core.curl import curl_command
from workbench.core.errors import InvalidInput
from workbench.core.har import REDACTED, export_har, parse_har
from workbench.core.protocol import Identity, Launch, PrefetchRequest
from workbench.core.store import Store

SCHEMAS = Path(__file__).resolve().parents[1] / "support" / "har_schema"
BROWSER_HAR = Path(__file__).resolve().parents[1] / "support" / "data" / "browser-export.har"


def har_validator() -> Draft6Validator:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"].rstrip("#"), Resource.from_contents(schema)))
    registry = Registry().with_resources(resources)
    return Draft6Validator(json.loads((SCHEMAS / "har.json").read_text()), registry=registry)


async def record_some(store: Store, server: str) -> None:
    async with PrefetchClient() as client:
        for path, identity in (("/echo", Identity(token="secret-token-1")), ("/status/500", Identity(code="c0de42")),
                               ("/latin1", Identity(token="t2"))):
            request = PrefetchRequest(url=server + path, appid=APPID, identity=identity,
                                      launch=Launch(path="pages/a", query="id=1&来源=扫码", scene=1047))
            store.add_outcome(await client.prefetch(request), source="test", user="alice")


async def test_har_export_is_valid_har_1_2_and_redacts_secrets(server, store):
    await record_some(store, server)
    records = [store.history(i) for i in store.history_ids()]
    har = export_har(records)
    har_validator().validate(har)
    text = json.dumps(har, ensure_ascii=False)
    assert "secret-token-1" not in text and "c0de42" not in text and REDACTED in text
    assert har["log"]["version"] == "1.2" and len(har["log"]["entries"]) == 3
    first = har["log"]["entries"][0]
    assert {"name": "query", "value": "id=1&来源=扫码"} in first["request"]["queryString"]
    assert har["log"]["entries"][2]["response"]["content"]["encoding"] == "base64"  # not UTF-8
    with_secrets = json.dumps(export_har(records, include_secrets=True))
    assert "secret-token-1" in with_secrets


async def test_har_round_trip_gives_the_same_requests(server, store, workspace):
    await record_some(store, server)
    records = [store.history(i) for i in store.history_ids()]
    rows, skipped = parse_har(json.dumps(export_har(records, include_secrets=True)))
    assert skipped == 0
    other = Store(workspace / "other.sqlite3")
    try:
        ids = other.add_imported(rows)
        imported = [other.history(i) for i in ids]
    finally:
        other.close()
    for before, after in zip(records, imported, strict=True):
        assert after.full_url == before.full_url
        assert after.params == before.params
        assert after.to_request().full_url() == before.to_request().full_url()
        assert (after.status, after.body, after.cached) == (before.status, before.body, before.cached)
        assert after.source == "import"


def test_browser_har_imports_as_replayable_requests():
    rows, skipped = parse_har(BROWSER_HAR.read_text(), "browser-export.har")
    assert len(rows) == 4 and skipped == 0
    assert rows[0].full_url == "http://humanssuck.net/" and rows[0].status == 200
    assert rows[0].allow_plain_http and rows[0].appid == ""  # the composer asks for the appid


@pytest.mark.parametrize("text, message", [
    ("not json", "not valid JSON"),
    ('{"log": {}}', "no log.entries"),
    ('{"log": {"entries": [{"request": {"method": "GET"}, "response": {}}]}}', "no request URL"),
])
def test_invalid_har_gets_one_clear_error(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_har(text, "x.har")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
async def test_curl_command_reaches_the_server_with_identical_parameters(server):
    request = PrefetchRequest(url=server + "/echo", appid=APPID, identity=Identity(token="t o+k"),
                              launch=Launch(path="pages/a b", query="a=1&b=中&c=[x]", scene=1047))
    async with PrefetchClient() as client:
        outcome = await client.prefetch(request)
    command = curl_command(outcome.sent.url, outcome.sent.headers)
    proc = await asyncio.create_subprocess_shell(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err
    assert out == outcome.body  # /echo answers with the raw query string it received
