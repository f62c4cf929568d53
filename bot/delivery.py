"""Digest delivery: find due subscribers, send each their digest once, record it in the ledger.

The database is the source of truth. A subscriber is due when `next_due` has
passed; the slot (that instant) names the digest in the ledger, so a restart
finds the same slot again and resumes after the last confirmed message instead
of starting over. The since-mark and the next due instant move together with
the confirmation, in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Protocol

from bot.render import esc, render_digest
from bot.schedule import next_due, parse_time, parse_zone
from bot.split import split_message
from storage import Database, max_article_id
from storage.articles import articles_between, count_between
from storage.deliveries import begin_delivery, finish_delivery, record_part
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
        sub = get_subscriber(self.db, chat_id)
        if sub is None or sub.status != "active" or sub.next_due > now:
            return "skip"
        zone = parse_zone(sub.timezone)
        at = parse_time(sub.digest_time)
        assert zone is not None and at is not None, "validated when subscribing"
        following = next_due(at, zone, now)
        delivery = begin_delivery(
            self.db, chat_id, utc_text(sub.next_due), sub.since_id, max_article_id(self.db)
        )
        if delivery.status != "pending":  # finished before; only the schedule is behind
            finish_delivery(self.db, delivery, delivery.status, following)
            return delivery.status
        parts = self._render(delivery.since_id, delivery.upto_id, sub.next_due.astimezone(zone).date(), sub.notify_empty)
        if not parts:
            finish_delivery(self.db, delivery, "empty", following)
            return "empty"
        for index in range(delivery.parts_sent, len(parts)):
            try:
                chat_id = await self._send(chat_id, parts[index])
                delivery = replace(delivery, chat_id=chat_id)
            except Blocked as exc:
                set_status(self.db, chat_id, "blocked")
                finish_delivery(self.db, delivery, "failed", None, str(exc))
                return "blocked"
            except TryLater as exc:
                if report is not None:
                    report.retry_after = max(report.retry_after, exc.seconds)
                return "retry"
            except Rejected as exc:
                log.error("Telegram refused a digest for chat %s: %s", chat_id, exc)
                finish_delivery(self.db, delivery, "failed", following, str(exc))
                return "failed"
            record_part(self.db, delivery.id, index + 1, len(parts))
        finish_delivery(self.db, delivery, "sent", following)
        return "sent"

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
            if len(self._renders) > 1000:
                self._renders.clear()
            records = articles_between(self.db, since_id, upto_id, self.digest_max)
            if records:
                more = count_between(self.db, since_id, upto_id) - len(records)
                self._renders[key] = split_message(render_digest(records, more, day))
            else:
                self._renders[key] = [esc(EMPTY_NOTE)] if notify_empty else []
        return self._renders[key]
