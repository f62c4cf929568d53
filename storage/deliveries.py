"""The delivery ledger: each (chat, digest slot) is written before sending, marked after.

A digest may take several Telegram messages; `parts_sent` records each confirmed
one, so a restart resumes after the last confirmed part and repeats at most the
message that was in flight when the process died.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.subscribers import now_text, utc_text


@dataclass(frozen=True)
class Delivery:
    """One ledger row."""

    id: int
    chat_id: int
    slot: str
    since_id: int
    upto_id: int
    parts_sent: int
    status: str


_COLUMNS = "id, chat_id, slot, since_id, upto_id, parts_sent, status"


def begin_delivery(db: Database, chat_id: int, slot: str, since_id: int, upto_id: int) -> Delivery:
    """Record the intent to send this slot's digest, or return the row already there.

    The row fixes which articles the digest holds (since_id < id <= upto_id), so a
    resumed delivery renders the same messages as the interrupted one.
    """
    now = now_text()
    db.execute(
        "INSERT INTO deliveries (chat_id, slot, since_id, upto_id, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, slot) DO NOTHING",
        [chat_id, slot, since_id, upto_id, now],
    )
    found = _find(db, chat_id, slot)
    assert found is not None, "inserted or already there"
    return found


def _find(db: Database, chat_id: int, slot: str) -> Delivery | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM deliveries WHERE chat_id = ? AND slot = ?", [chat_id, slot]
    ).fetchone()
    return Delivery(*row) if row else None


def record_part(db: Database, delivery_id: int, parts_sent: int, parts_total: int) -> None:
    """Note that the first `parts_sent` messages of a delivery reached Telegram."""
    db.execute(
        "UPDATE deliveries SET parts_sent = ?, parts_total = ? WHERE id = ?",
        [parts_sent, parts_total, delivery_id],
    )


@contextmanager
def _atomic(db: Database) -> Iterator[None]:
    """`db.atomic()`, but inside a transaction a savepoint of a fixed name: sqlite-utils
    names each savepoint anew, and every new SQL text evicts one from the connection's
    statement cache, so a broadcast would compile each of its statements again."""
    if not db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("SAVEPOINT finish_delivery")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK TO SAVEPOINT finish_delivery")
            db.conn.execute("RELEASE SAVEPOINT finish_delivery")
        raise
    db.conn.execute("RELEASE SAVEPOINT finish_delivery")


def finish_delivery(
    db: Database, delivery: Delivery, status: str, next_due: datetime | None, error: str = ""
) -> None:
    """Close a delivery and, for a confirmed send, move the subscriber on, atomically.

    status "sent" or "empty" moves the subscriber's since-mark to the delivery's
    upto_id; "failed" leaves it, so nothing is lost. `next_due` (when given) is
    the subscriber's next scheduled instant.
    """
    now = now_text()
    since = delivery.upto_id if status in ("sent", "empty") else 0
    with _atomic(db):
        db.execute(
            "UPDATE deliveries SET status = ?, error = ?, finished_at = ? WHERE id = ?",
            [status, error or None, now, delivery.id],
        )
        db.execute(
            "UPDATE subscribers SET since_id = max(since_id, ?),"
            " next_due = coalesce(?, next_due) WHERE chat_id = ?",
            [since, utc_text(next_due) if next_due is not None else None, delivery.chat_id],
        )


def open_transaction(db: Database) -> None:
    """Start a transaction unless one is open, so the writes that follow wait for `commit`."""
    if not db.conn.in_transaction:
        db.conn.execute("BEGIN")


def commit(db: Database) -> None:
    """Commit the open transaction, if any (rolled back if the commit fails)."""
    if not db.conn.in_transaction:
        return
    try:
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise


def delivery_counts(db: Database, since: datetime) -> dict[str, int]:
    """Deliveries finished since `since`, by status (sent, empty, failed)."""
    counts = {"sent": 0, "empty": 0, "failed": 0}
    for status, n in db.execute(
        "SELECT status, count(*) FROM deliveries WHERE finished_at >= ? GROUP BY status",
        [utc_text(since)],
    ):
        if status in counts:
            counts[status] = n
    return counts


def slot_taken(db: Database, chat_id: int, slot: str) -> bool:
    """Whether the ledger already has a delivery for this chat and slot."""
    return _find(db, chat_id, slot) is not None
