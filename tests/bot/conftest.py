"""The real Application against the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from storage import Database, open_db
from tests.fakebot import FakeTelegram, SentMessage
from tests.newssite import NewsSite

ADMIN = 1001
USER = 2002
TOKEN = "123456:TEST-token"

T = TypeVar("T")


@pytest.fixture
def settings(tg: FakeTelegram, tmp_path: Path) -> Settings:
    return Settings(
        token=TOKEN,
        admin_ids=frozenset({ADMIN}),
        db_path=tmp_path / "bot.db",
        api_base_url=tg.base_url,
        file_base_url=tg.base_file_url,
        poll_seconds=3600,
        max_rate=1000,
    )


@pytest.fixture
def bot_db(settings: Settings) -> Iterator[Database]:
    """A second connection to the bot's database, for arranging and checking."""
    db = open_db(settings.db_path)
    yield db
    db.close()


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """A news site with feeds and article pages on 127.0.0.1."""
    with NewsSite() as running:
        yield running


class RunningBot:
    """A started Application and helpers to talk to it as a user would."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], tg: FakeTelegram) -> None:
        self.app, self.tg = app, tg

    async def ask(
        self, user: int, text: str, expect: int = 1, chat: int | None = None
    ) -> list[SentMessage]:
        """Send `text` from `user`; return the `expect` new messages the bot sent to the chat."""
        chat_id = chat or user
        before = len(self.tg.messages(chat_id))
        self.tg.send_text(user, text, chat_id=chat)
        got = await self.tg.wait_for_messages_async(chat_id, before + expect, timeout=10)
        return got[before:]

    async def until(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        """Wait until `predicate()` holds; fail the test after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError("condition not reached in time")
            await asyncio.sleep(0.05)

    async def quiet(self, chat_id: int, seconds: float = 0.5) -> int:
        """Wait a moment and return how many messages the chat has (to assert none came)."""
        await asyncio.sleep(seconds)
        return len(self.tg.messages(chat_id))


async def start_bot(settings: Settings, tg: FakeTelegram) -> RunningBot:
    app = build_application(settings)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    return RunningBot(app, tg)


async def stop_bot(bot: RunningBot) -> None:
    app = bot.app
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    await app.shutdown()


@pytest.fixture
async def running(settings: Settings, tg: FakeTelegram) -> AsyncIterator[RunningBot]:
    bot = await start_bot(settings, tg)
    yield bot
    await stop_bot(bot)


async def off_loop(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking database call in a thread, as another process (the CLI) would.

    The bot commits its delivery ledger on the next turn of its event loop. A write
    through a second connection made on the loop itself would wait for a commit that
    cannot come before it returns, and fail with "database is locked" after the busy
    timeout; a thread waits while the loop goes on and commits.
    """
    return await asyncio.to_thread(call, *args, **kwargs)


def with_settings(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, **changes)
