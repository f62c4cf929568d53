"""Following RSS/Atom feeds: poll each when it is due, store its new items as articles.

The database holds each feed's schedule (`next_poll_at`), validators (ETag,
Last-Modified) and failure count, so a restart, or a feed added from the command
line while the bot runs, simply finds the feeds that are due. An item becomes an
article from its page (through the same ingest pipeline as /add); when the page
can't be had, from the feed's own text. Items are recognised by guid within a
feed, and across feeds by guid, link and normalized content, so a story listed
twice is stored once. What a feed lists on its first successful poll is its
backlog: stored and searchable, never news for a digest.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

import httpx

from bot.delivery import utc_now
from bot.library import Summarized, store_summarized, summarize_article
from bot.render import esc
from ingest import Article, IngestError
from ingest.feeds import FeedItem, fetch_feed, item_article
from ingest.fetch import Download, download_url, parse_page
from storage import Database
from storage.feeds import (
    FeedRecord,
    add_feed,
    due_feeds,
    get_feed_by_url,
    known_article,
    record_failure,
    record_item,
    record_success,
    seen_guids,
)

log = logging.getLogger(__name__)

MAX_FAILURES = 10  # failed polls in a row before a feed is paused and admins are told
BACKOFF_CAP = timedelta(hours=6)
MAX_ITEMS_PER_POLL = 100  # the first ones the feed lists; a huge archive feed is cut here
MAX_INTERVAL_MINUTES = 7 * 24 * 60
FEEDS_AT_ONCE = 8
PAGES_AT_ONCE = 8  # item pages downloaded (and parsed) at once, over all feeds
WORKERS = os.cpu_count() or 1  # processes parsing and summarizing pages, in the bot
# A whole download, however slowly the server drips it (the client's timeouts are per read).
DOWNLOAD_DEADLINE = 60.0

Notify = Callable[[str], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True)
class Ready:
    """An item's article with its summary, ready to store."""

    article: Article
    summary: Summarized
    from_feed: bool  # made from the feed's own text (the page could not be had)


# What an item turns into: the id of the article it already is, the article ready to
# store, or None when neither its page nor the feed has text.
Loaded = int | Ready | None


async def _no_one(_: str) -> None:
    return None


@dataclass
class PollResult:
    """What one poll of one feed did."""

    feed_id: int
    feed_name: str
    stored: int = 0  # new articles
    known: int = 0  # items already stored (listed before elsewhere, same link or text)
    from_feed: int = 0  # of the new articles, made from the feed's own text (page failed)
    skipped: int = 0  # neither the page nor the feed had text
    not_modified: bool = False
    error: str | None = None
    paused: bool = False


def backoff_delay(interval: timedelta, failures: int, cap: timedelta = BACKOFF_CAP) -> timedelta:
    """The wait before the next poll after `failures` failures in a row: doubling, capped.

    The cap never makes a poll come sooner than the feed's own interval.
    """
    if failures <= 0:
        return interval
    return min(interval * (1 << min(failures, 30)), max(cap, interval))


