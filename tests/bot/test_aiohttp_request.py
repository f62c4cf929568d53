"""AiohttpRequest against the fake Bot API server and against servers that fail."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import Forbidden, NetworkError, TimedOut

from bot.aiohttp_request import AiohttpRequest
from tests.fakebot import FakeTelegram

TOKEN = "123456:TEST-token"
USER = 2002


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    request = AiohttpRequest(connection_pool_size=4)
    async with Bot(
        TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url, request=request
    ) as bot:
        yield bot


async def test_send_message_arrives_as_sent(bot: Bot, tg: FakeTelegram) -> None:
    message = await bot.send_message(
        USER,
        "<b>Tram</b> line &amp; more: ünïcode",
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    sent = tg.last_message(USER)
    assert sent.text == "Tram line & more: ünïcode"
    assert sent.preview_disabled
    assert message.message_id == sent.message_id


async def test_upload_then_download_returns_the_same_bytes(bot: Bot) -> None:
    content = b"line one\nline two \xe2\x9c\x93\n" * 100
    message = await bot.send_document(USER, content, filename="notes.txt", caption="/add")
    assert message.document is not None and message.document.file_name == "notes.txt"
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == content


async def test_telegram_errors_keep_their_meaning(bot: Bot, tg: FakeTelegram) -> None:
    tg.block(USER)
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "hello")


async def test_no_answer_in_time_is_timed_out() -> None:
    done = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1000)
        await done.wait()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, AiohttpRequest(read_timeout=0.2) as request:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        done.set()


async def test_connection_refused_is_a_network_error_not_a_timeout() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    assert not isinstance(raised.value, TimedOut)


async def test_requests_need_initialize_and_work_again_after_shutdown(tg: FakeTelegram) -> None:
    request = AiohttpRequest()
    url = f"{tg.base_url}{TOKEN}/getMe"
    with pytest.raises(NetworkError, match="not initialized"):  # PTB wraps the RuntimeError
        await request.post(url)
    for _ in range(2):
        async with request:
            me = await request.post(url)
            assert isinstance(me, dict) and me["id"] == 123456
        with pytest.raises(NetworkError, match="not initialized"):
            await request.post(url)
