"""The schema, as numbered migrations applied in order by `open_db`.

Never edit a migration that has shipped: add the next number instead.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("newsdigest")


@MIGRATIONS()
def m001_create_articles(db: Database) -> None:
    """Articles with a unique URL, a unique normalized-content hash, and FTS5 over title/body."""
    # AUTOINCREMENT: ids are never reused after a delete, so "articles newer than
    # id N" (a subscriber's since-mark) stays true when the newest one is removed.
    db.execute(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            url TEXT UNIQUE,
            source TEXT,
            author TEXT,
            published TEXT,
            language TEXT,
            content_hash TEXT NOT NULL UNIQUE,
            added_at TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '[]',
            quotes TEXT NOT NULL DEFAULT '[]',
            summary_version TEXT
        )
        """
    )
    articles = db.table("articles")
    articles.create_index(["added_at"])
    articles.enable_fts(["title", "body"], fts_version="FTS5", create_triggers=True)


@MIGRATIONS()
def m002_create_subscribers(db: Database) -> None:
    """Subscribers: one row a chat, with their local digest time and next due instant."""
    db.execute(
        """
        CREATE TABLE subscribers (
            chat_id INTEGER PRIMARY KEY,
            user_id INTEGER,
            digest_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'paused', 'blocked')),
            since_id INTEGER NOT NULL DEFAULT 0,
            next_due TEXT NOT NULL,
            notify_empty INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_subscribers_due ON subscribers (status, next_due)")


@MIGRATIONS()
def m003_create_deliveries(db: Database) -> None:
    """The delivery ledger: one row per (chat, digest slot), written before sending."""
    db.execute(
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            slot TEXT NOT NULL,
            since_id INTEGER NOT NULL,
            upto_id INTEGER NOT NULL,
            parts_total INTEGER NOT NULL DEFAULT 0,
            parts_sent INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed', 'empty')),
            error TEXT,
            created_at TEXT NOT NULL,
            finished_at TEXT,
            UNIQUE (chat_id, slot)
        )
        """
    )
    db.execute("CREATE INDEX idx_deliveries_status ON deliveries (status, finished_at)")


@MIGRATIONS()
def m004_create_feeds(db: Database) -> None:
    """RSS/Atom feeds, the items seen in each, and which articles digests may hold.

    `articles.in_digests` is 0 for a feed's backlog (what it listed when it was added):
    stored and searchable, but never counted as news for a digest.
    """
    db.execute("ALTER TABLE articles ADD COLUMN in_digests INTEGER NOT NULL DEFAULT 1")
    db.execute(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,
            title TEXT,
            interval_minutes INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
            primed INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_success_at TEXT,
            last_error TEXT,
            last_error_at TEXT,
            next_poll_at TEXT NOT NULL,
            added_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_feeds_due ON feeds (status, next_poll_at)")
    db.execute(
        """
        CREATE TABLE feed_items (
            feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            link TEXT,
            article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_id, guid)
        )
        """
    )
    db.execute("CREATE INDEX idx_feed_items_guid ON feed_items (guid)")
    db.execute("CREATE INDEX idx_feed_items_link ON feed_items (link)")
    db.execute("CREATE INDEX idx_feed_items_article ON feed_items (article_id)")
