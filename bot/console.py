"""The console chat: the bot's command table in a terminal, for trying it without a token.

It builds the same `Services` and calls the same `dispatch` as the Telegram
handlers; only reading input and showing replies differ.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot.commands import COMMANDS
from bot.config import Settings
from bot.delivery import Deliverer
from bot.feeds import FeedPoller, describe_poll
from bot.library import store_article
from bot.service import Reply, Request, Services, Upload, dispatch, parse_command
from ingest import IngestError
from ingest.fetch import make_client
from ingest.text import parse_text
from storage import Database, article_count, open_db

LOCAL_USER = 1  # the console's user and chat id; always an admin

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_BOLD = re.compile(r"</?(b|strong)>")
# Telegram's HTML tags only: the `<https://...>` a link leaves behind is text.
_TAG = re.compile(
    r"</?(?:a|b|strong|i|em|u|ins|s|strike|del|code|pre|blockquote|tg-spoiler|span)\b[^>]*>"
)


def to_terminal(text: str, color: bool) -> str:
    """Telegram HTML as terminal text: links as `text <url>`, bold kept on a color terminal."""
    text = _LINK.sub(lambda m: f"{m.group(2)} <{html.unescape(m.group(1))}>", text)
    if color:
        text = _BOLD.sub(lambda m: "\033[0m" if m.group(0).startswith("</") else "\033[1m", text)
    return html.unescape(_TAG.sub("", text))


class ConsoleSender:
    """Delivers digests to the terminal (only the local chat exists here)."""

    def __init__(self, out: TextIO, color: bool) -> None:
        self._out, self._color = out, color

    async def send(self, chat_id: int, html_text: str, *, preview: bool) -> None:
        """Print one message."""
        self._out.write(to_terminal(html_text, self._color) + "\n\n")


def show(replies: list[Reply], out: TextIO, color: bool) -> None:
    """Print replies, with their buttons as the commands they run."""
    for item in replies:
        out.write(to_terminal(item.html, color) + "\n")
        for row in item.buttons:
            out.write("  " + "   ".join(f"[{b.text}: {b.command}]" for b in row) + "\n")
        out.write("\n")


def seed_samples(db: Database) -> int:
    """Store the bundled sample articles when the database has no articles; returns how many."""
    if article_count(db):
        return 0
    added = 0
    for entry in sorted(
        resources.files("bot").joinpath("samples").iterdir(), key=lambda p: p.name
    ):
        if entry.name.endswith(".txt"):
            try:
                added += store_article(db, parse_text(entry.read_text(encoding="utf-8"))).created
            except IngestError:
                continue
    return added


def _upload_from_path(args: str) -> Upload | None:
    path = Path(args.strip()).expanduser()
    if not args.strip() or "\n" in args or not path.is_file():
        return None

    async def read() -> bytes:
        return path.read_bytes()

    return Upload(path.name, path.stat().st_size, read)


async def chat(settings: Settings, stdin: TextIO, out: TextIO) -> int:
    """Run the console chat until end of input or /quit; returns the exit code."""
    interactive = stdin.isatty()
    color = interactive and out.isatty()
    db = open_db(settings.db_path)
    seeded = seed_samples(db)
    local = replace(settings, admin_ids=settings.admin_ids | {LOCAL_USER})
    http = make_client()

    async def notice(html_text: str) -> None:
        out.write(to_terminal(html_text, color) + "\n\n")

    services = Services(
        db=db,
        settings=local,
        http=http,
        deliverer=Deliverer(db, ConsoleSender(out, color)),
        feeds=FeedPoller(db, http, notify_admins=notice),
    )
    pending: list[object] = []
    feeds_due: list[object] = []
    services.wake_scheduler = lambda: pending.append(True)
    services.wake_feeds = lambda: feeds_due.append(True)
    if interactive:
        out.write(
            "newsdigest console chat — you are the admin. Try /latest, /help; /quit leaves.\n"
        )
        if seeded:
            out.write(f"(Added {seeded} sample articles to {settings.db_path}.)\n")
        out.write("\n")
    try:
        while True:
            if interactive:
                out.write("you> ")
                out.flush()
            line = stdin.readline()
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit", "quit", "exit"):
                break
            parsed = parse_command(line)
            if parsed is None:
                out.write("I work with commands: /latest, /search WORDS, /help.\n\n")
                continue
            name, args = parsed
            upload = _upload_from_path(args) if name == "add" else None
            request = Request(LOCAL_USER, LOCAL_USER, name, "" if upload else args, upload=upload)
            show(await dispatch(services, COMMANDS, request), out, color)
            if pending:
                pending.clear()
                await services.deliverer.send_due()
            if feeds_due and services.feeds is not None:
                feeds_due.clear()
                for result in await services.feeds.poll_due():
                    out.write(describe_poll(result) + "\n\n")
            out.flush()
    finally:
        await services.http.aclose()
        db.close()
    return 0
