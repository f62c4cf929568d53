"""Digest delivery: find due subscribers, send each their digest once, record it in the ledger.

The database is the source of truth. A subscriber is due when `next_due` has
passed; the slot (that instant) names the digest in the ledger, so a restart
finds the same slot again and resumes after the last confirmed message instead
of starting over. The since-mark and the next due instant move together with
the confirmation, in one transaction.

Ledger writes go through a group commit: every delivery waits for its row to be
committed before it sends and for its mark to be committed before it goes on, but
the deliveries that reach that point in the same turn of the event loop share one
commit. The order of writes and sends of each delivery is as with a commit a
write; only the number of commits drops (each costs more than the writes in it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.render import esc, render_digest
from bot.schedule import next_due, parse_time, parse_zone
from bot.split import split_message
from storage import Database, max_article_id
from storage.articles import articles_between, count_between
from storage.deliveries import (
    begin_delivery,
    commit,
    finish_delivery,
    open_transaction,
    record_part,
)
from storage.subscribers import (
    Subscriber,
    due_subscribers,
    get_subscriber,
    move_chat,
    set_status,
    utc_text,
)

log = logging.getLogger(__name__)

EMPTY_NOTE = "Nothing new since your last digest. /latest shows the newest articles."
RETRY_PASSES = 20  # passes over the due set before leaving the rest to the next run
MAX_CACHED = 1000  # rendered digests and schedules kept during a run


class DeliveryError(Exception):
    """Sending failed in a way the deliverer handles."""


class Blocked(DeliveryError):
    """The user blocked the bot or the chat is gone: stop sending to it."""


class ChatMoved(DeliveryError):
    """The group became a supergroup with a new id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class TryLater(DeliveryError):
    """Flood limit or network trouble: nothing is lost, try again after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"try again in {seconds:g}s")
        self.seconds = seconds


class Rejected(DeliveryError):
    """Telegram refused this message for good (a bug on our side, e.g. bad HTML)."""


class Sender(Protocol):
    """Sends one HTML message to a chat, raising a `DeliveryError` subclass on failure."""

    async def send(self, chat_id: int, html: str, *, preview: bool) -> None: ...


def utc_now() -> datetime:
    """The current instant, in UTC."""
    return datetime.now(timezone.utc)


@dataclass
class Report:
    """What one run of `send_due` did, by outcome."""

    sent: int = 0
    empty: int = 0
    blocked: int = 0
    failed: int = 0
    retry: int = 0
    retry_after: float = 0.0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class GroupCommit:
    """Commits the writes of every delivery that waits in the same turn of the loop at once.

    `open()` starts (or joins) a transaction and schedules its commit for the next
    turn of the event loop, so no transaction outlives a turn even if its writer
    fails; `await durable()` returns once the writes made since `open()` are committed.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._waiting: list[asyncio.Future[None]] = []
        self._scheduled = False

    def open(self) -> None:
        """Start or join the shared transaction; the writes that follow join it."""
        open_transaction(self._db)
        if not self._scheduled:
            asyncio.get_running_loop().call_soon(self._flush)
            self._scheduled = True

    async def durable(self) -> None:
        """Wait until the shared transaction is committed (raises if the commit failed)."""
        if not self._scheduled:
            return
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        await future

    def _flush(self) -> None:
        self._scheduled = False
        waiting, self._waiting = self._waiting, []
        try:
            commit(self._db)
        except Exception as exc:
            if not waiting:
                log.exception("could not commit the delivery ledger")
            for future in waiting:
                if not future.done():
                    future.set_exception(exc)
            return
        for future in waiting:
            if not future.done():
                future.set_result(None)


