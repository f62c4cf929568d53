"""Every command over HTTP, as a user sees it: the real Application and the fake Bot API."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.library import store_article
from ingest import Article
from storage import Database, article_count, get_article
from storage.subscribers import get_subscriber
from tests.bot.conftest import ADMIN, USER, RunningBot, off_loop
from tests.fakebot import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

STORY = (
    "Tram line approved after <late> vote & protest\n"
    "Riverton's council voted 9-4 on Tuesday to build a 14-kilometre tram line.\n"
    '"This is the biggest investment in a generation," said Mayor Ana Ruiz.\n'
    "The line will open in 2029 and cost 410 million euros, the council said.\n"
    '"We will keep fighting it in court," said Tom Berg, who leads the opposition group.\n'
)


def add(db: Database, title: str, body: str, url: str | None = None) -> int:
    return store_article(db, Article(title=title, paragraphs=tuple(body.split("\n")), url=url)).id


async def test_start_explains_and_offers_buttons(running: RunningBot) -> None:
    [reply] = await running.ask(USER, "/start")
    assert "Welcome to newsdigest" in reply.text
    labels = [label for row in reply.buttons for label in row]
    assert any("Latest" in label for label in labels) and any(
        "Subscribe" in label for label in labels
    )


async def test_help_lists_admin_commands_only_for_admins(running: RunningBot) -> None:
    [user_help] = await running.ask(USER, "/help")
    [admin_help] = await running.ask(ADMIN, "/help")
    assert "/latest" in user_help.text and "/add" not in user_help.text
    assert "/add" in admin_help.text and "/digest_now" in admin_help.text
    [detail] = await running.ask(ADMIN, "/help add")
    assert ".txt" in detail.text and "caption /add" in detail.text


async def test_latest_shows_escaped_titles_summaries_quotes_and_ids(
    running: RunningBot, bot_db: Database
) -> None:
    article_id = await off_loop(
        add, bot_db, *STORY.split("\n", 1), url="https://example.org/tram?a=1&b=2"
    )
    [reply] = await running.ask(USER, "/latest")
    assert "Tram line approved after <late> vote & protest" in reply.text
    assert "voted 9-4" in reply.text
    assert "— Ana Ruiz" in reply.text or "— Tom Berg" in reply.text
    assert f"/article_{article_id}" in reply.text
    assert reply.preview_disabled
    assert 'href="https://example.org/tram?a=1&amp;b=2"' in (reply.html or "")


async def test_latest_counts_and_refuses_bad_numbers(
    running: RunningBot, bot_db: Database
) -> None:
    for i in range(4):
        await off_loop(
            add, bot_db, f"Story number {i}", f"Body of story {i} with its own words {i * 7}."
        )
    [reply] = await running.ask(USER, "/latest 2")
    assert "Story number 3" in reply.text and "Story number 2" in reply.text
    assert "Story number 1" not in reply.text
    for bad in ("/latest abc", "/latest 0", "/latest 999"):
        [error] = await running.ask(USER, bad)
        assert error.text == "Use /latest or /latest N with N from 1 to 20."


async def test_latest_with_no_articles(running: RunningBot) -> None:
    [reply] = await running.ask(USER, "/latest")
    assert reply.text == "No articles yet. Admins add them with /add."


async def test_long_latest_is_split_within_the_limit(
    running: RunningBot, bot_db: Database
) -> None:
    for i in range(20):
        body = " ".join(
            f"Story {i} sentence {j} tells how the council of town {i} debated budget line {j} "
            "for many long hours before a vote that nobody had expected to be quite this close, "
            "while residents, shop owners, cyclists and bus drivers waited outside the hall "
            "in the rain to hear whether the plan they had argued about for years would pass."
            for j in range(4)
        )
        await off_loop(add, bot_db, f"Long story {i}", body)
    before = len(running.tg.messages(USER))
    running.tg.send_command(USER, "/latest 20")
    await running.quiet(USER, 2.0)
    replies = running.tg.messages(USER)[before:]
    assert len(replies) >= 2
    assert all(len(r.text) <= 4096 for r in replies)
    shown = "".join(r.text for r in replies)
    assert all(f"Long story {i}" in shown for i in range(20))


async def test_article_by_id_and_tappable_form(running: RunningBot, bot_db: Database) -> None:
    article_id = await off_loop(add, bot_db, *STORY.split("\n", 1), url="https://example.org/tram")
    [full] = await running.ask(USER, f"/article {article_id}")
    assert "Key quotes" in full.text and "Read the full article" in full.text
    assert "“We will keep fighting it in court” — Tom Berg" in full.text
    [same] = await running.ask(USER, f"/article_{article_id}")
    assert same.text == full.text


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/article abc", "Use /article ID, e.g. /article 12 (ids are in /latest and /search)."),
        ("/article", "Use /article ID, e.g. /article 12 (ids are in /latest and /search)."),
        ("/article 999", "There is no article #999. /latest shows the newest."),
    ],
)
async def test_article_bad_input(running: RunningBot, command: str, answer: str) -> None:
    [reply] = await running.ask(USER, command)
    assert reply.text == answer


async def test_search_finds_and_says_when_nothing(running: RunningBot, bot_db: Database) -> None:
    article_id = await off_loop(add, bot_db, *STORY.split("\n", 1))
    [found] = await running.ask(USER, "/search tram council")
    assert f"/article_{article_id}" in found.text and "Tram line approved" in found.text
    [none] = await running.ask(USER, '/search "zebra" AND (')
    assert none.text == 'Nothing found for "zebra" AND (.'
    [usage] = await running.ask(USER, "/search")
    assert usage.text.startswith("Use /search WORDS")


async def test_subscribe_settings_buttons_and_unsubscribe(
    running: RunningBot, bot_db: Database
) -> None:
    [done] = await running.ask(USER, "/subscribe 07:30 Europe/Berlin")
    assert "Daily digest at 07:30 (Europe/Berlin)" in done.text
    assert done.text.endswith("/latest shows the newest articles until then.")
    sub = get_subscriber(bot_db, USER)
    assert sub is not None and (sub.digest_time, sub.timezone, sub.status) == (
        "07:30",
        "Europe/Berlin",
        "active",
    )

    [shown] = await running.ask(USER, "/settings")
    query = running.tg.press_button(USER, shown, "⏸ Pause")
    await running.until(lambda: "paused" in running.tg.messages(USER)[-1].text)
    assert any(a.callback_query_id == query for a in running.tg.callback_answers())
    assert running.tg.messages(USER)[-1].message_id == shown.message_id  # edited in place
    assert get_subscriber(bot_db, USER).status == "paused"  # type: ignore[union-attr]

    running.tg.press_button(USER, running.tg.messages(USER)[-1], "09:00")
    await running.until(lambda: "at 09:00" in running.tg.messages(USER)[-1].text)
    assert get_subscriber(bot_db, USER).digest_time == "09:00"  # type: ignore[union-attr]
    assert get_subscriber(bot_db, USER).timezone == "Europe/Berlin"  # type: ignore[union-attr]
    assert running.tg.unanswered_callbacks() == []

    [gone] = await running.ask(USER, "/unsubscribe")
    assert gone.text.startswith("Unsubscribed.")
    assert get_subscriber(bot_db, USER) is None


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/subscribe 25:99", "25:99 is not a time of day. Use HH:MM, e.g. /subscribe 07:30."),
        (
            "/subscribe 07:00 Mars/Olympus",
            "Mars/Olympus is not a time zone I know. Use an IANA name, "
            "e.g. /subscribe 07:30 Europe/Berlin.",
        ),
    ],
)
async def test_subscribe_bad_input_changes_nothing(
    running: RunningBot, bot_db: Database, command: str, answer: str
) -> None:
    [reply] = await running.ask(USER, command)
    assert reply.text == answer
    assert get_subscriber(bot_db, USER) is None


async def test_unknown_command_and_plain_text(running: RunningBot) -> None:
    [reply] = await running.ask(USER, "/frobnicate now")
    assert reply.text == "Unknown command /frobnicate. /help lists what I can do."
    [hint] = await running.ask(USER, "hello there")
    assert "/help" in hint.text


@pytest.mark.parametrize(
    "command",
    [
        "/add Some title\nSome body.",
        "/remove 1",
        "/stats",
        "/digest_now",
        "/feed add http://example.org/rss",
    ],
)
async def test_admin_commands_refused_to_others_and_change_nothing(
    running: RunningBot, bot_db: Database, command: str
) -> None:
    await off_loop(add, bot_db, "Existing story", "Existing body text.")
    [reply] = await running.ask(USER, command)
    name = command.split()[0]
    assert reply.text == f"Sorry, {name} is for admins only."
    assert article_count(bot_db) == 1


async def test_admin_adds_pasted_text_then_sees_it_already_there(
    running: RunningBot, bot_db: Database
) -> None:
    [added] = await running.ask(ADMIN, "/add " + STORY)
    assert added.text.startswith("Added #1: Tram line approved after <late> vote & protest")
    assert "•" in added.text
    [again] = await running.ask(ADMIN, "/add " + STORY)
    assert again.text.startswith("Already there: #1 ")
    assert article_count(bot_db) == 1


async def test_admin_adds_by_replying_to_a_message(running: RunningBot, bot_db: Database) -> None:
    original = running.tg.send_text(ADMIN, STORY)
    await running.tg.wait_for_messages_async(ADMIN, 1, timeout=10)  # plain text gets a hint
    before = len(running.tg.messages(ADMIN))
    running.tg.send_text(ADMIN, "/add", reply_to=original)
    [reply] = (await running.tg.wait_for_messages_async(ADMIN, before + 1, timeout=10))[before:]
    assert reply.text.startswith("Added #")
    assert article_count(bot_db) == 1


async def test_admin_uploads_a_text_file(running: RunningBot, bot_db: Database) -> None:
    before = len(running.tg.messages(ADMIN))
    running.tg.send_document(ADMIN, STORY.encode(), "tram.txt", caption="/add")
    [reply] = (await running.tg.wait_for_messages_async(ADMIN, before + 1, timeout=10))[before:]
    assert reply.text.startswith("Added #1: Tram line approved")
    record = get_article(bot_db, 1)
    assert record is not None and "410 million euros" in record.body


async def test_upload_too_big_or_bad_is_refused_and_stores_nothing(
    running: RunningBot, bot_db: Database
) -> None:
    before = len(running.tg.messages(ADMIN))
    running.tg.send_document(ADMIN, b"x", "big.txt", caption="/add", size=20 * 1024 * 1024)
    [big] = (await running.tg.wait_for_messages_async(ADMIN, before + 1, timeout=10))[before:]
    assert big.text == "That file is 20.0 MB; the limit is 5 MB."
    running.tg.send_document(ADMIN, b"\x00\x01\x02binary\xff" * 50, "blob.txt", caption="/add")
    [binary] = (await running.tg.wait_for_messages_async(ADMIN, before + 2, timeout=10))[
        before + 1 :
    ]
    assert binary.text.startswith("Could not add that: ")
    assert "\n" not in binary.text
    assert article_count(bot_db) == 0


async def test_add_with_nothing_explains_the_ways_in(running: RunningBot) -> None:
    [reply] = await running.ask(ADMIN, "/add")
    assert reply.text.startswith("Use /add URL")


async def test_add_bad_url_is_one_line(running: RunningBot, bot_db: Database) -> None:
    [reply] = await running.ask(ADMIN, "/add ftp://example.org/story")
    assert reply.text.startswith("Could not add that: ") and "\n" not in reply.text
    assert article_count(bot_db) == 0


async def test_remove_and_stats(running: RunningBot, bot_db: Database) -> None:
    article_id = await off_loop(add, bot_db, "To be removed", "Body that goes away.")
    [stats] = await running.ask(ADMIN, "/stats")
    assert (
        "Articles: 1" in stats.text and "Subscribers: 0 active, 0 paused, 0 blocked" in stats.text
    )
    [removed] = await running.ask(ADMIN, f"/remove {article_id}")
    assert removed.text == f"Removed article #{article_id}."
    [missing] = await running.ask(ADMIN, f"/remove {article_id}")
    assert missing.text == f"There is no article #{article_id}."
    [usage] = await running.ask(ADMIN, "/remove x")
    assert usage.text == "Use /remove ID, e.g. /remove 12."
    assert article_count(bot_db) == 0


async def test_commands_registered_per_scope(running: RunningBot, tg: FakeTelegram) -> None:
    public = [c["command"] for c in tg.commands({"type": "default"}) or []]
    admin = [c["command"] for c in tg.commands({"type": "chat", "chat_id": ADMIN}) or []]
    assert "latest" in public and "add" not in public
    assert {"add", "remove", "stats", "digest_now", "latest"} <= set(admin)


async def test_unexpected_error_tells_user_and_admins(
    running: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import commands

    async def broken(*_: object) -> list[object]:
        raise RuntimeError("database on fire")

    broken_latest = replace(commands.COMMANDS["latest"], handler=broken)
    monkeypatch.setitem(commands.COMMANDS, "latest", broken_latest)
    before_admin = len(running.tg.messages(ADMIN))
    [reply] = await running.ask(USER, "/latest")
    assert reply.text == "Sorry, something went wrong. The admins have been told."
    notices = await running.tg.wait_for_messages_async(ADMIN, before_admin + 1, timeout=10)
    assert "database on fire" in notices[-1].text


async def test_blocked_user_marks_the_subscription_blocked(
    running: RunningBot, bot_db: Database
) -> None:
    await running.ask(USER, "/subscribe 08:00")
    running.tg.block(USER)
    running.tg.send_command(USER, "/latest")
    await running.until(lambda: get_subscriber(bot_db, USER).status == "blocked")  # type: ignore[union-attr]


async def test_flood_wait_on_a_reply_is_retried(running: RunningBot) -> None:
    running.tg.storm(2, retry_after=1, chat_id=USER)
    [reply] = await running.ask(USER, "/latest")
    assert reply.text == "No articles yet. Admins add them with /add."
    assert running.tg.stats()["rejected_429"] == 2


ARTICLE_PAGE = """<!doctype html><html lang="en"><head><title>Ferry back | Example News</title>
<meta property="og:title" content="Harbour ferry returns after storm repairs">
<meta name="author" content="Lena Holm"></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour ferry returns after storm repairs</h1>
<p>The harbour ferry resumed service on Friday after three weeks of repairs to its hull,
the operator said, ending a long detour for commuters on the east side.</p>
<p>"We are glad to have it back, and so are the thousands who use it," said Captain Lena
Holm, who has run the crossing for twenty years.</p>
<p>Tickets cost the same as before, and the timetable is unchanged, the operator said in
a statement on Friday morning.</p></article>
<aside>Related: <a href="/x">Other story</a></aside></body></html>"""


async def test_admin_adds_a_url(running: RunningBot, bot_db: Database) -> None:
    from aiohttp import web

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=ARTICLE_PAGE, content_type="text/html")

    site_app = web.Application()
    site_app.router.add_get("/ferry", page)
    runner = web.AppRunner(site_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        [reply] = await running.ask(ADMIN, f"/add http://127.0.0.1:{port}/ferry")
    finally:
        await runner.cleanup()
    assert reply.text.startswith("Added #1: Harbour ferry returns after storm repairs")
    record = get_article(bot_db, 1)
    assert record is not None and record.url == f"http://127.0.0.1:{port}/ferry"
    assert "Home" not in record.body and "Other story" not in record.body
