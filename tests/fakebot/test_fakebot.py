"""The fake Bot API server, driven by PTB's real `telegram.Bot` over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dtm
import subprocess
import sys
import threading
import time

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from tests.fakebot import FakeTelegram, FakeTelegramClient
from tests.fakebot.flood import FloodControl

from .conftest import TOKEN

USER = 1001
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])


async def test_html_message_is_recorded_as_the_user_sees_it(tg: FakeTelegram, bot: Bot) -> None:
    html = '😀 <b>Title</b> &amp; <a href="https://e.com">link</a>'
    sent = await bot.send_message(
        USER,
        html,
        parse_mode="HTML",
        reply_markup=KEYBOARD,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.text == "😀 Title & link"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 3, 5),
        ("text_link", 11, 4),
    ]
    assert sent.from_user is not None and sent.from_user.id == bot.id
    [message] = tg.messages(USER)
    assert (message.text, message.html, message.message_id) == ("😀 Title & link", html, 1)
    assert message.buttons == [["More"]]
    assert message.preview_disabled


@pytest.mark.parametrize(
    "html", ["a < b", "fish & chips", "<br>", "<b>open", "<b><i>x</b></i>", "<span>x</span>"]
)
async def test_invalid_html_is_refused(tg: FakeTelegram, bot: Bot, html: str) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(USER, html, parse_mode="HTML")
    assert tg.messages(USER) == []


async def test_plain_text_is_not_parsed(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "a < b & c")
    assert tg.texts(USER) == ["a < b & c"]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("a" * 4096, True),
        ("a" * 4097, False),
        ("😀" * 2048, True),  # each emoji is two UTF-16 code units
        ("😀" * 2048 + "a", False),
        ("<b>" + "a" * 4096 + "</b>", True),  # tags do not count
        ("&lt;" * 4096, True),  # an entity counts as its character
        ("&lt;" * 4097, False),
    ],
)
async def test_length_limit_counts_utf16_after_parsing(
    tg: FakeTelegram, bot: Bot, text: str, accepted: bool
) -> None:
    if accepted:
        await bot.send_message(USER, text, parse_mode="HTML")
        assert len(tg.messages(USER)) == 1
    else:
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(USER, text, parse_mode="HTML")
        assert tg.messages(USER) == []


@pytest.mark.parametrize("text", [" ", "<b></b>", "\n"])
async def test_empty_text_is_refused(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, text, parse_mode="HTML")


async def test_blocked_unknown_and_migrated_chats(tg: FakeTelegram, bot: Bot) -> None:
    tg.block(USER)
    tg.forget_chat(2002)
    tg.migrate(-3003, -1003003)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(2002, "hi")
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-3003, "hi")
    assert migrated.value.new_chat_id == -1003003
    await bot.send_message(-1003003, "hi")
    tg.unblock(USER)
    await bot.send_message(USER, "back")
    assert tg.message_counts() == {-1003003: 1, USER: 1}
    assert tg.stats()["rejected_403"] == 1


async def test_per_chat_flood_limit_answers_429_with_retry_after(
    tg: FakeTelegram, bot: Bot
) -> None:
    tg.set_flood(global_per_sec=30, per_chat_per_sec=1)
    await bot.send_message(USER, "first")
    with pytest.raises(RetryAfter) as flooded:
        await bot.send_message(USER, "second")
    assert flooded.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(USER + 1, "another chat is not limited")
    assert tg.stats()["rejected_429"] == 1
    await asyncio.sleep(1.0)
    await bot.send_message(USER, "after waiting")
    assert tg.texts(USER) == ["first", "after waiting"]


async def test_global_flood_limit_allows_a_burst_then_refuses(tg: FakeTelegram, bot: Bot) -> None:
    tg.set_flood(global_per_sec=30, per_chat_per_sec=1)
    started = time.monotonic()
    results = await asyncio.gather(
        *(bot.send_message(5000 + chat, "x") for chat in range(60)), return_exceptions=True
    )
    elapsed = time.monotonic() - started
    refused = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(r, RetryAfter) for r in refused)
    accepted = 60 - len(refused)
    # A burst of 30, then 30 a second for as long as the sends took.
    assert 30 <= accepted <= 30 + 30 * elapsed + 1
    assert tg.stats()["rejected_429"] == len(refused) > 0


async def test_429_storm_refuses_the_next_n_sends(tg: FakeTelegram, bot: Bot) -> None:
    tg.storm(3, retry_after=2)
    for _ in range(3):
        with pytest.raises(RetryAfter) as flooded:
            await bot.send_message(USER, "x")
        assert flooded.value.retry_after == dtm.timedelta(seconds=2)
    await bot.send_message(USER, "through")
    assert tg.texts(USER) == ["through"]
    assert tg.stats()["rejected_429"] == 3


def test_token_buckets_match_aiolimiter_pacing() -> None:
    flood = FloodControl()
    flood.configure(global_per_sec=30, per_chat_per_sec=1)
    now = 100.0
    # A client sending 30/s evenly after an initial burst is never refused globally.
    assert [flood.check(chat, now) for chat in range(30)] == [None] * 30
    assert flood.check(99, now) == 1
    assert all(flood.check(200 + i, now + (i + 1) / 30) is None for i in range(60))
    later = now + 10
    assert flood.check(0, later) is None
    assert flood.check(0, later + 0.5) == 1  # per chat: one a second
    assert flood.check(0, later + 1.0) is None


async def test_get_updates_long_polls_and_honours_offset_and_limit(
    tg: FakeTelegram, bot: Bot
) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9
    # An update arriving during the poll answers it at once.
    threading.Timer(0.3, tg.send_command, (USER, "/latest 3")).start()
    started = time.monotonic()
    [update] = await bot.get_updates(timeout=10)
    assert time.monotonic() - started < 3
    assert update.message is not None and update.message.text == "/latest 3"
    assert [(e.type, e.offset, e.length) for e in update.message.entities] == [
        ("bot_command", 0, 7)
    ]
    assert update.message.from_user is not None and update.message.from_user.id == USER
    assert update.message.chat.id == USER and update.message.chat.type == "private"
    tg.send_text(USER, "second")
    tg.send_text(USER, "third")
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [update.update_id + i for i in range(3)]
    limited = await bot.get_updates(offset=update.update_id + 1, limit=1, timeout=0)
    assert [u.message.text for u in limited if u.message] == ["second"]
    pending = [u["update_id"] for u in tg.pending_updates()]
    assert pending == [update.update_id + 1, update.update_id + 2]


async def test_a_newer_get_updates_ends_the_older_with_409(tg: FakeTelegram, bot: Bot) -> None:
    # A Bot runs one getUpdates at a time, so the older poll comes from another client,
    # like a bot process that was killed while polling.
    async with httpx.AsyncClient() as other:
        older = asyncio.create_task(other.post(f"{tg.base_url}{TOKEN}/getUpdates?timeout=5"))
        await asyncio.sleep(0.2)
        assert await bot.get_updates(timeout=0) == ()
        response = await older
    assert response.status_code == 409
    assert "terminated by other getUpdates" in response.json()["description"]


async def test_get_file_downloads_registered_and_uploaded_files(
    tg: FakeTelegram, bot: Bot
) -> None:
    file_id = tg.register_file(b"article text", "documents/a.txt")
    telegram_file = await bot.get_file(file_id)
    assert telegram_file.file_size == 12
    assert await telegram_file.download_as_bytearray() == b"article text"
    tg.send_document(USER, b"Title\n\nBody", "story.txt", caption="/add", mime_type="text/plain")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    assert update.message.caption == "/add"
    assert update.message.caption_entities[0].type == "bot_command"
    uploaded = await bot.get_file(update.message.document.file_id)
    assert await uploaded.download_as_bytearray() == b"Title\n\nBody"


async def test_files_over_20_mb_cannot_be_downloaded(tg: FakeTelegram, bot: Bot) -> None:
    tg.send_document(USER, b"small really", "big.txt", size=25 * 1024 * 1024)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_size == 25 * 1024 * 1024
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(update.message.document.file_id)


async def test_callback_queries_and_their_answers_are_recorded(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "pick", reply_markup=KEYBOARD)
    query_id = tg.press_button(USER, tg.last_message(USER), "More")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.id == query_id and query.data == "more:1"
    assert isinstance(query.message, Message) and query.message.text == "pick"
    assert tg.unanswered_callbacks() == [query_id]
    await bot.answer_callback_query(query_id, text="Done")
    [answer] = tg.callback_answers()
    assert (answer.user_id, answer.data, answer.text) == (USER, "more:1", "Done")
    assert tg.unanswered_callbacks() == []
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


async def test_edits_update_the_message_and_the_log(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "v1", reply_markup=KEYBOARD)
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    edited = await bot.edit_message_text("<i>v2</i>", USER, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, Message) and edited.text == "v2"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<i>v2</i>", USER, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    [message] = tg.messages(USER)
    assert (message.text, message.buttons, message.edits) == ("v2", [], 2)
    assert [(m.kind, m.text) for m in tg.log(USER)] == [
        ("send", "v1"),
        ("edit", "v1"),
        ("edit", "v2"),
    ]


async def test_commands_are_kept_per_scope(tg: FakeTelegram, bot: Bot) -> None:
    everyone = [BotCommand("latest", "Newest articles")]
    admins = [*everyone, BotCommand("stats", "Numbers")]
    await bot.set_my_commands(everyone, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(admins, scope=BotCommandScopeChat(USER))
    assert tg.commands({"type": "all_private_chats"}) == [
        {"command": "latest", "description": "Newest articles"}
    ]
    assert [c["command"] for c in tg.commands({"type": "chat", "chat_id": USER}) or []] == [
        "latest",
        "stats",
    ]
    assert tg.commands() is None
    assert await bot.get_my_commands(scope=BotCommandScopeChat(USER)) == tuple(admins)
    await bot.delete_my_commands(scope=BotCommandScopeChat(USER))
    assert tg.commands({"type": "chat", "chat_id": USER}) is None
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


def test_unknown_methods_and_json_bodies(tg: FakeTelegram) -> None:
    unknown = httpx.post(f"{tg.base_url}{TOKEN}/fooBar")
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert httpx.get(f"{tg.base_url}bad-token/getMe").status_code == 404
    sent = httpx.post(
        f"{tg.base_url}{TOKEN}/sendMessage",
        json={"chat_id": USER, "text": "<b>json</b>", "parse_mode": "HTML"},
    )
    assert sent.json()["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert tg.texts(USER) == ["json"]


async def test_wait_for_messages_returns_when_they_arrive(tg: FakeTelegram, bot: Bot) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.2)
        await bot.send_message(USER, "one")
        await bot.send_message(USER, "two")

    sender = asyncio.create_task(send_later())
    messages = await tg.wait_for_messages_async(USER, 2, timeout=5)
    await sender
    assert [m.text for m in messages] == ["one", "two"]
    with pytest.raises(TimeoutError, match="3 messages"):
        tg.wait_for_messages(USER, 3, timeout=0.2)


def test_separate_process_serves_and_outlives_its_clients() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakebot", "--port", "0", "--flood"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        with FakeTelegramClient(url) as tg:
            api = f"{tg.base_url}{TOKEN}"
            assert httpx.post(f"{api}/sendMessage", data={"chat_id": 1, "text": "a"}).is_success
            flooded = httpx.post(f"{api}/sendMessage", data={"chat_id": 1, "text": "b"})
            assert flooded.status_code == 429
            assert flooded.json()["parameters"] == {"retry_after": 1}
            with FakeTelegramClient(url) as second_client:
                assert second_client.texts(1) == ["a"]
            assert tg.stats()["rejected_429"] == 1
            tg.reset()
            assert tg.messages() == []
    finally:
        process.terminate()
        assert process.wait(10) == 0
        if process.stdout is not None:
            process.stdout.close()
