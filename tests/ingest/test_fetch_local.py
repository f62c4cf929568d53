"""fetch_article against a real HTTP server on 127.0.0.1: real sockets, real timeouts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ingest import IngestError, fetch_article, make_client

BODY = b"Ferry fares fall\nThe board cut fares by a third on Thursday.\n"


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    release = asyncio.Event()  # holds /slow open until the test is over
    handlers: set[asyncio.Task[Any]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            path = (await reader.readuntil(b"\r\n\r\n")).split()[1]
            if path == b"/slow":
                await release.wait()
            elif path == b"/ok":
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BODY), BODY)
                )
            else:
                writer.write(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client gave up first (the timeout test)
        finally:
            writer.close()
            await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    release.set()
    await asyncio.gather(*handlers, return_exceptions=True)
    server.close()
    await server.wait_closed()


async def test_page_over_a_real_socket(base_url: str) -> None:
    async with make_client() as client:
        article = await fetch_article(client, f"{base_url}/ok")
    assert article.title == "Ferry fares fall"
    assert article.source == "127.0.0.1"


async def test_real_timeout(base_url: str) -> None:
    async with make_client(timeout=0.2) as client:
        with pytest.raises(IngestError, match="/slow: the server did not answer in time$"):
            await fetch_article(client, f"{base_url}/slow")


async def test_real_404(base_url: str) -> None:
    async with make_client() as client:
        with pytest.raises(IngestError, match="the server answered 404 Not Found$"):
            await fetch_article(client, f"{base_url}/missing")


async def test_nothing_listening(base_url: str) -> None:
    async with make_client(timeout=2.0) as client:
        with pytest.raises(IngestError, match="could not connect"):
            await fetch_article(client, "http://127.0.0.1:9/closed")
