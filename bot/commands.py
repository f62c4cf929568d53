"""The command table: every command users and admins can send, in one place."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from bot.feeds import MAX_INTERVAL_MINUTES
from bot.library import store_article
from bot.render import esc, render_article, render_feeds, render_list, render_search
from bot.schedule import next_due, parse_time, parse_zone
from bot.service import Button, Command, Reply, Request, Services, reply
from bot.split import split_message
from ingest import Article, IngestError
from ingest.article import MAX_ARTICLE_BYTES
from ingest.fetch import fetch_article, is_url
from ingest.files import parse_file
from ingest.text import parse_text
from storage import (
    article_count,
    get_article,
    latest_articles,
    max_article_id,
    remove_article,
    search_articles,
)
from storage.deliveries import delivery_counts, slot_taken
from storage.feeds import get_feed, list_feeds, remove_feed, resume_feed
from storage.subscribers import (
    delete_subscriber,
    get_subscriber,
    make_all_due,
    save_subscription,
    set_next_due,
    set_notify_empty,
    set_status,
    subscriber_counts,
    utc_text,
)

DEFAULT_TIME = time(8, 0)
LATEST_DEFAULT, LATEST_MAX = 5, 20
SEARCH_RESULTS = 5
MAX_UPLOAD_BYTES = MAX_ARTICLE_BYTES
TIME_CHOICES = ("06:00", "07:00", "08:00", "09:00", "12:00", "18:00", "21:00")

MAIN_BUTTONS = (
    (Button("📰 Latest", "/latest"), Button("🔔 Subscribe", "/subscribe")),
    (Button("⚙️ Settings", "/settings"), Button("❓ Help", "/help")),
)


def _pages(html: str, preview: bool = False) -> list[Reply]:
    return [Reply(part, preview=preview) for part in split_message(html)]


def _article_id(text: str) -> int | None:
    text = text.strip().lstrip("#")
    return int(text) if text.isdigit() and len(text) < 19 else None


async def start(services: Services, request: Request) -> list[Reply]:
    """Say what the bot does; a subscriber who had blocked the bot is active again."""
    sub = get_subscriber(services.db, request.chat_id)
    if sub is not None and sub.status == "blocked":
        _reactivate(services, request.chat_id, sub.digest_time, sub.timezone)
    return reply(
        "<b>Welcome to newsdigest.</b>\n"
        "I summarize news articles and show who said what. "
        "/latest shows the newest, /search finds older ones, "
        "and /subscribe sends you a digest every day at your time.",
        *MAIN_BUTTONS,
    )


async def help_(services: Services, request: Request) -> list[Reply]:
    """List the commands (admins see theirs too); `/help add` explains one command."""
    admin = services.is_admin(request.user_id)
    table = COMMANDS
    name = request.args.lstrip("/").split()[0].lower() if request.args else ""
    if name:
        cmd = table.get(name)
        if cmd is None or (cmd.admin and not admin):
            return reply(f"No command /{esc(name)}. /help lists them all.")
        text = f"<b>{_signature(cmd)}</b>\n{esc(cmd.summary)}"
        return reply(text + (f"\n\n{esc(cmd.details)}" if cmd.details else ""))
    lines = ["<b>Commands</b>"]
    lines += [f"{_signature(c)} — {esc(c.summary)}" for c in table.values() if not c.admin]
    if admin:
        lines.append("\n<b>Admin commands</b>")
        lines += [f"{_signature(c)} — {esc(c.summary)}" for c in table.values() if c.admin]
    lines.append("\n/help COMMAND tells more about one.")
    return reply("\n".join(lines))


def _signature(command: Command) -> str:
    """'/latest [N]', or just '/stats' for a command that takes nothing."""
    return f"/{command.name} {esc(command.usage)}".rstrip()


async def latest(services: Services, request: Request) -> list[Reply]:
    """Show the N newest articles (default 5)."""
    count = LATEST_DEFAULT
    if request.args:
        if not request.args.isdigit() or not 1 <= int(request.args) <= LATEST_MAX:
            return reply(f"Use /latest or /latest N with N from 1 to {LATEST_MAX}.")
        count = int(request.args)
    records = latest_articles(services.db, count)
    if not records:
        return reply("No articles yet. Admins add them with /add.")
    return _pages(render_list("Latest news", records))


async def article(services: Services, request: Request) -> list[Reply]:
    """Show one article: full summary, all key quotes, link."""
    article_id = _article_id(request.args)
    if article_id is None:
        return reply("Use /article ID, e.g. /article 12 (ids are in /latest and /search).")
    record = get_article(services.db, article_id)
    if record is None:
        return reply(f"There is no article #{article_id}. /latest shows the newest.")
    return _pages(render_article(record), preview=True)


async def search(services: Services, request: Request) -> list[Reply]:
    """Full-text search over titles and bodies: the best five, with their ids."""
    if not request.args:
        return reply("Use /search WORDS, e.g. /search climate summit.")
    records = search_articles(services.db, request.args[:200], SEARCH_RESULTS)
    return _pages(render_search(request.args[:200], records))


def _describe(services: Services, chat_id: int) -> str:
    sub = get_subscriber(services.db, chat_id)
    if sub is None:
        return "You are not subscribed. /subscribe sends you a daily digest (08:00 by default)."
    zone = parse_zone(sub.timezone)
    when = sub.next_due.astimezone(zone).strftime("%a %d %b %H:%M") if zone else "?"
    state = {"active": f"next one {when}", "paused": "paused", "blocked": "stopped"}[sub.status]
    note = "on" if sub.notify_empty else "off"
    return (
        f"Daily digest at <b>{sub.digest_time}</b> ({esc(sub.timezone)}), {state}.\n"
        f"Note when there is nothing new: {note}."
    )


def _reactivate(services: Services, chat_id: int, digest_time: str, zone_name: str) -> None:
    at, zone = parse_time(digest_time), parse_zone(zone_name)
    assert at is not None and zone is not None
    set_status(services.db, chat_id, "active", next_due(at, zone, services.now()))


async def subscribe(services: Services, request: Request) -> list[Reply]:
    """Subscribe to a daily digest at HH:MM in an IANA time zone (or change them)."""
    current = get_subscriber(services.db, request.chat_id)
    at = parse_time(current.digest_time) if current else DEFAULT_TIME
    zone_name = current.timezone if current else services.settings.timezone
    for word in request.args.split():
        if (parsed := parse_time(word)) is not None:
            at = parsed
        elif (zone := parse_zone(word)) is not None:
            zone_name = zone.key
        elif any(ch.isdigit() for ch in word):
            return reply(f"{esc(word)} is not a time of day. Use HH:MM, e.g. /subscribe 07:30.")
        else:
            return reply(
                f"{esc(word)} is not a time zone I know. Use an IANA name, "
                "e.g. /subscribe 07:30 Europe/Berlin."
            )
    zone = parse_zone(zone_name)
    assert at is not None and zone is not None
    save_subscription(
        services.db,
        request.chat_id,
        request.user_id,
        at.strftime("%H:%M"),
        zone_name,
        next_due(at, zone, services.now()),
        since_id=max_article_id(services.db),
    )
    # A digest holds what is added after subscribing; point newcomers to what is there now.
    first = "" if current else "\n/latest shows the newest articles until then."
    verb = "Updated" if current else "Subscribed"
    return reply(
        f"{verb}. {_describe(services, request.chat_id)}{first}",
        *_settings_buttons(services, request.chat_id),
    )


async def unsubscribe(services: Services, request: Request) -> list[Reply]:
    """Stop the daily digest."""
    if not delete_subscriber(services.db, request.chat_id):
        return reply("You were not subscribed.")
    return reply("Unsubscribed. /subscribe brings the daily digest back.")


def _settings_buttons(services: Services, chat_id: int) -> list[tuple[Button, ...]]:
    sub = get_subscriber(services.db, chat_id)
    if sub is None:
        return [(Button("🔔 Subscribe at 08:00", "/subscribe 08:00"),)]
    times = [
        Button(("✅ " if t == sub.digest_time else "") + t, f"/subscribe {t}")
        for t in TIME_CHOICES
    ]
    toggle = (
        Button("▶️ Resume", "/settings resume")
        if sub.status != "active"
        else Button("⏸ Pause", "/settings pause")
    )
    empty = Button(
        "🔕 No empty note" if sub.notify_empty else "🔔 Note when empty",
        f"/settings empty {'off' if sub.notify_empty else 'on'}",
    )
    return [
        tuple(times[:4]),
        tuple(times[4:]),
        (toggle, empty),
        (Button("Unsubscribe", "/unsubscribe"),),
    ]


async def settings(services: Services, request: Request) -> list[Reply]:
    """Show the subscription, with buttons to change the time and pause or resume."""
    sub = get_subscriber(services.db, request.chat_id)
    words = request.args.lower().split()
    if words and sub is None:
        return reply("You are not subscribed yet. /subscribe first.")
    if words and sub is not None:
        if words == ["pause"]:
            set_status(services.db, request.chat_id, "paused")
        elif words == ["resume"]:
            _reactivate(services, request.chat_id, sub.digest_time, sub.timezone)
        elif len(words) == 2 and words[0] == "empty" and words[1] in ("on", "off"):
            set_notify_empty(services.db, request.chat_id, words[1] == "on")
        else:
            return reply(
                "Use /settings, /settings pause, /settings resume or /settings empty on|off."
            )
    return reply(
        _describe(services, request.chat_id), *_settings_buttons(services, request.chat_id)
    )


async def digest(services: Services, request: Request) -> list[Reply]:
    """Send your digest now; the scheduled one then holds only what is newer."""
    sub = get_subscriber(services.db, request.chat_id)
    if sub is None:
        return reply(
            "You are not subscribed. /latest shows the newest articles; /subscribe for daily."
        )
    if sub.status != "active":
        return reply("Your digest is paused. /settings resume turns it back on.")
    # Due now, in a slot of its own: slots are whole seconds, and a second /digest within
    # the same second must not find the first one's finished ledger row.
    due = services.now()
    while slot_taken(services.db, request.chat_id, utc_text(due)):
        due -= timedelta(seconds=1)
    set_next_due(services.db, request.chat_id, due)
    outcome = await services.deliverer.deliver(request.chat_id)
    if outcome == "empty":
        return reply("Nothing new since your last digest. /latest shows the newest articles.")
    if outcome == "retry":
        services.wake_scheduler()
        return reply("Telegram asked me to slow down; your digest follows in a moment.")
    return []


async def _article_from(services: Services, request: Request) -> Article | list[Reply]:
    if request.upload is not None:
        if request.upload.size > MAX_UPLOAD_BYTES:
            mb = request.upload.size / 1024 / 1024
            return reply(f"That file is {mb:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB.")
        return parse_file(await request.upload.read(), request.upload.name)
    source = request.args or request.replied_text or ""
    if not source.strip():
        return reply(
            "Use /add URL, or /add followed by the article (first line the title), "
            "or reply /add to a message holding one, or send a .txt/.html file with caption /add."
        )
    if is_url(source.strip()):
        return await fetch_article(services.http, source.strip())
    return parse_text(source)


async def add(services: Services, request: Request) -> list[Reply]:
    """Add an article from a URL, pasted text, a replied-to message or an uploaded file."""
    try:
        found = await _article_from(services, request)
    except IngestError as exc:
        return reply(f"Could not add that: {esc(str(exc))}")
    if isinstance(found, list):
        return found
    result = store_article(services.db, found)
    if not result.created:
        return reply(f"Already there: #{result.id} {esc(result.title)} (/article_{result.id})")
    record = get_article(services.db, result.id)
    assert record is not None
    preview = "\n".join(f"• {esc(s)}" for s in record.summary[:3])
    return reply(f"Added #{result.id}: <b>{esc(record.title)}</b>\n\n{preview}".strip())


async def remove(services: Services, request: Request) -> list[Reply]:
    """Delete an article by id."""
    article_id = _article_id(request.args)
    if article_id is None:
        return reply("Use /remove ID, e.g. /remove 12.")
    if not remove_article(services.db, article_id):
        return reply(f"There is no article #{article_id}.")
    return reply(f"Removed article #{article_id}.")


async def stats(services: Services, request: Request) -> list[Reply]:
    """Articles, subscribers by state, digests sent today and delivery failures."""
    subs = subscriber_counts(services.db)
    now = services.now().astimezone(timezone.utc)
    today = delivery_counts(
        services.db, datetime(now.year, now.month, now.day, tzinfo=timezone.utc)
    )
    week = delivery_counts(services.db, now - timedelta(days=7))
    return reply(
        "<b>Stats</b>\n"
        f"Articles: {article_count(services.db)}\n"
        f"Subscribers: {subs['active']} active, {subs['paused']} paused, "
        f"{subs['blocked']} blocked\n"
        f"Digests sent today (UTC): {today['sent']} ({today['empty']} with nothing new)\n"
        f"Delivery failures: {today['failed']} today, {week['failed']} in 7 days"
    )


async def digest_now(services: Services, request: Request) -> list[Reply]:
    """Send the digest to every active subscriber now."""
    count = make_all_due(services.db, services.now())
    services.wake_scheduler()
    return reply(f"Sending the digest to {count} subscriber{'s' if count != 1 else ''} now.")


FEED_USAGE = (
    "Use /feed add URL [MINUTES], /feed list, /feed remove ID or /feed resume ID "
    "(ids are in /feed list)."
)


async def feed(services: Services, request: Request) -> list[Reply]:
    """Follow RSS/Atom feeds: add, list, remove, resume."""
    poller = services.feeds
    if poller is None:
        return reply("Feeds are not available here.")
    words = request.args.split()
    action = words[0].lower() if words else "list"
    if action == "list" and len(words) <= 1:
        return _pages(render_feeds(list_feeds(services.db), services.now()))
    if action == "add" and len(words) in (2, 3):
        minutes = services.settings.feed_interval_minutes
        if len(words) == 3:
            if not words[2].isdigit() or not 1 <= int(words[2]) <= MAX_INTERVAL_MINUTES:
                return reply(
                    f"{esc(words[2])} is not a number of minutes (1 to {MAX_INTERVAL_MINUTES})."
                )
            minutes = int(words[2])
        try:
            record, created, listed = await poller.follow(words[1], minutes)
        except IngestError as exc:
            return reply(f"Could not follow that: {esc(str(exc))}")
        name = f"#{record.id} <b>{esc(record.name)}</b>"
        if not created:
            return reply(f"Already following that feed as {name}. /feed list shows it.")
        services.wake_feeds()
        return reply(
            f"Following feed {name}, every {record.interval_minutes} min.\n"
            f"Storing the {listed} item{'' if listed == 1 else 's'} it lists now: they show in "
            "/latest and /search, and digests get only what it publishes from now on."
        )
    feed_id = _article_id(words[1]) if len(words) == 2 else None
    if action in ("remove", "resume") and feed_id is not None:
        target = get_feed(services.db, feed_id)
        if target is None:
            return reply(f"There is no feed #{feed_id}. /feed list shows them.")
        name = f"#{feed_id} <b>{esc(target.name)}</b>"
        if action == "remove":
            remove_feed(services.db, feed_id)
            return reply(f"Stopped following feed {name}. Its articles stay.")
        resume_feed(services.db, feed_id, services.now())
        services.wake_feeds()
        return reply(f"Feed {name} is active again; polling it now.")
    return reply(FEED_USAGE)


def _table(*commands: Command) -> dict[str, Command]:
    return {c.name: c for c in commands}


COMMANDS: dict[str, Command] = _table(
    Command("start", start, "what this bot does"),
    Command("help", help_, "this list", "[COMMAND]"),
    Command("latest", latest, f"the newest articles (default {LATEST_DEFAULT})", "[N]"),
    Command("article", article, "one article: summary, key quotes, link", "ID"),
    Command("search", search, "find articles by words", "WORDS"),
    Command(
        "subscribe",
        subscribe,
        "daily digest at your time",
        "[HH:MM] [Area/City]",
        details="Defaults: 08:00 and the bot's time zone. Send it again to change the time "
        "or zone, e.g. /subscribe 07:30 Europe/Berlin.",
    ),
    Command("unsubscribe", unsubscribe, "stop the daily digest"),
    Command(
        "settings",
        settings,
        "your subscription; change time, pause, resume",
        "[pause|resume|empty on|off]",
    ),
    Command("digest", digest, "your digest now"),
    Command(
        "add",
        add,
        "add an article",
        "URL | TEXT",
        admin=True,
        details="/add URL fetches the page. /add followed by text takes the first line as "
        "the title. Reply /add to a message to add what it holds. For articles longer than one "
        f"Telegram message, send a .txt or .html file (up to {MAX_UPLOAD_BYTES // 2**20} MB) "
        "with the caption /add.",
    ),
    Command("remove", remove, "delete an article", "ID", admin=True),
    Command("stats", stats, "articles, subscribers, deliveries", admin=True),
    Command("digest_now", digest_now, "send the digest to every subscriber now", admin=True),
    Command(
        "feed",
        feed,
        "follow RSS/Atom feeds",
        "add URL [MINUTES] | list | remove ID | resume ID",
        admin=True,
        details="/feed add URL follows a feed (or the feed a page names), polled every "
        "NEWSDIGEST_FEED_INTERVAL minutes (15 by default) unless MINUTES says otherwise. "
        "Its current items are stored at once but never sent as news; digests get what it "
        "publishes later. A feed that fails 10 times in a row is paused and admins are "
        "told; /feed resume ID tries again. /feed list shows each feed's last success, "
        "last error and item count. /feed remove ID stops following it; its articles stay.",
    ),
)
