"""Feeds in storage: schedule, validators, failures, items seen; backlog kept out of digests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from ingest import Article
from storage import Database, add_article, article_count, open_db, remove_article
from storage.articles import articles_between, count_between
from storage.feeds import (
    add_feed,
    due_feeds,
    get_feed,
    known_article,
    list_feeds,
    record_failure,
    record_item,
    record_success,
    remove_feed,
    resume_feed,
    seen_guids,
)
from storage.migrations import MIGRATIONS

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


def _story(n: int) -> Article:
    return Article(f"Story {n}", (f"Something number {n} happened, officials said.",))


def test_backlog_is_stored_and_searchable_but_never_in_a_digest(db: Database) -> None:
    news = add_article(db, _story(1))
    backlog = add_article(db, _story(2), in_digests=False)
    later = add_article(db, _story(3))
    assert article_count(db) == 3
    assert [r.id for r in articles_between(db, 0, later.id, 10)] == [later.id, news.id]
    assert count_between(db, 0, later.id) == 2
    assert backlog.id == 2


def test_a_new_feed_is_due_at_once_and_a_second_add_keeps_its_state(db: Database) -> None:
    feed, created = add_feed(db, "https://example.org/rss", 15, NOW, title="Example")
    assert created and feed.next_poll_at == NOW and feed.status == "active" and not feed.primed
    record_failure(db, feed.id, NOW, "boom", next_poll_at=NOW + timedelta(hours=1), pause=True)
    again, created_again = add_feed(db, "https://example.org/rss", 60, NOW)
    assert not created_again and again.status == "paused" and again.interval_minutes == 15
    assert due_feeds(db, NOW + timedelta(days=1)) == []  # paused: never due
    assert resume_feed(db, feed.id, NOW)
    [due] = due_feeds(db, NOW)
    assert due.failures == 0 and due.status == "active"


def test_due_feeds_come_longest_waiting_first(db: Database) -> None:
    late, _ = add_feed(db, "https://a.example/rss", 15, NOW)
    early, _ = add_feed(db, "https://b.example/rss", 15, NOW - timedelta(minutes=5))
    future, _ = add_feed(db, "https://c.example/rss", 15, NOW + timedelta(minutes=5))
    assert [f.id for f in due_feeds(db, NOW)] == [early.id, late.id]
    assert future.id not in [f.id for f in due_feeds(db, NOW)]


def test_success_keeps_validators_and_a_moved_feed_keeps_its_new_address(db: Database) -> None:
    first, _ = add_feed(db, "https://example.org/rss", 15, NOW)
    other, _ = add_feed(db, "https://example.org/other", 15, NOW)
    record_failure(db, first.id, NOW, "timeout", next_poll_at=NOW, pause=False)
    record_success(
        db,
        first.id,
        NOW,
        url="https://example.org/feed.xml",
        title="Example News",
        etag='"abc"',
        last_modified="Sat, 28 Nov 2026 09:00:00 GMT",
        next_poll_at=NOW + timedelta(minutes=15),
    )
    moved = get_feed(db, first.id)
    assert moved is not None and moved.url == "https://example.org/feed.xml"
    assert (moved.etag, moved.failures, moved.primed, moved.title) == (
        '"abc"',
        0,
        True,
        "Example News",
    )
    assert moved.last_error == "timeout" and moved.last_success_at == NOW
    # A redirect onto another followed feed's address keeps this one's own.
    record_success(
        db,
        other.id,
        NOW,
        url=moved.url,
        title=None,
        etag=None,
        last_modified=None,
        next_poll_at=NOW,
    )
    kept = get_feed(db, other.id)
    assert kept is not None and kept.url == "https://example.org/other"


def test_items_seen_known_across_feeds_and_removal_keeps_articles(db: Database) -> None:
    a, _ = add_feed(db, "https://a.example/rss", 15, NOW)
    b, _ = add_feed(db, "https://b.example/rss", 15, NOW)
    stored = add_article(db, Article("Story", ("Text, officials said.",), url="https://a/1"))
    record_item(db, a.id, "guid-1", "https://a/1", stored.id, NOW)
    record_item(db, a.id, "guid-1", "https://a/1", stored.id, NOW)  # listed again: once
    assert seen_guids(db, a.id, ["guid-1", "guid-2"]) == {"guid-1"}
    assert seen_guids(db, b.id, ["guid-1"]) == set()
    assert known_article(db, "guid-1", None) == stored.id  # same guid under another feed
    assert known_article(db, "other", "https://a/1") == stored.id  # same link
    assert known_article(db, "other", None) is None
    assert get_feed(db, a.id).item_count == 1  # type: ignore[union-attr]
    assert remove_feed(db, a.id) and not remove_feed(db, a.id)
    assert article_count(db) == 1 and [f.id for f in list_feeds(db)] == [b.id]
    record_item(db, a.id, "late", None, None, NOW)  # a poll finishing after the removal
    assert seen_guids(db, a.id, ["late"]) == set()
    assert remove_article(db, stored.id)
    record_item(db, b.id, "guid-1", "https://a/1", None, NOW)
    assert known_article(db, "guid-1", "https://a/1") is None


def test_migration_4_keeps_existing_articles_as_news(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m004_create_feeds")  # a database from before feeds
    old.execute(
        "INSERT INTO articles (title, body, content_hash, added_at)"
        " VALUES ('Old', 'Text.', 'h', 'x')"
    )
    old.close()
    upgraded = open_db(path)
    assert count_between(upgraded, 0, 10) == 1 and list_feeds(upgraded) == []
    upgraded.close()