def oldest_first(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Items in the order they were published, so article ids follow time.

    Feeds list the newest first; when every item has a date, the dates decide.
    """
    if items and all(item.published is not None for item in items):
        return sorted(items, key=lambda item: item.published)  # type: ignore[arg-type,return-value]
    return list(reversed(items))


def digest_page(content: bytes, content_type: str, url: str, item: FeedItem) -> Ready:
    """Parse a downloaded item page and summarize it: pure, the CPU-heavy part of an item.

    Runs in a worker process when the poller has them. The feed fills in what the
    page lacks (title, author, date).
    """
    assert item.link is not None
    page = parse_page(
        content, content_type, url, requested_url=item.link, date_search=item.published is None
    )
    article = replace(
        page,
        title=page.title or item.title,
        author=page.author or item.author,
        published=page.published or item.published_date,
    )
    return Ready(article, summarize_article(article.title, article.body), from_feed=False)


async def _within_deadline(download: Awaitable[T], what: str) -> T:
    try:
        return await asyncio.wait_for(download, DOWNLOAD_DEADLINE)
    except asyncio.TimeoutError:
        raise IngestError(f"{what}: the download took over {DOWNLOAD_DEADLINE:g} s") from None


class FeedPoller:
    """Polls due feeds and stores what they bring; one poll of a feed at a time."""

    def __init__(
        self,
        db: Database,
        http: httpx.AsyncClient,
        *,
        now: Callable[[], datetime] = utc_now,
        notify_admins: Notify = _no_one,
        feeds_at_once: int = FEEDS_AT_ONCE,
        pages_at_once: int = PAGES_AT_ONCE,
        workers: int = 0,
    ) -> None:
        """Set up; nothing starts until a poll.

        Args:
            workers: Processes that parse and summarize item pages while this one
                downloads and stores (started at the first page); 0 does it all here.
        """
        self.db, self.http, self.now, self.notify_admins = db, http, now, notify_admins
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._feeds = asyncio.Semaphore(feeds_at_once)
        self._pages = asyncio.Semaphore(pages_at_once)
        self._polling: set[int] = set()
        self._tasks: set[asyncio.Task[PollResult | None]] = set()

    async def follow(self, url: str, interval_minutes: int) -> tuple[FeedRecord, bool, int]:
        """Check that `url` is a feed (or a page naming one) and follow it.

        Returns:
            The feed, whether it is new, and how many of the items it lists now its
            first poll will take (at most `MAX_ITEMS_PER_POLL`). It is due at once;
            that poll stores them as the backlog.

        Raises:
            IngestError: When the address can't be fetched or holds no feed.
        """
        fetched = await fetch_feed(self.http, url)
        assert fetched.feed is not None  # no validators were sent, so no 304
        listed = min(len(fetched.feed.items), MAX_ITEMS_PER_POLL)
        existing = get_feed_by_url(self.db, fetched.url)
        if existing is not None:
            return existing, False, listed
        feed, created = add_feed(
            self.db, fetched.url, interval_minutes, self.now(), title=fetched.feed.title
        )
        return feed, created, listed

    def start_due(self) -> list[asyncio.Task[PollResult | None]]:
        """Start polling every due feed that is not being polled already."""
        return self.start(due_feeds(self.db, self.now()))

    def start(self, feeds: Sequence[FeedRecord]) -> list[asyncio.Task[PollResult | None]]:
        """Start polling `feeds` side by side (at most `feeds_at_once` at a time).

        A feed whose poll is in progress is left out, so no feed is polled twice at once.
        """
        started = []
        for feed in feeds:
            if feed.id in self._polling:
                continue
            self._polling.add(feed.id)
            task = asyncio.get_running_loop().create_task(self._guarded(feed))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started.append(task)
        return started

    async def poll_due(self) -> list[PollResult]:
        """Poll every due feed and wait for all of them (the command line's and console's way)."""
        results = await asyncio.gather(*self.start_due())
        return [r for r in results if r is not None]

    async def aclose(self) -> None:
        """Stop the polls in progress; what they stored so far stays, the rest comes next time."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def _guarded(self, feed: FeedRecord) -> PollResult | None:
        try:
            async with self._feeds:
                return await self.poll(feed)
        except Exception:  # a bug must not stop the other feeds, nor this one's schedule
            log.exception("polling feed %s failed", feed.id)
            await self._record_failure(feed, "internal error (see the log)")
            return None
        finally:
            self._polling.discard(feed.id)

    async def poll(
        self, feed: FeedRecord, progress: Callable[[int, int], None] | None = None
    ) -> PollResult:
        """Fetch one feed (conditionally) and store its new items.

        Args:
            feed: The feed as stored (its validators and whether it is primed count).
            progress: Called with (items done, items new) as items are stored.
        """
        result = PollResult(feed.id, feed.name)
        try:
            fetched = await _within_deadline(
                fetch_feed(
                    self.http,
                    feed.url,
                    etag=feed.etag if feed.primed else None,
                    last_modified=feed.last_modified if feed.primed else None,
                ),
                feed.url,
            )
        except IngestError as exc:
            result.error = str(exc)
            result.paused = await self._record_failure(feed, result.error)
            return result
        interval = timedelta(minutes=feed.interval_minutes)
        if fetched.feed is None:
            result.not_modified = True
        else:
            await self._store_items(feed, fetched.feed.items, fetched.feed.title, result, progress)
        record_success(
            self.db,
            feed.id,
            self.now(),
            url=fetched.url,
            title=fetched.feed.title if fetched.feed else None,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            next_poll_at=self.now() + interval,
        )
        return result

    async def _store_items(
        self,
        feed: FeedRecord,
        listed: Sequence[FeedItem],
        source: str | None,
        result: PollResult,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        unique: dict[str, FeedItem] = {}
        for item in listed[:MAX_ITEMS_PER_POLL]:
            unique.setdefault(item.guid, item)  # a guid listed twice counts once
        seen = seen_guids(self.db, feed.id, list(unique))
        items = oldest_first([item for guid, item in unique.items() if guid not in seen])
        # Pages download side by side; items are stored in order as they arrive.
        loads = [asyncio.ensure_future(self._load(item, source)) for item in items]
        try:
            for done, (item, load) in enumerate(zip(items, loads, strict=True), 1):
                self._store(feed, item, await load, result)
                if progress is not None:
                    progress(done, len(items))
        finally:
            for load in loads:
                load.cancel()

    async def _load(self, item: FeedItem, source: str | None) -> Loaded:
        """The article id already stored for the item, else its article, else None."""
        known = known_article(self.db, item.guid, item.link)
        if known is not None:
            return known
        if item.link is not None:
            try:
                # Held while the page is parsed too: at most this many bodies in memory.
                async with self._pages:
                    download = await _within_deadline(
                        download_url(self.http, item.link), item.link
                    )
                    return await self._digest(download, item)
            except IngestError as exc:
                log.info("feed item page failed, using the feed's text: %s", exc)
        try:
            article = item_article(item, source=source)
        except IngestError:
            return None
        return Ready(article, summarize_article(article.title, article.body), from_feed=True)

    async def _digest(self, download: Download, item: FeedItem) -> Ready:
        work = partial(digest_page, download.content, download.content_type, download.url, item)
        if self.workers <= 0:
            return work()
        if self._executor is None:
            # spawn, not fork: the bot's process has threads (the job queue's, httpx's).
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            log.warning("a feed worker process died; starting new ones")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            return work()

    def _store(self, feed: FeedRecord, item: FeedItem, loaded: Loaded, result: PollResult) -> None:
        now = self.now()
        if not isinstance(loaded, Ready):  # an article already stored, or no text at all
            result.known += loaded is not None
            result.skipped += loaded is None
            record_item(self.db, feed.id, item.guid, item.link, loaded, now)
            return
        news = feed.primed and (item.published is None or item.published >= feed.added_at)
        with self.db.atomic():
            stored = store_summarized(self.db, loaded.article, loaded.summary, in_digests=news)
            record_item(self.db, feed.id, item.guid, item.link, stored.id, now)
        if stored.created:
            result.stored += 1
            result.from_feed += loaded.from_feed
        else:
            result.known += 1

    async def _record_failure(self, feed: FeedRecord, error: str) -> bool:
        failures = feed.failures + 1
        pause = failures >= MAX_FAILURES
        wait = backoff_delay(timedelta(minutes=feed.interval_minutes), failures)
        now = self.now()
        record_failure(self.db, feed.id, now, error, next_poll_at=now + wait, pause=pause)
        if pause:
            await self.notify_admins(
                f"⚠️ Feed #{feed.id} <b>{esc(feed.name)}</b> is paused after {failures} "
                f"failed polls in a row. Last error: {esc(error)}\n"
                f"/feed resume {feed.id} tries it again."
            )
        return pause


def describe_poll(result: PollResult) -> str:
    """One line on a poll, for the command line and the console."""
    name = f"feed #{result.feed_id} {result.feed_name}"
    if result.error:
        state = " (paused)" if result.paused else ""
        return f"{name}: failed{state}: {result.error}"
    if result.not_modified:
        return f"{name}: not modified"
    parts = [f"{result.stored} new"]
    if result.from_feed:
        parts.append(f"{result.from_feed} of them from the feed's own text")
    if result.known:
        parts.append(f"{result.known} already stored")
    if result.skipped:
        parts.append(f"{result.skipped} without text")
    return f"{name}: " + ", ".join(parts)
