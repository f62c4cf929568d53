"""Subscribers: who gets a digest, at what local time, and what they have already had."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database

STATUSES = ("active", "paused", "blocked")


def utc_text(moment: datetime) -> str:
    """The fixed-width UTC text form instants are stored in (sorts like time)."""
    # isoformat, not strftime: a broadcast formats several instants a message.
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat("T", "seconds") + "Z"


def now_text() -> str:
    """The current instant in the form of `utc_text`, for row time stamps."""
    return utc_text(datetime.now(timezone.utc))


def parse_utc_text(text: str) -> datetime:
    """Inverse of `utc_text`."""
    # fromisoformat is ~10x faster than strptime; Python 3.10 does not read the "Z".
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Subscriber:
    """One chat's subscription."""

    chat_id: int
    user_id: int | None
    digest_time: str  # local "HH:MM"
    timezone: str  # IANA name
    status: str
    since_id: int  # newest article id already delivered
    next_due: datetime  # UTC
    notify_empty: bool


_COLUMNS = "chat_id, user_id, digest_time, timezone, status, since_id, next_due, notify_empty"


def _subscriber(row: Any) -> Subscriber:
    return Subscriber(
        chat_id=row[0],
        user_id=row[1],
        digest_time=row[2],
        timezone=row[3],
        status=row[4],
        since_id=row[5],
        next_due=parse_utc_text(row[6]),
        notify_empty=bool(row[7]),
    )


def get_subscriber(db: Database, chat_id: int) -> Subscriber | None:
    """The subscription of this chat, or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM subscribers WHERE chat_id = ?", [chat_id]).fetchone()
    return _subscriber(row) if row else None


def save_subscription(
    db: Database,
    chat_id: int,
    user_id: int | None,
    digest_time: str,
    tz: str,
    next_due: datetime,
    since_id: int,
) -> Subscriber:
    """Create or update a subscription and make it active.

    An existing subscriber keeps their since-mark, so re-subscribing (or coming
    back after blocking the bot) never repeats or skips articles; `since_id` only
    applies to a new row.
    """
    now = now_text()
    db.execute(
        """
        INSERT INTO subscribers
            (chat_id, user_id, digest_time, timezone, status, since_id, next_due,
             created_at, updated_at)
        VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)
        ON CONFLICT (chat_id) DO UPDATE SET
            user_id = excluded.user_id, digest_time = excluded.digest_time,
            timezone = excluded.timezone, status = 'active', next_due = excluded.next_due,
            updated_at = excluded.updated_at
        """,
        [chat_id, user_id, digest_time, tz, since_id, utc_text(next_due), now, now],
    )
    result = get_subscriber(db, chat_id)
    assert result is not None
    return result


def delete_subscriber(db: Database, chat_id: int) -> bool:
    """Remove a subscription; True when there was one."""
    return db.execute("DELETE FROM subscribers WHERE chat_id = ?", [chat_id]).rowcount > 0


def set_status(db: Database, chat_id: int, status: str, next_due: datetime | None = None) -> bool:
    """Set active/paused/blocked (and, when given, the next due instant); True if found."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    now = now_text()
    if next_due is None:
        sql, params = "status = ?, updated_at = ?", [status, now]
    else:
        sql, params = "status = ?, next_due = ?, updated_at = ?", [status, utc_text(next_due), now]
    cursor = db.execute(f"UPDATE subscribers SET {sql} WHERE chat_id = ?", [*params, chat_id])
    return cursor.rowcount > 0


def set_notify_empty(db: Database, chat_id: int, notify: bool) -> bool:
    """Choose whether an empty digest sends a one-line note; True if found."""
    cursor = db.execute(
        "UPDATE subscribers SET notify_empty = ? WHERE chat_id = ?", [int(notify), chat_id]
    )
    return cursor.rowcount > 0


def set_next_due(db: Database, chat_id: int, next_due: datetime) -> None:
    """Move one subscriber's next due instant."""
    db.execute(
        "UPDATE subscribers SET next_due = ? WHERE chat_id = ?", [utc_text(next_due), chat_id]
    )


def make_all_due(db: Database, moment: datetime) -> int:
    """Make every active subscriber due at `moment` at the latest; returns how many are due."""
    text = utc_text(moment)
    with db.atomic():
        db.execute(
            "UPDATE subscribers SET next_due = ? WHERE status = 'active' AND next_due > ?",
            [text, text],
        )
        row = db.execute("SELECT count(*) FROM subscribers WHERE status = 'active'").fetchone()
    return int(row[0])


def due_subscribers(db: Database, now: datetime, batch_size: int = 500) -> Iterator[Subscriber]:
    """Active subscribers due at `now`, read in batches of `batch_size` (streaming)."""
    last = None
    moment = utc_text(now)
    while True:
        params: list[Any] = [moment]
        extra = ""
        if last is not None:
            extra, params = " AND chat_id > ?", [moment, last]
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM subscribers WHERE status = 'active' AND next_due <= ?"
            f"{extra} ORDER BY chat_id LIMIT {int(batch_size)}",
            params,
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield _subscriber(row)
        last = rows[-1][0]


def move_chat(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """Follow a group that became a supergroup (Telegram's migrate_to_chat_id)."""
    with db.atomic():
        db.execute("DELETE FROM subscribers WHERE chat_id = ?", [new_chat_id])
        db.execute(
            "UPDATE subscribers SET chat_id = ? WHERE chat_id = ?", [new_chat_id, old_chat_id]
        )
        db.execute(
            "UPDATE deliveries SET chat_id = ? WHERE chat_id = ?", [new_chat_id, old_chat_id]
        )


def subscriber_counts(db: Database) -> dict[str, int]:
    """How many subscribers are active, paused and blocked."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in db.execute("SELECT status, count(*) FROM subscribers GROUP BY status"):
        counts[status] = n
    return counts
