"""Feeds: the RSS/Atom sources polled for articles, their state, and the items seen in each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.subscribers import parse_utc_text, utc_text


@dataclass(frozen=True)
class FeedRecord:
    """One followed feed and how its polling goes."""

    id: int
    url: str
    title: str | None
    interval_minutes: int
    status: str
    primed: bool  # its first successful poll (the backlog) is done
    etag: str | None
    last_modified: str | None
    failures: int  # consecutive failed polls
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    next_poll_at: datetime
    added_at: datetime
    item_count: int

    @property
    def name(self) -> str:
        """What to call the feed: its title, else its address."""
        return self.title or self.url


_COLUMNS = (
    "id, url, title, interval_minutes, status, primed, etag, last_modified, failures, "
    "last_success_at, last_error, last_error_at, next_poll_at, added_at, "
    "(SELECT count(*) FROM feed_items WHERE feed_id = feeds.id)"
)


def _when(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None


def _feed(row: Sequence[Any]) -> FeedRecord:
    return FeedRecord(
        id=row[0],
        url=row[1],
        title=row[2],
        interval_minutes=row[3],
        status=row[4],
        primed=bool(row[5]),
        etag=row[6],
        last_modified=row[7],
        failures=row[8],
        last_success_at=_when(row[9]),
        last_error=row[10],
        last_error_at=_when(row[11]),
        next_poll_at=parse_utc_text(row[12]),
        added_at=parse_utc_text(row[13]),
        item_count=row[14],
    )


def _select(db: Database, where: str, params: Sequence[Any], tail: str = "") -> list[FeedRecord]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM feeds WHERE {where} {tail}", list(params))
    return [_feed(row) for row in rows]


def add_feed(
    db: Database, url: str, interval_minutes: int, now: datetime, title: str | None = None
) -> tuple[FeedRecord, bool]:
    """Follow the feed at `url`, due at once; returns it and whether it is new.

    A feed already followed keeps its state (a paused one stays paused).
    """
    existing = get_feed_by_url(db, url)
    if existing is not None:
        return existing, False
    cursor = db.execute(
        "INSERT INTO feeds (url, title, interval_minutes, next_poll_at, added_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [url, title, interval_minutes, utc_text(now), utc_text(now)],
    )
    assert cursor.lastrowid is not None
    feed = get_feed(db, cursor.lastrowid)
    assert feed is not None
    return feed, True


def get_feed(db: Database, feed_id: int) -> FeedRecord | None:
    """The feed with this id, or None."""
    found = _select(db, "id = ?", [feed_id])
    return found[0] if found else None


def get_feed_by_url(db: Database, url: str) -> FeedRecord | None:
    """The feed at this address, or None."""
    found = _select(db, "url = ?", [url])
    return found[0] if found else None


def list_feeds(db: Database) -> list[FeedRecord]:
    """Every feed, oldest first."""
    return _select(db, "1", [], "ORDER BY id")


def due_feeds(db: Database, now: datetime) -> list[FeedRecord]:
    """Active feeds whose next poll has come, the longest-waiting first."""
    return _select(
        db, "status = 'active' AND next_poll_at <= ?", [utc_text(now)], "ORDER BY next_poll_at, id"
    )


def remove_feed(db: Database, feed_id: int) -> bool:
    """Stop following a feed (its articles stay); True when it existed."""
    cursor = db.execute("DELETE FROM feeds WHERE id = ?", [feed_id])
    return cursor.rowcount > 0


def resume_feed(db: Database, feed_id: int, now: datetime) -> bool:
    """Make a feed active and due at once, its failure count cleared; True when it exists."""
    cursor = db.execute(
        "UPDATE feeds SET status = 'active', failures = 0, next_poll_at = ? WHERE id = ?",
        [utc_text(now), feed_id],
    )
    return cursor.rowcount > 0


def record_success(
    db: Database,
    feed_id: int,
    now: datetime,
    *,
    url: str,
    title: str | None,
    etag: str | None,
    last_modified: str | None,
    next_poll_at: datetime,
) -> None:
    """A poll worked: clear the failures, keep the validators, schedule the next poll."""
    # A feed that moved (a permanent redirect) keeps its new address, unless another
    # feed already has that one.
    db.execute(
        "UPDATE feeds SET url = CASE WHEN EXISTS (SELECT 1 FROM feeds WHERE url = ?)"
        " THEN url ELSE ? END, title = coalesce(?, title), etag = ?, last_modified = ?,"
        " failures = 0, primed = 1, last_success_at = ?, next_poll_at = ? WHERE id = ?",
        [url, url, title, etag, last_modified, utc_text(now), utc_text(next_poll_at), feed_id],
    )


def record_failure(
    db: Database, feed_id: int, now: datetime, error: str, *, next_poll_at: datetime, pause: bool
) -> None:
    """A poll failed: count it, keep the message, back off (or pause the feed)."""
    db.execute(
        "UPDATE feeds SET failures = failures + 1, last_error = ?, last_error_at = ?,"
        " next_poll_at = ?, status = CASE WHEN ? THEN 'paused' ELSE status END WHERE id = ?",
        [error, utc_text(now), utc_text(next_poll_at), int(pause), feed_id],
    )


def seen_guids(db: Database, feed_id: int, guids: Sequence[str]) -> set[str]:
    """Which of `guids` this feed has listed before."""
    found: set[str] = set()
    for start in range(0, len(guids), 500):
        chunk = list(guids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT guid FROM feed_items WHERE feed_id = ? AND guid IN ({marks})",
            [feed_id, *chunk],
        )
        found.update(row[0] for row in rows)
    return found


def known_article(db: Database, guid: str, link: str | None) -> int | None:
    """The article another feed (or an admin) already stored for this guid or link."""
    row = db.execute(
        "SELECT article_id FROM feed_items WHERE article_id IS NOT NULL"
        " AND (guid = ? OR (? IS NOT NULL AND link = ?)) LIMIT 1",
        [guid, link, link],
    ).fetchone()
    if row is None and link is not None:
        row = db.execute("SELECT id FROM articles WHERE url = ?", [link]).fetchone()
    return int(row[0]) if row else None


def record_item(
    db: Database, feed_id: int, guid: str, link: str | None, article_id: int | None, now: datetime
) -> None:
    """Remember that the feed listed this item (and which article it became, if any).

    Nothing is written when the feed was removed meanwhile (a poll in progress).
    """
    db.execute(
        "INSERT OR IGNORE INTO feed_items (feed_id, guid, link, article_id, seen_at)"
        " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?)",
        [feed_id, guid, link, article_id, utc_text(now), feed_id],
    )
