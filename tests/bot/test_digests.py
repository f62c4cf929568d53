"""Digests over HTTP with Telegram's flood limits on: exactly once, nothing lost."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from bot.config import Settings
from bot.library import store_article
from ingest import Article
from storage import Database
from storage.subscribers import get_subscriber, save_subscription
from tests.bot.conftest import (
    ADMIN,
    USER,
    RunningBot,
    off_loop,
    start_bot,
    stop_bot,
    with_settings,
)
from tests.fakebot import FakeTelegram

FIRST_CHAT = 5000


def subscribe_due(db: Database, chats: range, minutes_ago: int = 5) -> None:
    due = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    for chat in chats:
        save_subscription(db, chat, chat, "08:00", "UTC", due, since_id=0)


def add_story(db: Database, n: int) -> None:
    body = f"Story {n} happened today in the town of Example, officials said on Monday."
    store_article(db, Article(f"Headline {n}", (body,)))


def per_chat(tg: FakeTelegram, chats: range) -> Counter[int]:
    counts = tg.message_counts()
    return Counter({chat: counts.get(chat, 0) for chat in chats})


async def test_catch_up_at_start_up_sends_each_missed_digest_once(
    settings: Settings, tg: FakeTelegram, bot_db: Database
) -> None:
    add_story(bot_db, 1)
    chats = range(FIRST_CHAT, FIRST_CHAT + 5)
    subscribe_due(bot_db, chats, minutes_ago=60 * 30)  # the bot was down for a day and more
    fast = with_settings(settings, poll_seconds=0.2)
    bot = await start_bot(fast, tg)
    try:
        await bot.until(lambda: all(n == 1 for n in per_chat(tg, chats).values()))
        await bot.quiet(FIRST_CHAT, 1.0)
    finally:
        await stop_bot(bot)
    bot = await start_bot(fast, tg)  # a restart must not send them again
    try:
        await bot.quiet(FIRST_CHAT, 1.0)
    finally:
        await stop_bot(bot)
    assert set(per_chat(tg, chats).values()) == {1}
    assert "Headline 1" in tg.messages(FIRST_CHAT)[0].text
    assert "Your news digest" in tg.messages(FIRST_CHAT)[0].text


async def test_broadcast_under_flood_limits_and_429_storm_loses_nothing(
    settings: Settings, tg: FakeTelegram, bot_db: Database
) -> None:
    tg.set_flood(global_per_sec=30, per_chat_per_sec=1)
    tg.storm(8, retry_after=1)
    add_story(bot_db, 1)
    chats = range(FIRST_CHAT, FIRST_CHAT + 60)
    subscribe_due(bot_db, chats)
    bot = await start_bot(with_settings(settings, poll_seconds=0.5, max_rate=30), tg)
    try:
        await bot.until(lambda: sum(per_chat(tg, chats).values()) >= len(chats), timeout=30)
        await bot.quiet(FIRST_CHAT, 1.0)
    finally:
        await stop_bot(bot)
    assert set(per_chat(tg, chats).values()) == {1}
    assert tg.stats().get("rejected_429", 0) >= 8
    assert all(get_subscriber(bot_db, c).since_id == 1 for c in chats)  # type: ignore[union-attr]


async def test_blocked_and_vanished_chats_are_marked_and_come_back_with_start(
    settings: Settings, tg: FakeTelegram, bot_db: Database
) -> None:
    add_story(bot_db, 1)
    chats = range(FIRST_CHAT, FIRST_CHAT + 4)
    subscribe_due(bot_db, chats)
    tg.block(FIRST_CHAT)
    tg.forget_chat(FIRST_CHAT + 1)
    bot = await start_bot(with_settings(settings, poll_seconds=0.2), tg)
    try:
        await bot.until(lambda: per_chat(tg, chats)[FIRST_CHAT + 3] == 1)
        await bot.until(lambda: get_subscriber(bot_db, FIRST_CHAT + 1).status == "blocked")  # type: ignore[union-attr]
        assert get_subscriber(bot_db, FIRST_CHAT).status == "blocked"  # type: ignore[union-attr]
        [stats] = await bot.ask(ADMIN, "/stats")
        assert "2 active, 0 paused, 2 blocked" in stats.text
        tg.unblock(FIRST_CHAT)
        await bot.ask(FIRST_CHAT, "/start")
        assert get_subscriber(bot_db, FIRST_CHAT).status == "active"  # type: ignore[union-attr]
    finally:
        await stop_bot(bot)


async def test_migrated_group_keeps_its_subscription(
    settings: Settings, tg: FakeTelegram, bot_db: Database
) -> None:
    add_story(bot_db, 1)
    subscribe_due(bot_db, range(-100, -99))
    tg.migrate(-100, -1009)
    bot = await start_bot(with_settings(settings, poll_seconds=0.2), tg)
    try:
        await bot.until(lambda: len(tg.messages(-1009)) == 1)
    finally:
        await stop_bot(bot)
    assert get_subscriber(bot_db, -1009) is not None and get_subscriber(bot_db, -100) is None


async def test_digest_on_request_moves_the_since_mark(
    running: RunningBot, bot_db: Database
) -> None:
    [subscribed] = await running.ask(USER, "/subscribe 07:00")
    assert "Daily digest at 07:00 (UTC)" in subscribed.text
    [empty] = await running.ask(USER, "/digest")
    assert empty.text == "Nothing new since your last digest. /latest shows the newest articles."
    await off_loop(add_story, bot_db, 1)
    [digest] = await running.ask(USER, "/digest")
    assert "Your news digest" in digest.text and "Headline 1" in digest.text
    await off_loop(add_story, bot_db, 2)
    [second] = await running.ask(USER, "/digest")
    assert "Headline 2" in second.text and "Headline 1" not in second.text
    # The bot confirms (and moves the schedule) just after Telegram has the message.
    now = datetime.now(timezone.utc)
    await running.until(lambda: get_subscriber(bot_db, USER).next_due > now)  # type: ignore[union-attr]
    assert get_subscriber(bot_db, USER).since_id == 2  # type: ignore[union-attr]


async def test_digest_now_reaches_every_subscriber(
    settings: Settings, tg: FakeTelegram, bot_db: Database
) -> None:
    add_story(bot_db, 1)
    later = datetime.now(timezone.utc) + timedelta(hours=5)
    chats = range(FIRST_CHAT, FIRST_CHAT + 10)
    for chat in chats:
        save_subscription(bot_db, chat, chat, "08:00", "UTC", later, since_id=0)
    bot = await start_bot(settings, tg)
    try:
        [reply] = await bot.ask(ADMIN, "/digest_now")
        assert reply.text == "Sending the digest to 10 subscribers now."
        await bot.until(lambda: all(n == 1 for n in per_chat(tg, chats).values()))
    finally:
        await stop_bot(bot)


@pytest.mark.parametrize("command", ["/digest", "/settings pause"])
async def test_commands_for_subscribers_explain_when_not_subscribed(
    running: RunningBot, command: str
) -> None:
    [reply] = await running.ask(USER, command)
    assert "not subscribed" in reply.text
