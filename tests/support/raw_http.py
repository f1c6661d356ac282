"""A raw HTTP/1.1 server on 127.0.0.1 port 0 that records the request bytes exactly.

Starlette and uvicorn decode the request target before a handler sees it; this server keeps
the request line and headers as they arrived, so tests can compare them with what the
workbench shows. Each connection gets one canned response and is closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class Received:
    method: bytes
    target: bytes
    version: bytes
    headers: list[tuple[bytes, bytes]]

    def header(self, name: str) -> bytes | None:
        return next((v for k, v in self.headers if k.lower() == name.lower().encode()), None)


@dataclass(slots=True)
class RawServer:
    base_url: str
    received: list[Received] = field(default_factory=list)
    status: int = 200
    response_headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "text/plain")])
    body: bytes = b"ok"


@asynccontextmanager
async def raw_server() -> AsyncIterator[RawServer]:
    state = RawServer(base_url="")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        lines = head[:-4].split(b"\r\n")
        method, target, version = lines[0].split(b" ", 2)
        headers = [tuple(x.strip() for x in line.split(b":", 1)) for line in lines[1:] if b":" in line]
        state.received.append(Received(method, target, version, headers))  # type: ignore[arg-type]
        out = [f"HTTP/1.1 {state.status} X".encode()]
        out += [f"{k}: {v}".encode("latin-1") for k, v in state.response_headers]
        out += [f"Content-Length: {len(state.body)}".encode(), b"Connection: close", b"", b""]
        writer.write(b"\r\n".join(out) + state.body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    state.base_url = f"http://127.0.0.1:{port}"
    try:
        yield state
    finally:
        server.close()
        await server.wait_closed()