@dataclass
class Deliverer:
    """Sends due digests through `sender`, recording every step in `db`."""

    db: Database
    sender: Sender
    digest_max: int = 10
    now: Callable[[], datetime] = utc_now
    concurrency: int = 64
    batch_size: int = 500
    _locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    _renders: dict[tuple[int, int, date, bool], list[str]] = field(default_factory=dict)
    _schedules: dict[tuple[str, str], tuple[datetime, datetime, ZoneInfo]] = field(
        default_factory=dict
    )
    _commits: GroupCommit | None = None

    @property
    def commits(self) -> GroupCommit:
        if self._commits is None:
            self._commits = GroupCommit(self.db)
        return self._commits

    async def send_due(self) -> Report:
        """Deliver every due digest; retry flood-limited ones until done or out of passes."""
        report = Report()
        for _ in range(RETRY_PASSES):
            report.retry, report.retry_after = 0, 0.0
            await self._pass(report)
            if not report.retry:
                break
            await asyncio.sleep(max(report.retry_after, 0.05))
        self._renders.clear()
        self._schedules.clear()
        return report

    async def _pass(self, report: Report) -> None:
        slots = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task[None]] = set()

        async def one(sub: Subscriber) -> None:
            try:
                report.add(await self.deliver(sub.chat_id, report))
            finally:
                slots.release()

        for sub in due_subscribers(self.db, self.now(), self.batch_size):
            await slots.acquire()
            task = asyncio.create_task(one(sub))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.gather(*tasks)

    def _lock(self, chat_id: int) -> asyncio.Lock:
        return self._locks.setdefault(chat_id, asyncio.Lock())

    async def deliver(self, chat_id: int, report: Report | None = None) -> str:
        """Send this chat's digest if it is due; returns the outcome.

        Outcomes: "sent", "empty" (nothing new), "blocked", "failed" (Telegram
        refused the message), "retry" (flood limit or network: left due, nothing
        lost), or "skip" (not due or not active).
        """
        lock = self._lock(chat_id)
        try:
            async with lock:
                return await self._deliver(chat_id, report)
        finally:
            if not lock.locked() and self._locks.get(chat_id) is lock:
                del self._locks[chat_id]

    async def _deliver(self, chat_id: int, report: Report | None) -> str:
        now = self.now()
        # In the shared transaction: SQLite reads in one are several times faster than alone.
        self.commits.open()
        sub = get_subscriber(self.db, chat_id)
        if sub is None or sub.status != "active" or sub.next_due > now:
            return "skip"
        following, zone = self._following(sub, now)
        delivery = begin_delivery(
            self.db, chat_id, utc_text(sub.next_due), sub.since_id, max_article_id(self.db)
        )
        if delivery.status != "pending":  # finished before; only the schedule is behind
            finish_delivery(self.db, delivery, delivery.status, following)
            await self.commits.durable()
            return delivery.status
        day = sub.next_due.astimezone(zone).date()
        parts = self._render(delivery.since_id, delivery.upto_id, day, sub.notify_empty)
        if not parts:
            finish_delivery(self.db, delivery, "empty", following)
            await self.commits.durable()
            return "empty"
        await self.commits.durable()  # recorded before anything is sent
        for index in range(delivery.parts_sent, len(parts)):
            try:
                chat_id = await self._send(chat_id, parts[index])
                delivery = replace(delivery, chat_id=chat_id)
            except Blocked as exc:
                self.commits.open()
                set_status(self.db, chat_id, "blocked")
                finish_delivery(self.db, delivery, "failed", None, str(exc))
                await self.commits.durable()
                return "blocked"
            except TryLater as exc:
                if report is not None:
                    report.retry_after = max(report.retry_after, exc.seconds)
                return "retry"
            except Rejected as exc:
                log.error("Telegram refused a digest for chat %s: %s", chat_id, exc)
                self.commits.open()
                finish_delivery(self.db, delivery, "failed", following, str(exc))
                await self.commits.durable()
                return "failed"
            self.commits.open()
            record_part(self.db, delivery.id, index + 1, len(parts))
            if index + 1 == len(parts):  # the last part: close the delivery in the same commit
                finish_delivery(self.db, delivery, "sent", following)
            await self.commits.durable()  # marked before the next part or the next chat
        return "sent"

    def _following(self, sub: Subscriber, now: datetime) -> tuple[datetime, ZoneInfo]:
        """The subscriber's next due instant after `now`, and their zone (cached: one a
        broadcast for each time and zone, valid while `now` has not reached it)."""
        key = (sub.digest_time, sub.timezone)
        cached = self._schedules.get(key)
        if cached is not None and cached[0] <= now < cached[1]:
            return cached[1], cached[2]
        zone = parse_zone(sub.timezone)
        at = parse_time(sub.digest_time)
        assert zone is not None and at is not None, "validated when subscribing"
        following = next_due(at, zone, now)
        if len(self._schedules) > MAX_CACHED:
            self._schedules.clear()
        self._schedules[key] = (now, following, zone)
        return following, zone

    async def _send(self, chat_id: int, html: str) -> int:
        """Send one message; returns the chat id it went to (new if the group moved)."""
        try:
            await self.sender.send(chat_id, html, preview=False)
        except ChatMoved as moved:
            move_chat(self.db, chat_id, moved.new_chat_id)
            await self.sender.send(moved.new_chat_id, html, preview=False)
            return moved.new_chat_id
        return chat_id

    def _render(self, since_id: int, upto_id: int, day: date, notify_empty: bool) -> list[str]:
        key = (since_id, upto_id, day, notify_empty)
        if key not in self._renders:
            if len(self._renders) > MAX_CACHED:
                self._renders.clear()
            records = articles_between(self.db, since_id, upto_id, self.digest_max)
            if records:
                more = count_between(self.db, since_id, upto_id) - len(records)
                self._renders[key] = split_message(render_digest(records, more, day))
            else:
                self._renders[key] = [esc(EMPTY_NOTE)] if notify_empty else []
        return self._renders[key]
