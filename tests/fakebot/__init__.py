"""A fake Telegram Bot API server for end-to-end tests and benchmarks (127.0.0.1 only).

It speaks the Bot API over HTTP the way Telegram does where it matters: `/bot<TOKEN>/<method>`
with form, multipart or JSON parameters; HTML parse mode validated with Telegram's tags and
errors ("Bad Request: can't parse entities: ..."); the 4096-character limit in UTF-16 units;
403 for users who blocked the bot, "chat not found", migrate_to_chat_id; 429 with retry_after
under flood limits; getUpdates long polling; getFile downloads from `/file/bot<TOKEN>/<path>`.
Unknown methods get 404. Any well-formed token is accepted; the bot's id is its numeric part.

In pytest, one server per session and `reset()` per test::

    @pytest.fixture(scope="session")
    def telegram_server() -> Iterator[FakeTelegram]:
        with FakeTelegram() as tg:
            yield tg

    @pytest.fixture
    def tg(telegram_server: FakeTelegram) -> FakeTelegram:
        telegram_server.reset()
        return telegram_server

    async def test_latest(tg: FakeTelegram) -> None:
        app = (ApplicationBuilder().token("123:TEST").base_url(tg.base_url)
               .base_file_url(tg.base_file_url).build())
        ...  # start the application with polling
        tg.send_command(USER, "/latest 3")
        [reply] = await tg.wait_for_messages_async(USER, 1, timeout=5)
        assert "Example title" in reply.text          # what the user reads (tags stripped)
        assert reply.preview_disabled and reply.buttons == [["More"]]
        tg.press_button(USER, reply, "More")          # a callback query
        tg.block(USER)                                # next sends get 403

The helpers are plain blocking calls, safe from any thread and quick enough for async tests;
only the waits block for long, so async tests use `wait_for_messages_async` (or
`asyncio.to_thread(tg.wait_for_messages, ...)`) to keep their own event loop, where the bot
runs, going. The server runs on its own thread and loop.

Users: `send_text`, `send_command`, `send_callback`/`press_button`, `send_document` (with a
file for getFile; `size=` fakes a big one), `register_file`.
What the bot did: `messages(chat_id)` (current state, edits applied), `texts`, `last_message`,
`log` (every send and edit), `wait_for_messages`, `message_counts`, `callback_answers`,
`unanswered_callbacks`, `commands(scope, language_code)`, `chat_actions`, `pending_updates`,
`stats()` (requests, method.<name>, sent, edited, rejected_429, rejected_403, rejected_400).
Telegram's behaviour: `block`/`unblock`, `forget_chat`, `migrate`, `set_flood(global_per_sec=30,
per_chat_per_sec=1)`/`flood_off`, `storm(n, retry_after)` (the next n sends get 429),
`set_validation(html=False)` (benchmarks only), `reset`.

Flood limits are token buckets with aiolimiter's semantics (a burst of one second's worth,
then the rate), so a bot paced by PTB's AIORateLimiter is not refused by the global limit.
They apply to sendMessage, sendDocument and the edits; off by default, on with
`FakeTelegram(flood=True)`, `set_flood(...)` or `--flood`.

As a process, for benchmarks and crash tests (it outlives a SIGKILLed bot and keeps its
records)::

    python -m tests.fakebot --port 8081 [--flood] [--no-validate]   # --port 0: printed

and from the test or benchmark `FakeTelegramClient("http://127.0.0.1:8081")`, the same
helpers over the control API (POST /_fake/<operation> with JSON, e.g. /_fake/messages,
/_fake/block, /_fake/storm, /_fake/reset, /_fake/stats).
"""

from .client import CallbackAnswer, FakeTelegramClient, SentMessage
from .inprocess import FakeTelegram
from .tghtml import HTMLParseError, parse_html, utf16_length

__all__ = [
    "CallbackAnswer",
    "FakeTelegram",
    "FakeTelegramClient",
    "HTMLParseError",
    "SentMessage",
    "parse_html",
    "utf16_length",
]
