"""`newsdigest`: the command line — run the bot, chat in the console, manage articles."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

import httpx

from bot.config import ConfigError, Settings, load_settings
from bot.delivery import utc_now
from bot.feeds import MAX_INTERVAL_MINUTES, FeedPoller, describe_poll
from bot.library import resummarize, store_article, summarize_article
from ingest import Article, IngestError
from ingest.article import MAX_ARTICLE_BYTES
from ingest.fetch import fetch_article, is_url, make_client
from ingest.files import parse_file
from ingest.text import parse_text
from storage import Database, get_article, list_articles, open_db, remove_article, search_articles
from storage.feeds import list_feeds, remove_feed, resume_feed
from storage.subscribers import utc_text
from summarizer import Quote

log = logging.getLogger("newsdigest")


def _fail(message: str, code: int = 1) -> int:
    print(f"newsdigest: {message}", file=sys.stderr)
    return code


async def load_source(source: str, client: httpx.AsyncClient) -> Article:
    """An article from a path, a URL, or '-' (standard input)."""
    if source == "-":
        return parse_text(sys.stdin.read(MAX_ARTICLE_BYTES + 1))
    if is_url(source):
        return await fetch_article(client, source)
    path = Path(source)
    if not path.is_file():
        raise IngestError(f"{source}: no such file")
    with path.open("rb") as handle:  # read at most one byte past the cap: parse_file refuses it
        data = handle.read(MAX_ARTICLE_BYTES + 1)
    return parse_file(data, path.name)


async def _add(settings: Settings, sources: Sequence[str]) -> int:
    db = open_db(settings.db_path)
    added = existing = failed = 0
    progress = sys.stderr.isatty() and len(sources) > 1
    async with make_client() as client:
        for number, source in enumerate(sources, 1):
            if progress:
                print(f"\r[{number}/{len(sources)}] {source[:60]:<60}", end="", file=sys.stderr)
            try:
                result = store_article(db, await load_source(source, client))
            except IngestError as exc:
                failed += 1
                if progress:
                    print(file=sys.stderr)
                print(f"newsdigest: {source}: {exc}", file=sys.stderr)
                continue
            if progress:
                print("\r" + " " * 75 + "\r", end="", file=sys.stderr)
            if result.created:
                added += 1
                print(f"{result.id}\t{result.title}")
            else:
                existing += 1
                print(f"{result.id}\t{result.title}\t(already there)")
    db.close()
    print(f"{added} added, {existing} already there, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def _print_summary(summary: Sequence[str], quotes: Sequence[Quote], indent: str = "") -> None:
    for sentence in summary:
        print(f"{indent}• {sentence}")
    if quotes:
        print("\nKey quotes:")
        for quote in quotes:
            print(f"{indent}“{quote.text}” — {quote.speaker or 'unattributed'}")


def _show(db: Database, article_id: int) -> int:
    record = get_article(db, article_id)
    if record is None:
        return _fail(f"no article #{article_id}")
    meta = [
        ("URL", record.url),
        ("Source", record.source),
        ("Author", record.author),
        ("Published", record.published),
        ("Language", record.language),
        ("Added", record.added_at),
    ]
    print(f"#{record.id} {record.title}")
    for key, value in meta:
        if value:
            print(f"{key}: {value}")
    if record.summary:
        print("\nSummary:")
    _print_summary(record.summary, record.quotes, "  ")
    print(f"\n{record.body}")
    return 0


async def _summarize(source: str, sentences: int, as_json: bool) -> int:
    async with make_client() as client:
        article = await load_source(source, client)
    result = summarize_article(article.title, article.body, sentences)
    if as_json:
        payload = {
            "title": article.title,
            "summary": result.summary,
            "quotes": [asdict(q) for q in result.quotes],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(article.title + "\n")
    _print_summary(result.summary, result.quotes)
    return 0


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A `done/total` counter on one stderr line, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{label}: {done}/{total} items", end=end, file=sys.stderr, flush=True)

    return show


async def _feed_add(settings: Settings, url: str, minutes: int | None) -> int:
    db = open_db(settings.db_path)
    try:
        async with make_client() as client:
            poller = FeedPoller(db, client)
            feed, created, listed = await poller.follow(
                url, minutes or settings.feed_interval_minutes
            )
            if not created:
                print(f"already following it as feed #{feed.id}", file=sys.stderr)
                return 0
            print(f"following feed #{feed.id} {feed.name} ({listed} items listed)")
            # The backlog, stored now (never news for a digest); a running bot polls it next.
            result = await poller.poll(feed, progress=_progress(f"feed #{feed.id}"))
            print(describe_poll(result))
            return 1 if result.error else 0
    finally:
        db.close()


async def _feed_poll(settings: Settings, every: bool) -> int:
    db = open_db(settings.db_path)
    failed = 0
    try:
        async with make_client() as client:
            poller = FeedPoller(db, client)
            if every:
                tasks = poller.start([f for f in list_feeds(db) if f.status == "active"])
            else:
                tasks = poller.start_due()
            if not tasks:
                print("no feed is due (--all polls every active feed now)", file=sys.stderr)
            for done, task in enumerate(asyncio.as_completed(tasks), 1):
                result = await task
                if result is None:  # a bug, logged by the poller
                    failed += 1
                    continue
                failed += result.error is not None
                print(f"[{done}/{len(tasks)}] {describe_poll(result)}", flush=True)
    finally:
        db.close()
    return 1 if failed else 0


def _feed_list(db: Database) -> None:
    feeds = list_feeds(db)
    if not feeds:
        print("no feeds (newsdigest feed add URL follows one)", file=sys.stderr)
    for feed in feeds:
        success = utc_text(feed.last_success_at) if feed.last_success_at else "never"
        error = f"\tlast error: {feed.last_error}" if feed.last_error else ""
        print(
            f"{feed.id}\t{feed.status}\tevery {feed.interval_minutes} min\t"
            f"{feed.item_count} items\tlast success: {success}\t{feed.url}"
            f"\t{feed.title or ''}{error}"
        )


def _feed_change(db: Database, action: str, feed_id: int) -> int:
    if action == "remove":
        if not remove_feed(db, feed_id):
            return _fail(f"no feed #{feed_id}")
        print(f"stopped following feed #{feed_id}; its articles stay")
        return 0
    if not resume_feed(db, feed_id, utc_now()):
        return _fail(f"no feed #{feed_id}")
    print(f"feed #{feed_id} is active again and due now")
    return 0


def _run(settings: Settings) -> int:
    if not settings.token:
        from bot.console import chat

        if sys.stdin.isatty():
            print(
                "No TELEGRAM_BOT_TOKEN set: opening the console chat instead (see .env.example).\n"
            )
        return asyncio.run(chat(settings, sys.stdin, sys.stdout))
    from bot.app import build_application

    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    build_application(settings).run_polling(allowed_updates=["message", "callback_query"])
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one subcommand a task."""
    parser = argparse.ArgumentParser(
        prog="newsdigest",
        description="News articles in, summaries with key quotes out, digests over Telegram.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("run", help="start the bot (without a token: the console chat)")
    sub.add_parser("chat", help="chat with the bot in this terminal (commands also from stdin)")
    add = sub.add_parser("add", help="add articles from files, URLs or - (stdin)")
    add.add_argument("sources", nargs="+", metavar="SOURCE")
    lst = sub.add_parser("list", help="list stored articles, newest first")
    lst.add_argument("--limit", type=int, default=20, metavar="N")
    show = sub.add_parser("show", help="show one stored article with its summary and quotes")
    show.add_argument("id", type=int)
    search = sub.add_parser("search", help="full-text search")
    search.add_argument("words", nargs="+")
    remove = sub.add_parser("remove", help="delete a stored article")
    remove.add_argument("id", type=int)
    summ = sub.add_parser("summarize", help="summarize a file, URL or - without storing it")
    summ.add_argument("source")
    summ.add_argument("--sentences", type=int, default=3, metavar="N")
    summ.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser("resummarize", help="recompute summaries made by an older algorithm")
    feed = sub.add_parser("feed", help="follow RSS/Atom feeds: add, list, remove, resume, poll")
    feed_sub = feed.add_subparsers(dest="feed_command", metavar="ACTION", required=True)
    feed_add = feed_sub.add_parser(
        "add", help="follow a feed (or the feed a page names) and store its current items"
    )
    feed_add.add_argument("url")
    feed_add.add_argument(
        "--every", type=int, metavar="MINUTES", help="polling interval (default 15)"
    )
    feed_sub.add_parser("list", help="the feeds, with last success, last error and items")
    for action, text in (("remove", "stop following a feed"), ("resume", "resume a paused feed")):
        feed_sub.add_parser(action, help=text).add_argument("id", type=int)
    feed_poll = feed_sub.add_parser("poll", help="poll the due feeds now (what the bot does)")
    feed_poll.add_argument("--all", action="store_true", help="poll every active feed now")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdigest` command."""
    # Opt in to PTB 22's timedelta durations (RetryAfter.retry_after); without it PTB warns.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "run":
            return _run(settings)
        if args.command == "chat":
            from bot.console import chat

            return asyncio.run(chat(settings, sys.stdin, sys.stdout))
        if args.command == "add":
            return asyncio.run(_add(settings, args.sources))
        if args.command == "feed" and args.feed_command == "add":
            if args.every is not None and not 1 <= args.every <= MAX_INTERVAL_MINUTES:
                return _fail(f"--every must be 1 to {MAX_INTERVAL_MINUTES} minutes", 2)
            return asyncio.run(_feed_add(settings, args.url, args.every))
        if args.command == "feed" and args.feed_command == "poll":
            return asyncio.run(_feed_poll(settings, args.all))
        if args.command == "summarize":
            if args.sentences < 1:
                return _fail("--sentences must be at least 1", 2)
            return asyncio.run(_summarize(args.source, args.sentences, args.json))
        db = open_db(settings.db_path)
        if args.command == "list":
            for article_id, title, added in list_articles(db, max(args.limit, 1)):
                print(f"{article_id}\t{added[:10]}\t{title}")
        elif args.command == "show":
            return _show(db, args.id)
        elif args.command == "search":
            records = search_articles(db, " ".join(args.words), 5)
            for record in records:
                print(f"{record.id}\t{record.title}")
            if not records:
                print("nothing found", file=sys.stderr)
        elif args.command == "remove":
            if not remove_article(db, args.id):
                return _fail(f"no article #{args.id}")
            print(f"removed #{args.id}")
        elif args.command == "feed" and args.feed_command == "list":
            _feed_list(db)
        elif args.command == "feed":
            return _feed_change(db, args.feed_command, args.id)
        elif args.command == "resummarize":
            print(f"{resummarize(db)} summaries recomputed")
        return 0
    except ConfigError as exc:
        return _fail(str(exc), 2)
    except IngestError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
