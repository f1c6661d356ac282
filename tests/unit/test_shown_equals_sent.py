"""Shown equals sent: the URL the workbench shows is byte for byte the request the server gets.

For addresses with non-ASCII path characters or spaces in their own query, httpx used to
percent-encode on the way out while the workbench showed the address as typed.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.raw_http import raw_server
from workbench.core.client import PrefetchClient
from workbench.core.protocol import Identity, Launch, PrefetchRequest, canonical_url

APPID = "wx0123456789abcdef"

TRICKY = [
    "/数据",
    "/数据?env=a b",
    "/prefetch?env=a b&x=中",
    "/a b/c",
    "/%E6%95%B0",
    "/%e6%95%b0/mixed/数",
    "/a%2Fb?k=%zz",
    "/p?k=a+b&empty=&=v",
    "/p;param=1",
    "/~user/",
    "/p?a=[1]&b='x'&c=\"q\"",
    "/p?q=<>`{}|^\\",
    "/a/../b/./c",
    "",
    "?only=query",
    "/p?",
]


def target_of(url: str) -> bytes:
    """The request-target (origin form) that a URL shown as ``url`` must produce."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if "?" in url:
        target += "?" + url.split("?", 1)[1]
    return target.encode("ascii")


async def send_and_capture(suffix: str, **kw) -> tuple[str, bytes, str]:
    async with raw_server() as server:
        request = PrefetchRequest(url=server.base_url + suffix, appid=APPID, identity=Identity(token="tok en/+"),
                                  launch=Launch(path="pages/数据", query="a=1 2&b=中"), **kw)
        async with PrefetchClient() as client:
            outcome = await client.prefetch(request)
        assert outcome.status == 200, outcome.verdict.messages
        (received,) = server.received
        return outcome.request.full_url(), received.target, outcome.sent.url


@pytest.mark.parametrize("suffix", TRICKY)
async def test_shown_url_is_byte_identical_to_the_request_target(suffix):
    shown, target, sent = await send_and_capture(suffix)
    assert shown == sent
    assert target_of(shown) == target
    assert shown.isascii()


# addresses typed by hand: letters, CJK, spaces, escapes (valid and not), reserved characters
_PIECE = st.sampled_from(["a", "Z", "9", "中", "数据", " ", "%20", "%zz", "%", "+", "=", "&", ";", ",", "'", "\"",
                          "<", ">", "{", "}", "|", "^", "`", "[", "]", "~", "!", "*", "(", ")", "$", "@", ":", "é"])
_SEGMENT = st.lists(_PIECE, max_size=6).map("".join)


@settings(max_examples=40, deadline=None)
@given(path=st.lists(_SEGMENT, max_size=3), query=st.one_of(st.none(), _SEGMENT))
def test_any_accepted_address_is_sent_as_shown(path, query):
    """Property: for any address the workbench accepts, what it shows is the target sent."""
    suffix = "/" + "/".join(path) + ("" if query is None else "?" + query)
    shown, target, sent = asyncio.run(send_and_capture(suffix))
    assert shown == sent and target_of(shown) == target
    assert canonical_url(shown) == shown  # one canonical form: normalising again changes nothing


async def test_fetch_json_request_url_is_what_the_server_received(workspace):
    """`fetch --json` prints request.url; a raw server compares it with its request line."""
    async with raw_server() as server:
        url = server.base_url + "/数据?env=a b"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workbench", "fetch", url, "--appid", APPID, "--token", "tok-123456789",
            "--query", "k=v w", "--workspace", str(workspace), "--json", "--show-secrets",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()
        shown = json.loads(out)["request"]["url"]
        (received,) = server.received
    assert target_of(shown) == received.target
    assert received.target.startswith(b"/%E6%95%B0%E6%8D%AE?env=a%20b&appid=")
