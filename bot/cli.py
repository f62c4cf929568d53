"""`newsdigest`: the command line — run the bot, chat in the console, manage articles."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import httpx

from bot.config import ConfigError, Settings, load_settings
from bot.library import resummarize, store_article, summarize_article
from ingest import Article, IngestError
from ingest.article import MAX_ARTICLE_BYTES
from ingest.fetch import fetch_article, is_url, make_client
from ingest.files import parse_file
from ingest.text import parse_text
from storage import Database, get_article, list_articles, open_db, remove_article, search_articles
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
        elif args.command == "resummarize":
            print(f"{resummarize(db)} summaries recomputed")
        return 0
    except ConfigError as exc:
        return _fail(str(exc), 2)
    except IngestError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
