"""The Telegram Application: built once, thin handlers over the shared command table."""

from __future__ import annotations

import html
import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.aiohttp_request import AiohttpRequest
from bot.commands import COMMANDS
from bot.config import Settings, require_token
from bot.delivery import Blocked, ChatMoved, Deliverer, Rejected, TryLater
from bot.feeds import WORKERS, FeedPoller
from bot.ratelimit import ChatRateLimiter
from bot.service import Reply, Request, Services, Upload, dispatch, parse_command
from ingest.fetch import make_client
from storage import open_db
from storage.subscribers import get_subscriber, set_status

log = logging.getLogger(__name__)

RETRIES_ON_FLOOD = 3  # AIORateLimiter retries after retry_after this many times
# PTB's default pool: room for the Deliverer's sends (64 at once) next to the handlers'.
API_CONNECTIONS = 256
# getUpdates runs one request at a time; the second connection covers the final call at stop.
UPDATES_CONNECTIONS = 2
# PTB adds the long-poll time to this read timeout, so a poll may last timeout + this.
UPDATES_READ_TIMEOUT = 10.0


@dataclass
class BotData:
    """`bot_data`: the services, set in `post_init`."""

    services: Services | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with typed access to the services."""

    @property
    def services(self) -> Services:
        """The services wired in `post_init`."""
        assert self.bot_data.services is not None, "post_init has not run"
        return self.bot_data.services


class TelegramSender:
    """Sends digest messages through the bot, turning Telegram's errors into delivery outcomes."""

    def __init__(self, bot: ExtBot[None]) -> None:
        self._bot = bot

    async def send(self, chat_id: int, html_text: str, *, preview: bool) -> None:
        """Send one message or raise Blocked / ChatMoved / TryLater / Rejected."""
        try:
            # The raw endpoint: `send_message` builds a `Message` from the answer (~190
            # attributes, a third of the bot's time per digest), which nobody reads here.
            # Lower case because PTB warns about a Bot method's name in `do_api_request`;
            # Bot API method names are case-insensitive. Rate limiting is the same.
            await self._bot.do_api_request(
                "sendmessage",
                api_kwargs={
                    "chat_id": chat_id,
                    "text": html_text,
                    "parse_mode": ParseMode.HTML.value,
                    "link_preview_options": {"is_disabled": not preview},
                },
            )
        except Forbidden as exc:
            raise Blocked(exc.message) from exc
        except ChatMigrated as exc:
            raise ChatMoved(exc.new_chat_id) from exc
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise TryLater(seconds) from exc
        except BadRequest as exc:
            reason = exc.message.lower()
            if "chat not found" in reason or "user is deactivated" in reason:
                raise Blocked(exc.message) from exc
            raise Rejected(exc.message) from exc
        except NetworkError as exc:  # TimedOut included: the message may or may not have arrived
            raise TryLater(2.0) from exc


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.command) for b in row]
            for row in reply.buttons
        ]
    )


async def _send_replies(context: BotContext, chat_id: int, replies: list[Reply]) -> None:
    for item in replies:
        await context.bot.send_message(
            chat_id,
            item.html,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(item),
            link_preview_options=LinkPreviewOptions(is_disabled=not item.preview),
        )


async def on_command(update: Update, context: BotContext) -> None:
    """Run a command (or a file with caption /add) through the command table."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    text = message.text or message.caption or ""
    parsed = parse_command(text)
    if parsed is None:
        return
    mention = text.split(None, 1)[0].partition("@")[2]
    if mention and mention.lower() != (context.bot.username or "").lower():
        return  # addressed to another bot in a group
    name, args = parsed
    upload = None
    if message.document is not None:
        document = message.document

        async def read() -> bytes:
            file = await document.get_file()
            return bytes(await file.download_as_bytearray())

        upload = Upload(document.file_name or "upload", document.file_size or 0, read)
    replied = message.reply_to_message
    request = Request(
        chat_id=message.chat_id,
        user_id=message.from_user.id,
        command=name,
        args=args,
        replied_text=(replied.text or replied.caption) if replied else None,
        upload=upload,
    )
    await _send_replies(
        context, message.chat_id, await dispatch(context.services, COMMANDS, request)
    )


async def on_button(update: Update, context: BotContext) -> None:
    """Answer the button press, then run the command it carries; settings update in place."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    parsed = parse_command(query.data or "")
    message = query.message
    if parsed is None or message is None:
        return
    name, args = parsed
    request = Request(chat_id=message.chat.id, user_id=query.from_user.id, command=name, args=args)
    replies = await dispatch(context.services, COMMANDS, request)
    if replies and name in ("settings", "subscribe") and len(replies) == 1:
        try:
            await query.edit_message_text(
                replies[0].html, parse_mode=ParseMode.HTML, reply_markup=_markup(replies[0])
            )
            return
        except BadRequest as exc:  # "message is not modified" and the like: send anew
            log.debug("could not edit settings message: %s", exc)
    await _send_replies(context, message.chat.id, replies)


