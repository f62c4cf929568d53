"""Rendering stored articles to Telegram HTML (pure).

Every piece of article text goes through `esc` (or `link`); nothing from an
article reaches Telegram unescaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime

from bot.library import BRIEF_SENTENCES
from storage import ArticleRecord
from storage.feeds import FeedRecord
from summarizer import Quote

BRIEF_QUOTE_CHARS = 280


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def link(url: str | None, text: str) -> str:
    """`text` linked to `url` when it is an http(s) URL, else just the escaped text."""
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}">{esc(text)}</a>'
    return esc(text)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def render_quote(quote: Quote, limit: int | None = None) -> str:
    """A quote as `“words” — Speaker`, italic words."""
    words = _clip(quote.text, limit) if limit else quote.text
    speaker = f" — {esc(quote.speaker)}" if quote.speaker else ""
    return f"<i>“{esc(words)}”</i>{speaker}"


def render_brief(record: ArticleRecord, sentences: int = BRIEF_SENTENCES) -> str:
    """One article for a list: linked title, a few summary sentences, the best quote, its id."""
    lines = [f"<b>{link(record.url, record.title)}</b>"]
    summary = " ".join(record.summary[:sentences])
    if summary:
        lines.append(esc(summary))
    if record.quotes:
        lines.append(render_quote(record.quotes[0], BRIEF_QUOTE_CHARS))
    lines.append(f"/article_{record.id}")
    return "\n".join(lines)


def render_list(title: str, records: Sequence[ArticleRecord], footer: str = "") -> str:
    """A heading, then one brief per article separated by blank lines."""
    blocks = [f"<b>{esc(title)}</b>", *(render_brief(r) for r in records)]
    if footer:
        blocks.append(footer)
    return "\n\n".join(blocks)


def render_article(record: ArticleRecord) -> str:
    """One article in full: title, what is known about it, summary, all key quotes, link."""
    blocks = [f"<b>{esc(record.title)}</b>"]
    meta = [m for m in (record.source, record.author, record.published) if m]
    meta.append(f"#{record.id}, added {record.added_at[:10]}")
    blocks.append(f"<i>{esc(' · '.join(meta))}</i>")
    if record.summary:
        blocks.append("\n".join(f"• {esc(s)}" for s in record.summary))
    if record.quotes:
        blocks.append("<b>Key quotes</b>\n" + "\n".join(render_quote(q) for q in record.quotes))
    if record.url:
        blocks.append(link(record.url, "Read the full article"))
    return "\n\n".join(blocks)


def render_search(query: str, records: Sequence[ArticleRecord]) -> str:
    """Search results: id, linked title and the first summary sentence of each."""
    if not records:
        return f"Nothing found for <i>{esc(query)}</i>."
    lines = [f"<b>Results for “{esc(query)}”</b>"]
    for r in records:
        first = f"\n{esc(_clip(r.summary[0], 200))}" if r.summary else ""
        lines.append(f"/article_{r.id} {link(r.url, r.title)}{first}")
    return "\n\n".join(lines)


def render_digest(records: Sequence[ArticleRecord], more: int, day: date) -> str:
    """A digest: a dated header, the articles (newest first), and how many more there are."""
    header = f"Your news digest · {day:%A} {day.day} {day:%B %Y}"
    footer = f"…and {more} more: /latest" if more > 0 else ""
    return render_list(header, records, footer)


def ago(moment: datetime, now: datetime) -> str:
    """'just now', '12 min ago', '5 h ago', '3 days ago'."""
    minutes = max(0, int((now - moment).total_seconds())) // 60
    if minutes < 2:
        return "just now"
    if minutes < 90:
        return f"{minutes} min ago"
    if minutes < 36 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} days ago"


def render_feeds(feeds: Sequence[FeedRecord], now: datetime) -> str:
    """The followed feeds: name, interval, items, last success, last error, paused or not."""
    if not feeds:
        return "No feeds yet. /feed add URL follows one."
    blocks = ["<b>Feeds</b>"]
    for feed in feeds:
        lines = [f"#{feed.id} {link(feed.url, feed.name)}"]
        items = f"{feed.item_count} item{'' if feed.item_count == 1 else 's'}"
        lines.append(f"every {feed.interval_minutes} min · {items}")
        success = ago(feed.last_success_at, now) if feed.last_success_at else "never"
        lines.append(f"last success: {success}")
        if feed.last_error and feed.last_error_at:
            streak = f", {feed.failures} failed in a row" if feed.failures else ""
            lines.append(
                f"last error ({ago(feed.last_error_at, now)}{streak}): {esc(feed.last_error)}"
            )
        if feed.status == "paused":
            lines.append(f"⏸ paused — /feed resume {feed.id}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
