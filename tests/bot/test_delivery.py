"""Digest delivery with an injected clock: time zones, DST, catch-up, ledger, failures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.delivery import Blocked, ChatMoved, Deliverer, Rejected, TryLater
from bot.schedule import next_due, parse_time
from ingest import Article
from storage import Database, add_article
from storage.subscribers import get_subscriber, save_subscription, set_notify_empty

UTC = timezone.utc


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing handles it."""


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class Recorder:
    """A sender that records what it sent and can fail on demand."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.fail: Callable[[int], Exception | None] = lambda chat: None

    async def send(self, chat_id: int, html: str, *, preview: bool) -> None:
        error = self.fail(chat_id)
        if error is not None:
            raise error
        self.sent.append((chat_id, html))

    def to(self, chat_id: int) -> list[str]:
        return [html for chat, html in self.sent if chat == chat_id]


def subscribe(
    db: Database, chat_id: int, at: str, zone: str, now: datetime, since: int = 0
) -> None:
    t = parse_time(at)
    assert t is not None
    save_subscription(db, chat_id, chat_id, at, zone, next_due(t, ZoneInfo(zone), now), since)


def story(db: Database, n: int) -> int:
    return add_article(
        db,
        Article(f"Story {n}", (f"Body of story {n}, about topic number {n}.",)),
        summary=[f"Summary {n}."],
    ).id


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 7, 12, 0, tzinfo=UTC))


@pytest.fixture
def sender() -> Recorder:
    return Recorder()


@pytest.fixture
def deliverer(db: Database, sender: Recorder, clock: Clock) -> Deliverer:
    return Deliverer(db, sender, digest_max=3, now=clock)


async def test_sent_at_local_time_in_each_zone(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    clock.now = datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    subscribe(db, 1, "08:00", "America/New_York", clock.now)  # 8 March, the day EDT starts
    subscribe(db, 2, "08:00", "Asia/Tokyo", clock.now)  # 23:00 UTC on 7 March
    story(db, 1)
    clock.now = datetime(2026, 3, 7, 22, 59, tzinfo=UTC)
    await deliverer.send_due()
    assert sender.sent == []
    clock.now = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)
    await deliverer.send_due()
    assert len(sender.to(2)) == 1 and sender.to(1) == []
    story(db, 2)
    clock.now = datetime(2026, 3, 8, 11, 59, tzinfo=UTC)  # 07:59 EDT (12:59 if still EST)
    await deliverer.send_due()
    assert sender.to(1) == []
    clock.now = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # 08:00 EDT
    await deliverer.send_due()
    assert len(sender.to(1)) == 1
    assert "Story 2" in sender.to(1)[0] and "Story 1" in sender.to(1)[0]
    assert len(sender.to(2)) == 1


async def test_catch_up_after_downtime_sends_once(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    subscribe(db, 1, "08:00", "UTC", clock.now)  # due 8 March 08:00
    story(db, 1)
    clock.now = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)  # three missed days
    await deliverer.send_due()
    await deliverer.send_due()
    assert len(sender.to(1)) == 1
    sub = get_subscriber(db, 1)
    assert sub is not None and sub.next_due == datetime(2026, 3, 12, 8, 0, tzinfo=UTC)


async def test_digest_holds_only_what_is_new_newest_first_with_more_line(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    story(db, 0)
    subscribe(db, 1, "13:00", "UTC", clock.now, since=1)
    for n in range(1, 6):
        story(db, n)
    clock.now += timedelta(hours=1)
    await deliverer.send_due()
    [digest] = sender.to(1)
    assert "Your news digest · Saturday 7 March 2026" in digest
    positions = [digest.index(f"Story {n}<") for n in (5, 4, 3)]
    assert positions == sorted(positions)
    assert "Story 2<" not in digest and "Story 0<" not in digest
    assert "…and 2 more: /latest" in digest
    story(db, 6)
    clock.now += timedelta(days=1)
    await deliverer.send_due()
    second = sender.to(1)[1]
    assert "Story 6<" in second and "Story 5<" not in second


async def test_nothing_new_sends_nothing_or_a_note(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    subscribe(db, 1, "13:00", "UTC", clock.now)
    subscribe(db, 2, "13:00", "UTC", clock.now)
    set_notify_empty(db, 2, True)
    clock.now += timedelta(hours=2)
    report = await deliverer.send_due()
    assert sender.to(1) == []
    assert sender.to(2) == [
        "Nothing new since your last digest. /latest shows the newest articles."
    ]
    assert report.empty == 1 and report.sent == 1


async def test_blocked_user_is_marked_and_skipped(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    subscribe(db, 1, "13:00", "UTC", clock.now)
    story(db, 1)
    sender.fail = lambda chat: Blocked("Forbidden: bot was blocked by the user")
    clock.now += timedelta(hours=1)
    report = await deliverer.send_due()
    assert report.blocked == 1
    assert get_subscriber(db, 1).status == "blocked"  # type: ignore[union-attr]
    sender.fail = lambda chat: None
    clock.now += timedelta(days=2)
    await deliverer.send_due()
    assert sender.sent == []


async def test_flood_limit_retries_until_sent_without_loss(
    db: Database, sender: Recorder, clock: Clock
) -> None:
    failures = {1: 3}

    def fail(chat: int) -> Exception | None:
        if failures.get(chat, 0) > 0:
            failures[chat] -= 1
            return TryLater(0.01)
        return None

    sender.fail = fail
    deliverer = Deliverer(db, sender, now=clock)
    subscribe(db, 1, "13:00", "UTC", clock.now)
    story(db, 1)
    clock.now += timedelta(hours=1)
    report = await deliverer.send_due()
    assert len(sender.to(1)) == 1 and report.sent == 1


async def test_migrated_group_gets_its_digest_at_the_new_id(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    subscribe(db, -100, "13:00", "UTC", clock.now)
    story(db, 1)
    sender.fail = lambda chat: ChatMoved(-100200) if chat == -100 else None
    clock.now += timedelta(hours=1)
    await deliverer.send_due()
    assert len(sender.to(-100200)) == 1
    assert get_subscriber(db, -100) is None and get_subscriber(db, -100200) is not None


async def test_rejected_message_is_recorded_and_schedule_moves_on(
    db: Database, deliverer: Deliverer, sender: Recorder, clock: Clock
) -> None:
    subscribe(db, 1, "13:00", "UTC", clock.now)
    story(db, 1)
    sender.fail = lambda chat: Rejected("Bad Request: can't parse entities")
    clock.now += timedelta(hours=1)
    report = await deliverer.send_due()
    assert report.failed == 1
    sub = get_subscriber(db, 1)
    assert sub is not None and sub.since_id == 0 and sub.next_due > clock.now  # nothing lost
    row = db.execute("SELECT status, error FROM deliveries").fetchone()
    assert row[0] == "failed" and "parse entities" in row[1]


async def test_resume_after_crash_sends_only_unconfirmed_parts(
    db: Database, sender: Recorder, clock: Clock
) -> None:
    long_summary = ["A very long summary sentence that goes on and on. " * 30]
    subscribe(db, 1, "13:00", "UTC", clock.now)
    for n in range(10):
        add_article(db, Article(f"Story {n}", (f"Body {n}.",)), summary=long_summary * 2)
    clock.now += timedelta(hours=1)
    calls = {"n": 0}

    def crash_on_third(chat: int) -> Exception | None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash  # the process dies mid-broadcast
        return None

    sender.fail = crash_on_third
    with pytest.raises(Crash):
        await Deliverer(db, sender, now=clock).send_due()
    assert len(sender.to(1)) == 2
    sender.fail = lambda chat: None
    await Deliverer(db, sender, now=clock).send_due()
    parts = sender.to(1)
    assert len(parts) == len(set(parts)) >= 4  # every part once, none repeated
    assert get_subscriber(db, 1).since_id == 10  # type: ignore[union-attr]


async def test_two_digest_requests_in_the_same_second_both_deliver(
    db: Database, sender: Recorder, clock: Clock
) -> None:
    # Regression: ledger slots are whole seconds, and the second /digest found the first
    # one's finished row and answered "nothing new" although a story had arrived.
    from bot.commands import COMMANDS
    from bot.config import Settings
    from bot.service import Request, Services, dispatch
    from ingest.fetch import make_client

    async with make_client() as http:
        deliverer = Deliverer(db, sender, now=clock)
        services = Services(db=db, settings=Settings(), http=http, deliverer=deliverer, now=clock)
        subscribe(db, 1, "08:00", "UTC", clock.now)
        [empty] = await dispatch(services, COMMANDS, Request(1, 1, "digest"))
        assert empty.html.startswith("Nothing new")
        story(db, 1)
        assert await dispatch(services, COMMANDS, Request(1, 1, "digest")) == []
    [digest] = sender.to(1)
    assert "Story 1" in digest