async def on_text(update: Update, context: BotContext) -> None:
    """Point people who write plain text in a private chat to the commands."""
    message = update.effective_message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await message.reply_text(
            "I work with commands: /latest, /search WORDS, /subscribe. /help lists them all."
        )


async def on_error(update: object, context: BotContext) -> None:
    """Log the traceback, tell the user something went wrong, and notify the admins."""
    error = context.error
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_chat:
        if get_subscriber(context.services.db, update.effective_chat.id):
            set_status(context.services.db, update.effective_chat.id, "blocked")
        return
    log.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id, "Sorry, something went wrong. The admins have been told."
            )
        except TelegramError:
            log.warning("could not tell the user about the error")
    summary = "".join(traceback.format_exception_only(type(error), error)).strip()
    await notify_admins(
        context.bot,
        context.services.settings.admin_ids,
        f"⚠️ <b>Error</b>\n<code>{html.escape(summary[:3000])}</code>",
    )


async def send_due_digests(context: BotContext) -> None:
    """Deliver every digest that is due (also catches up after downtime)."""
    report = await context.services.deliverer.send_due()
    if report.sent or report.blocked or report.failed or report.retry:
        log.info("digests: %s", report)


async def poll_due_feeds(context: BotContext) -> None:
    """Start polling the feeds that are due; each poll runs on its own."""
    feeds = context.services.feeds
    if feeds is not None:
        feeds.start_due()


async def notify_admins(bot: ExtBot[None], admin_ids: frozenset[int], html_text: str) -> None:
    """Send an HTML notice to every admin who can be reached."""
    for admin_id in admin_ids:
        try:
            await bot.send_message(admin_id, html_text, parse_mode=ParseMode.HTML)
        except TelegramError:
            log.warning("could not notify admin %s", admin_id)


def _command_lists() -> tuple[list[BotCommand], list[BotCommand]]:
    public = [BotCommand(c.name, c.summary) for c in COMMANDS.values() if not c.admin]
    admin = public + [BotCommand(c.name, c.summary) for c in COMMANDS.values() if c.admin]
    return public, admin


def build_application(settings: Settings) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the bot: handlers, rate limiter, start-up and shutdown hooks, digest job."""
    builder = (
        ApplicationBuilder()
        .token(require_token(settings))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        # aiohttp instead of PTB's HTTPX: httpcore capped a broadcast at ~170 messages/s.
        .request(AiohttpRequest(connection_pool_size=API_CONNECTIONS))
        .get_updates_request(
            AiohttpRequest(
                connection_pool_size=UPDATES_CONNECTIONS, read_timeout=UPDATES_READ_TIMEOUT
            )
        )
        .rate_limiter(
            ChatRateLimiter(
                overall_max_rate=settings.max_rate,
                overall_time_period=1,
                max_retries=RETRIES_ON_FLOOD,
            )
        )
        .concurrent_updates(True)
        .post_init(_post_init(settings))
        .post_shutdown(_post_shutdown)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
    if settings.file_base_url:
        builder = builder.base_file_url(settings.file_base_url)
    application = builder.build()
    add_form = filters.Document.ALL & filters.CaptionRegex(r"^/add(@\w+)?(\s|$)")
    application.add_handler(MessageHandler(filters.COMMAND | add_form, on_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_error_handler(on_error)
    return application


def _post_init(settings: Settings) -> Any:
    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        db = open_db(settings.db_path)
        deliverer = Deliverer(db, TelegramSender(application.bot), digest_max=settings.digest_max)
        http = make_client()

        async def tell_admins(html_text: str) -> None:
            await notify_admins(application.bot, settings.admin_ids, html_text)

        feeds = FeedPoller(db, http, notify_admins=tell_admins, workers=WORKERS)
        services = Services(db=db, settings=settings, http=http, deliverer=deliverer, feeds=feeds)

        def wake() -> None:
            application.create_task(deliverer.send_due())

        def wake_feeds() -> None:
            feeds.start_due()

        services.wake_scheduler = wake
        services.wake_feeds = wake_feeds
        application.bot_data.services = services
        public, admin = _command_lists()
        await application.bot.set_my_commands(public, scope=BotCommandScopeDefault())
        for admin_id in settings.admin_ids:
            try:
                await application.bot.set_my_commands(admin, scope=BotCommandScopeChat(admin_id))
            except TelegramError as exc:  # the admin has not started the bot yet
                log.warning("could not set admin commands for %s: %s", admin_id, exc)
        assert application.job_queue is not None
        for delay, job in ((0.1, send_due_digests), (0.2, poll_due_feeds)):
            application.job_queue.run_repeating(
                job,
                interval=settings.poll_seconds,
                first=delay,
                name=job.__name__,
                job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
            )

    return post_init


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services = application.bot_data.services
    if services is not None:
        if services.feeds is not None:
            await services.feeds.aclose()
        await services.http.aclose()
        services.db.close()
