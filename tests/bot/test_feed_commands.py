"""/feed over the Bot API, as an admin sees it, with a local news site serving the feeds."""

from __future__ import annotations

from storage import Database, article_count
from storage.feeds import add_feed, get_feed
from tests.bot.conftest import ADMIN, USER, RunningBot, off_loop
from tests.newssite import NewsSite, Route


async def test_admin_follows_a_feed_lists_it_and_removes_it(
    running: RunningBot, bot_db: Database, site: NewsSite
) -> None:
    site.publish("/rss", range(1, 3))
    url = site.url("/rss")
    [added] = await running.ask(ADMIN, f"/feed add {url}")
    assert added.text.startswith("Following feed #1 Example News, every 15 min.")
    assert "Storing the 2 items it lists now" in added.text
    await running.until(lambda: article_count(bot_db) == 2, timeout=30)  # workers start
    await running.until(lambda: get_feed(bot_db, 1).last_success_at is not None)  # type: ignore[union-attr]
    [listing] = await running.ask(ADMIN, "/feed list")
    assert "#1 Example News" in listing.text and "every 15 min · 2 items" in listing.text
    assert "last success: just now" in listing.text
    [again] = await running.ask(ADMIN, f"/feed add {url}")
    assert again.text == "Already following that feed as #1 Example News. /feed list shows it."
    [removed] = await running.ask(ADMIN, "/feed remove 1")
    assert removed.text == "Stopped following feed #1 Example News. Its articles stay."
    assert article_count(bot_db) == 2
    [gone] = await running.ask(ADMIN, "/feed remove 1")
    assert gone.text == "There is no feed #1. /feed list shows them."
    [empty] = await running.ask(ADMIN, "/feed")
    assert empty.text == "No feeds yet. /feed add URL follows one."


async def test_feed_titles_are_escaped_and_bad_input_gets_one_line(
    running: RunningBot, site: NewsSite
) -> None:
    site.publish("/rss", range(1, 2))
    site.feed("/odd.rss", [], title="Tom & Jerry <News>")
    [added] = await running.ask(ADMIN, f"/feed add {site.url('/odd.rss')} 60")
    assert added.text.startswith("Following feed #1 Tom & Jerry <News>, every 60 min.")
    [missing] = await running.ask(ADMIN, f"/feed add {site.url('/nothing')}")
    assert missing.text.startswith("Could not follow that: ") and "404" in missing.text
    assert "\n" not in missing.text
    [minutes] = await running.ask(ADMIN, f"/feed add {site.url('/rss')} often")
    assert minutes.text == "often is not a number of minutes (1 to 10080)."
    for bad in ("/feed frobnicate", "/feed remove x", "/feed add"):
        [usage] = await running.ask(ADMIN, bad)
        assert usage.text.startswith("Use /feed add URL [MINUTES], /feed list")
    [refused] = await running.ask(USER, "/feed list")
    assert refused.text == "Sorry, /feed is for admins only."


async def test_a_feed_paused_by_failures_is_reported_to_the_admins(
    running: RunningBot, bot_db: Database, site: NewsSite
) -> None:
    site.set("/rss", Route(b"down for maintenance", status=503))
    now = running.app.bot_data.services.now()
    feed, _ = await off_loop(add_feed, bot_db, site.url("/rss"), 15, now)
    await off_loop(bot_db.execute, "UPDATE feeds SET failures = 9 WHERE id = ?", [feed.id])
    before = len(running.tg.messages(ADMIN))
    running.app.bot_data.services.wake_feeds()
    [notice] = (await running.tg.wait_for_messages_async(ADMIN, before + 1, timeout=10))[before:]
    assert notice.text.startswith(f"⚠️ Feed #{feed.id} ")
    assert "paused after 10 failed polls in a row" in notice.text and "503" in notice.text
    [listing] = await running.ask(ADMIN, "/feed list")
    assert "10 failed in a row" in listing.text and "⏸ paused — /feed resume 1" in listing.text
    site.publish("/rss", range(1, 2))
    [resumed] = await running.ask(ADMIN, "/feed resume 1")
    assert resumed.text.startswith("Feed #1 ") and resumed.text.endswith("polling it now.")
    await running.until(lambda: article_count(bot_db) == 1, timeout=30)
