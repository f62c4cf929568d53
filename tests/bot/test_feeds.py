"""Following feeds over real HTTP: a local news site, the poller, a real database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from bot.feeds import MAX_FAILURES, FeedPoller, backoff_delay, oldest_first
from ingest.feeds import FeedItem
from ingest.fetch import make_client
from storage import Database, article_count, get_article
from storage.articles import articles_between
from storage.feeds import FeedRecord, get_feed, list_feeds, resume_feed
from tests.newssite import Item, NewsSite, Route, story_paragraphs

START = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A settable now(), so backoff and pausing can be tested without waiting."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(timeout=httpx.Timeout(1.0)) as client:
        yield client


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def told() -> list[str]:
    return []


@pytest.fixture
def poller(db: Database, http: httpx.AsyncClient, clock: Clock, told: list[str]) -> FeedPoller:
    async def notify(text: str) -> None:
        told.append(text)

    return FeedPoller(db, http, now=clock, notify_admins=notify)


async def follow(poller: FeedPoller, url: str) -> FeedRecord:
    feed, created, _ = await poller.follow(url, 15)
    assert created
    return feed


def fresh(db: Database, feed: FeedRecord) -> FeedRecord:
    found = get_feed(db, feed.id)
    assert found is not None
    return found


async def test_first_poll_stores_the_backlog_and_later_items_are_news(
    db: Database, site: NewsSite, poller: FeedPoller, clock: Clock
) -> None:
    site.publish("/rss", range(1, 4))
    feed = await follow(poller, site.url("/rss"))
    first = await poller.poll(feed)
    assert (first.stored, first.error) == (3, None)
    assert [get_article(db, i).title for i in (1, 2, 3)] == [  # type: ignore[union-attr]
        "Harbour story 1",
        "Harbour story 2",
        "Harbour story 3",
    ]  # oldest first, so ids follow time
    record = get_article(db, 1)
    assert record is not None and record.summary and record.quotes
    assert record.quotes[0].speaker == "Ana Ruiz"
    assert "Another story" not in record.body and "Home" not in record.body
    assert articles_between(db, 0, 10, 10) == []  # the backlog is never news

    clock.now += timedelta(minutes=15)
    site.publish("/rss", range(1, 5))
    second = await poller.poll(fresh(db, feed))
    assert (second.stored, second.known) == (1, 0)
    assert [r.title for r in articles_between(db, 0, 10, 10)] == ["Harbour story 4"]
    after = fresh(db, feed)
    assert after.item_count == 4 and after.last_success_at == clock.now
    assert after.next_poll_at == clock.now + timedelta(minutes=15)


async def polled(site: NewsSite, poller: FeedPoller, stories: int) -> FeedRecord:
    """A feed of `stories` stories at /rss, followed and polled once."""
    site.publish("/rss", range(1, stories + 1))
    feed = await follow(poller, site.url("/rss"))
    await poller.poll(feed)
    return feed


async def test_an_unchanged_feed_costs_one_small_request(
    db: Database, site: NewsSite, poller: FeedPoller
) -> None:
    feed = await polled(site, poller, 2)
    pages_before = len([h for h in site.hits if h.path != "/rss"])
    again = await poller.poll(fresh(db, feed))
    assert again.not_modified and again.stored == 0
    last = site.hits_of("/rss")[-1]
    assert last.status == 304 and last.headers.get("If-None-Match", "").startswith('"')
    assert len([h for h in site.hits if h.path != "/rss"]) == pages_before  # no page fetched
    assert article_count(db) == 2


async def test_last_modified_alone_is_sent_back(
    db: Database, site: NewsSite, poller: FeedPoller
) -> None:
    feed = await polled(site, poller, 1)
    db.execute("UPDATE feeds SET etag = NULL WHERE id = ?", [feed.id])
    again = await poller.poll(fresh(db, feed))
    assert again.not_modified
    assert site.hits_of("/rss")[-1].headers.get("If-Modified-Since")


async def test_the_same_story_under_two_feeds_or_a_new_guid_is_stored_once(
    db: Database, site: NewsSite, poller: FeedPoller, clock: Clock
) -> None:
    site.publish("/a.rss", range(1, 3))
    site.feed("/b.rss", [Item("Harbour story 2 (b)", "/harbour/2", guid="b-2")])
    a = await follow(poller, site.url("/a.rss"))
    b = await follow(poller, site.url("/b.rss"))
    await poller.poll(a)
    result_b = await poller.poll(b)
    assert (result_b.stored, result_b.known) == (0, 1)
    page_hits = len(site.hits_of("/harbour/2"))
    assert page_hits == 1  # known by its link: the page is not fetched again
    # Re-published with a new guid, and the same text at a new address: still once.
    site.page("/copy/2", "Harbour story 2", story_paragraphs(2))
    site.feed(
        "/a.rss",
        [
            Item("Harbour story 2", "/harbour/2", guid="new-guid-2"),
            Item("Harbour story 2 again", "/copy/2", guid="copy-2"),
        ],
    )
    clock.now += timedelta(minutes=15)
    again = await poller.poll(fresh(db, a))
    assert (again.stored, again.known) == (0, 2)
    assert article_count(db) == 2


async def test_a_page_that_cannot_be_had_falls_back_to_the_feed_text(
    db: Database, site: NewsSite, poller: FeedPoller
) -> None:
    text = " ".join(story_paragraphs(7))
    site.feed(
        "/rss",
        [
            Item("Gone story", "/gone/7", description=f"<p>{text}</p>"),
            Item("Empty story", "/gone/8", description=""),
        ],
    )
    feed = await follow(poller, site.url("/rss"))
    result = await poller.poll(feed)
    assert (result.stored, result.from_feed, result.skipped) == (1, 1, 1)
    record = get_article(db, 1)
    assert record is not None and record.title == "Gone story"
    assert "rebuild the old bridge" in record.body and record.url == site.url("/gone/7")
    assert fresh(db, feed).item_count == 2  # the empty one is remembered, not retried


async def test_broken_feeds_never_stop_the_others(
    db: Database, site: NewsSite, poller: FeedPoller, clock: Clock
) -> None:
    site.publish("/good.rss", range(1, 3))
    site.set(
        "/malformed.rss",
        Route(b"<?xml version='1.0'?><rss version='2.0'><channel><<<>>>&&&", "text/xml"),
    )
    site.set("/error.rss", Route(b"oops", status=500))
    site.set("/slow.rss", Route(b"<rss/>", "text/xml", delay=3.0))
    site.set("/huge.rss", Route(content_type="application/rss+xml", size=30 * 1024 * 1024))
    for path in ("/good.rss",):
        await follow(poller, site.url(path))
    # The broken ones fail already when followed; put them in as if they once worked.
    from storage.feeds import add_feed

    for path in ("/malformed.rss", "/error.rss", "/slow.rss", "/huge.rss"):
        add_feed(db, site.url(path), 15, clock.now)
    results = {r.feed_id: r for r in await poller.poll_due()}
    feeds = {f.url.rsplit("/", 1)[1]: f for f in list_feeds(db)}
    assert results[feeds["good.rss"].id].stored == 2
    assert article_count(db) == 2
    errors = {name: feed.last_error for name, feed in feeds.items() if name != "good.rss"}
    assert "the feed is not valid XML" in (errors["malformed.rss"] or "")
    assert "500" in (errors["error.rss"] or "")
    assert "in time" in (errors["slow.rss"] or "")
    assert "larger than 10 MB" in (errors["huge.rss"] or "")
    for name in errors:
        assert feeds[name].failures == 1 and feeds[name].status == "active"
        assert feeds[name].next_poll_at == clock.now + timedelta(minutes=30)  # backed off


async def test_ten_failures_in_a_row_pause_the_feed_and_tell_the_admins(
    db: Database, site: NewsSite, poller: FeedPoller, clock: Clock, told: list[str]
) -> None:
    site.publish("/rss", range(1, 2))
    feed = await follow(poller, site.url("/rss"))
    site.set("/rss", Route(b"down", status=503))
    waits = []
    for _ in range(MAX_FAILURES):
        current = fresh(db, feed)
        assert current.status == "active"
        clock.now = current.next_poll_at
        result = await poller.poll(current)
        waits.append(fresh(db, feed).next_poll_at - clock.now)
    paused = fresh(db, feed)
    assert result.paused and paused.status == "paused" and paused.failures == MAX_FAILURES
    assert waits[:4] == [timedelta(minutes=m) for m in (30, 60, 120, 240)]
    assert max(waits) == timedelta(hours=6)  # doubling, capped
    assert len(told) == 1 and f"Feed #{feed.id}" in told[0] and "503" in told[0]
    assert f"/feed resume {feed.id}" in told[0]
    clock.now += timedelta(days=1)
    assert await poller.poll_due() == []  # paused feeds are not polled
    site.publish("/rss", range(1, 2))
    assert resume_feed(db, feed.id, clock.now)
    [back] = await poller.poll_due()
    assert back.stored == 1 and fresh(db, feed).failures == 0


async def test_items_published_before_the_feed_was_added_are_not_news(
    db: Database, site: NewsSite, poller: FeedPoller, clock: Clock
) -> None:
    site.publish("/rss", range(1, 2))
    feed = await follow(poller, site.url("/rss"))
    await poller.poll(feed)
    site.page("/harbour/2", "Harbour story 2", story_paragraphs(2))
    site.page("/harbour/3", "Harbour story 3", story_paragraphs(3))
    site.feed(
        "/rss",
        [
            Item("Harbour story 3", "/harbour/3", published=START + timedelta(hours=1)),
            Item("Harbour story 2", "/harbour/2", published=START - timedelta(days=2)),
        ],
    )
    clock.now += timedelta(hours=2)
    result = await poller.poll(fresh(db, feed))
    assert result.stored == 2
    assert [r.title for r in articles_between(db, 0, 10, 10)] == ["Harbour story 3"]


async def test_following_a_page_finds_its_feed_and_refuses_what_is_not_one(
    db: Database, site: NewsSite, poller: FeedPoller
) -> None:
    site.publish("/rss", range(1, 2))
    site.set(
        "/home",
        Route(
            b"<html><head><link rel='alternate' type='application/rss+xml' href='/rss'>"
            b"</head><body>Home</body></html>"
        ),
    )
    feed, created, listed = await poller.follow(site.url("/home"), 15)
    assert created and feed.url == site.url("/rss") and listed == 1
    again, created_again, _ = await poller.follow(site.url("/rss"), 15)
    assert again.id == feed.id and not created_again
    from ingest import IngestError

    site.page("/article", "Just a page", story_paragraphs(1))
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        await poller.follow(site.url("/article"), 15)
    assert len(list_feeds(db)) == 1


def test_backoff_doubles_up_to_the_cap_but_never_below_the_interval() -> None:
    quarter = timedelta(minutes=15)
    assert backoff_delay(quarter, 0) == quarter
    assert [backoff_delay(quarter, n) for n in (1, 2, 3)] == [
        timedelta(minutes=30),
        timedelta(minutes=60),
        timedelta(minutes=120),
    ]
    assert backoff_delay(quarter, 50) == timedelta(hours=6)
    assert backoff_delay(timedelta(days=1), 3) == timedelta(days=1)


def test_items_are_stored_oldest_first() -> None:
    def item(guid: str, hour: int | None) -> FeedItem:
        when = START + timedelta(hours=hour) if hour is not None else None
        return FeedItem(guid, None, guid, when, None, ())

    dated = [item("b", 2), item("a", 1), item("c", 3)]
    assert [i.guid for i in oldest_first(dated)] == ["a", "b", "c"]
    undated = [item("new", None), item("old", 1)]
    assert [i.guid for i in oldest_first(undated)] == ["old", "new"]


async def test_pages_parsed_in_worker_processes_are_stored_the_same(
    db: Database, site: NewsSite, http: httpx.AsyncClient, clock: Clock
) -> None:
    site.publish("/rss", range(1, 3))
    poller = FeedPoller(db, http, now=clock, workers=1)
    try:
        result = await poller.poll(await follow(poller, site.url("/rss")))
    finally:
        await poller.aclose()
    assert (result.stored, result.error) == (2, None)
    record = get_article(db, 2)
    assert record is not None and record.title == "Harbour story 2" and record.summary
    assert record.quotes[0].speaker == "Ana Ruiz"


async def test_a_poll_stopped_halfway_loses_nothing_and_repeats_nothing(
    db: Database, site: NewsSite, poller: FeedPoller
) -> None:
    site.publish("/rss", range(1, 4))
    slow = site.routes["/harbour/3"]
    site.set("/harbour/3", Route(slow.body, delay=8.0))
    feed = await follow(poller, site.url("/rss"))
    [task] = poller.start([feed])
    deadline = asyncio.get_running_loop().time() + 10
    while article_count(db) < 2:  # stories 1 and 2 stored, 3 still downloading
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    await poller.aclose()  # as at shutdown
    assert task.cancelled()
    stopped = fresh(db, feed)
    assert not stopped.primed and stopped.etag is None and stopped.item_count == 2
    site.set("/harbour/3", slow)
    again = await poller.poll(stopped)
    assert (again.stored, again.known) == (1, 0)  # 1 and 2 were seen; only 3 is fetched
    assert article_count(db) == 3 and len(site.hits_of("/harbour/1")) == 1
