"""What commands do, independent of where they come from (Telegram or the console chat).

A command is a function `(Services, Request) -> list[Reply]`. The Telegram
handlers and the console chat both build a `Request`, call `dispatch`, and
show the replies; there is no second implementation.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import httpx

from bot.config import Settings
from bot.delivery import Deliverer, utc_now
from bot.feeds import FeedPoller
from bot.render import esc
from storage import Database


@dataclass(frozen=True)
class Button:
    """An inline button; pressing it runs `command` as if the user had typed it."""

    text: str
    command: str


@dataclass(frozen=True)
class Reply:
    """One message to show: Telegram HTML, optional rows of buttons, link preview on/off."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    preview: bool = False


@dataclass(frozen=True)
class Upload:
    """A file the user sent with the command."""

    name: str
    size: int
    read: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True)
class Request:
    """One command from one user."""

    chat_id: int
    user_id: int
    command: str
    args: str = ""
    replied_text: str | None = None  # text of the message this one replies to
    upload: Upload | None = None


@dataclass
class Services:
    """The long-lived things commands need, wired once at start-up."""

    db: Database
    settings: Settings
    http: httpx.AsyncClient
    deliverer: Deliverer
    feeds: FeedPoller | None = None
    now: Callable[[], datetime] = utc_now
    wake_scheduler: Callable[[], None] = lambda: None
    wake_feeds: Callable[[], None] = lambda: None  # poll the due feeds now

    def is_admin(self, user_id: int) -> bool:
        """Whether `user_id` may use the admin commands."""
        return user_id in self.settings.admin_ids


Handler = Callable[[Services, Request], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    """A row of the command table."""

    name: str
    handler: Handler
    summary: str
    usage: str = ""
    admin: bool = False
    details: str = ""


def reply(html: str, *rows: Sequence[Button], preview: bool = False) -> list[Reply]:
    """A one-message answer."""
    return [Reply(html, tuple(tuple(r) for r in rows), preview)]


_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@\w+)?(?:\s+|$)(.*)$", re.DOTALL)


def parse_command(text: str) -> tuple[str, str] | None:
    """('/latest@MyBot 3') -> ('latest', '3'); None when `text` is not a command."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return match.group(1).lower(), match.group(2).strip()


def resolve(table: dict[str, Command], name: str, args: str) -> tuple[Command | None, str]:
    """Find the command; `/article_12` means `/article 12` (tappable links in lists)."""
    if name in table:
        return table[name], args
    base, _, suffix = name.rpartition("_")
    if base in table and suffix.isdigit():
        return table[base], f"{suffix} {args}".strip()
    return None, args


async def dispatch(services: Services, table: dict[str, Command], request: Request) -> list[Reply]:
    """Run one command: refuse admin commands to others, unknown ones with a hint."""
    command, args = resolve(table, request.command, request.args)
    if command is None:
        return reply(f"Unknown command /{esc(request.command)}. /help lists what I can do.")
    if command.admin and not services.is_admin(request.user_id):
        return reply(f"Sorry, /{command.name} is for admins only.")
    return await command.handler(services, replace(request, args=args))
