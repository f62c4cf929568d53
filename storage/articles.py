"""Articles: add (deduplicated), read, search, remove, and their stored summaries."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database

from ingest import Article
from summarizer import Quote

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class ArticleRecord:
    """A stored article with its summary and key quotes."""

    id: int
    title: str
    body: str
    url: str | None
    source: str | None
    author: str | None
    published: str | None
    language: str | None
    added_at: str
    summary: tuple[str, ...]
    quotes: tuple[Quote, ...]
    summary_version: str | None


@dataclass(frozen=True)
class AddResult:
    """What `add_article` did: the article's id, and whether it is new."""

    id: int
    title: str
    created: bool


def content_hash(text: str) -> str:
    """Hash `text` after normalizing case, Unicode forms, punctuation and whitespace."""
    words = _WORDS.findall(unicodedata.normalize("NFKC", text).casefold())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _find_existing(db: Database, url: str | None, digest: str) -> dict[str, Any] | None:
    rows = db.execute(
        "SELECT id, title FROM articles WHERE content_hash = ? OR (? IS NOT NULL AND url = ?)"
        " ORDER BY id LIMIT 1",
        [digest, url, url],
    ).fetchall()
    return {"id": rows[0][0], "title": rows[0][1]} if rows else None


def add_article(
    db: Database,
    article: Article,
    *,
    summary: Sequence[str] = (),
    quotes: Sequence[Quote] = (),
    version: str | None = None,
    in_digests: bool = True,
) -> AddResult:
    """Store `article` unless it is already there (same URL or same normalized body).

    Args:
        in_digests: False for a feed's backlog: stored and searchable, but never
            news for a digest.

    Returns:
        The new id with `created=True`, or the existing article's id with `created=False`.
    """
    digest = content_hash(article.body)
    existing = _find_existing(db, article.url, digest)
    if existing:
        return AddResult(existing["id"], existing["title"], created=False)
    row = {
        "title": article.title,
        "body": article.body,
        "url": article.url,
        "source": article.source,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "content_hash": digest,
        "added_at": _now(),
        "summary": json.dumps(list(summary), ensure_ascii=False),
        "quotes": _quotes_json(quotes),
        "summary_version": version,
        "in_digests": int(in_digests),
    }
    try:
        with db.atomic():
            cursor = db.execute(
                f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
    except sqlite3.IntegrityError:
        # Another process stored the same article between our check and insert.
        existing = _find_existing(db, article.url, digest)
        if existing is None:
            raise
        return AddResult(existing["id"], existing["title"], created=False)
    assert cursor.lastrowid is not None
    return AddResult(cursor.lastrowid, article.title, created=True)


def _quotes_json(quotes: Sequence[Quote]) -> str:
    return json.dumps([asdict(q) for q in quotes], ensure_ascii=False)


def save_summary(
    db: Database, article_id: int, summary: Sequence[str], quotes: Sequence[Quote], version: str
) -> None:
    """Replace the stored summary and key quotes of one article."""
    db.execute(
        "UPDATE articles SET summary = ?, quotes = ?, summary_version = ? WHERE id = ?",
        [json.dumps(list(summary), ensure_ascii=False), _quotes_json(quotes), version, article_id],
    )


def _record(row: dict[str, Any]) -> ArticleRecord:
    return ArticleRecord(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        url=row["url"],
        source=row["source"],
        author=row["author"],
        published=row["published"],
        language=row["language"],
        added_at=row["added_at"],
        summary=tuple(json.loads(row["summary"])),
        quotes=tuple(Quote(**q) for q in json.loads(row["quotes"])),
        summary_version=row["summary_version"],
    )


def _select(
    db: Database, where: str, params: Sequence[Any], tail: str = ""
) -> list[ArticleRecord]:
    cursor = db.execute(f"SELECT * FROM articles WHERE {where} {tail}", list(params))
    names = [c[0] for c in cursor.description]
    return [_record(dict(zip(names, row, strict=True))) for row in cursor]


def get_article(db: Database, article_id: int) -> ArticleRecord | None:
    """The article with this id, or None."""
    found = _select(db, "id = ?", [article_id])
    return found[0] if found else None


def latest_articles(db: Database, limit: int = 5) -> list[ArticleRecord]:
    """The `limit` most recently added articles, newest first."""
    return _select(db, "1", [], f"ORDER BY id DESC LIMIT {int(limit)}")


def list_articles(db: Database, limit: int = 20) -> list[tuple[int, str, str]]:
    """(id, title, added_at) of the newest `limit` articles, newest first."""
    rows = db.execute(
        "SELECT id, title, added_at FROM articles ORDER BY id DESC LIMIT ?", [int(limit)]
    )
    return [(r[0], r[1], r[2]) for r in rows]


_FOR_DIGESTS = "id > ? AND id <= ? AND in_digests = 1"


def articles_between(db: Database, since_id: int, upto_id: int, limit: int) -> list[ArticleRecord]:
    """Digest articles with since_id < id <= upto_id, newest first, at most `limit`."""
    return _select(db, _FOR_DIGESTS, [since_id, upto_id], f"ORDER BY id DESC LIMIT {int(limit)}")


def count_between(db: Database, since_id: int, upto_id: int) -> int:
    """How many digest articles have since_id < id <= upto_id."""
    row = db.execute(
        f"SELECT count(*) FROM articles WHERE {_FOR_DIGESTS}", [since_id, upto_id]
    ).fetchone()
    return int(row[0])


def search_articles(db: Database, query: str, limit: int = 5) -> list[ArticleRecord]:
    """Full-text search over title and body, best matches first.

    The query is taken as plain words (all must match); FTS5 operators in it are
    quoted away, so no input can raise a syntax error.
    """
    if not _WORDS.search(query):
        return []
    ids = [
        row["rowid"]
        for row in db["articles"].search(query, columns=["rowid"], limit=limit, quote=True)  # type: ignore[union-attr]
    ]
    records = (
        {r.id: r for r in _select(db, f"id IN ({','.join('?' * len(ids))})", ids)} if ids else {}
    )
    return [records[i] for i in ids if i in records]


def remove_article(db: Database, article_id: int) -> bool:
    """Delete one article; True when it existed."""
    cursor = db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    return cursor.rowcount > 0


def article_count(db: Database) -> int:
    """How many articles are stored."""
    return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])


def max_article_id(db: Database) -> int:
    """The highest article id ever given out (0 when none), deleted ones included."""
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").fetchone()
    return int(row[0]) if row else 0


def stale_articles(db: Database, version: str) -> Iterator[ArticleRecord]:
    """Articles whose stored summary was made by another algorithm version."""
    last = 0
    while True:
        batch = _select(
            db,
            "id > ? AND (summary_version IS NULL OR summary_version != ?)",
            [last, version],
            "ORDER BY id LIMIT 200",
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].id
