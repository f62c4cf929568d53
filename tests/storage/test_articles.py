"""Articles in storage: dedup by URL and normalized text, FTS search, removal, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ingest import Article
from storage import (
    Database,
    add_article,
    article_count,
    get_article,
    latest_articles,
    max_article_id,
    open_db,
    remove_article,
    save_summary,
    search_articles,
    stale_articles,
)
from storage.articles import content_hash
from storage.migrations import MIGRATIONS
from summarizer import Quote


def _article(
    title: str = "Bridge reopens", body: str = "The old bridge reopened on Monday.", **kw: str
) -> Article:
    return Article(title=title, paragraphs=tuple(body.split("\n\n")), **kw)  # type: ignore[arg-type]


def test_add_returns_new_id_then_existing_id_for_same_text(db: Database) -> None:
    first = add_article(db, _article())
    again = add_article(db, _article(body="THE  old bridge reopened, on Monday!"))
    assert first.created and not again.created
    assert again.id == first.id
    assert article_count(db) == 1


def test_same_url_is_the_same_article_even_with_new_text(db: Database) -> None:
    first = add_article(db, _article(url="https://example.org/a"))
    again = add_article(db, _article(body="Updated text.", url="https://example.org/a"))
    assert (again.id, again.created) == (first.id, False)


def test_articles_without_url_do_not_collide(db: Database) -> None:
    a = add_article(db, _article(body="One story."))
    b = add_article(db, _article(body="Another story."))
    assert a.id != b.id and b.created


def test_summary_and_quotes_round_trip(db: Database) -> None:
    quote = Quote(text="We will rebuild it", speaker="Ana Ruiz", cue="said", start=3, end=21)
    result = add_article(db, _article(), summary=["S1.", "S2."], quotes=[quote], version="v1")
    record = get_article(db, result.id)
    assert record is not None
    assert record.summary == ("S1.", "S2.")
    assert record.quotes == (quote,)
    assert record.summary_version == "v1"
    save_summary(db, result.id, ["New."], [], "v2")
    assert [r.id for r in stale_articles(db, "v2")] == []
    assert [r.id for r in stale_articles(db, "v3")] == [result.id]


def test_search_finds_words_and_never_raises_on_operators(db: Database) -> None:
    add_article(db, _article("Council votes on tram", "The city council voted for the tram line."))
    add_article(db, _article("Harbour fish", "Fishermen protest quotas."))
    assert [r.title for r in search_articles(db, "tram council")] == ["Council votes on tram"]
    for nasty in [
        '"',
        "AND OR NOT",
        "tram*",
        "(",
        "col:tram",
        "NEAR(",
        "'; DROP TABLE articles; --",
    ]:
        search_articles(db, nasty)
    assert search_articles(db, "   ") == []
    assert article_count(db) == 2


def test_removed_newest_id_is_never_reused(db: Database) -> None:
    add_article(db, _article(body="One."))
    second = add_article(db, _article(body="Two."))
    assert remove_article(db, second.id)
    assert not remove_article(db, second.id)
    third = add_article(db, _article(body="Three."))
    assert third.id > second.id
    assert max_article_id(db) == third.id
    assert [r.id for r in latest_articles(db, 5)] == [third.id, 1]


def test_search_index_follows_removal(db: Database) -> None:
    result = add_article(db, _article("Tram", "Tram news."))
    remove_article(db, result.id)
    assert search_articles(db, "tram") == []


def test_content_hash_ignores_case_space_and_punctuation() -> None:
    assert content_hash("Hello,  World!") == content_hash("hello world")
    assert content_hash("Hello world") != content_hash("Hello there world")


def test_open_db_uses_wal_and_records_numbered_migrations(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.db"
    db = open_db(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [m.name for m in MIGRATIONS.applied(db)]
    assert applied == sorted(applied) and applied[0].startswith("m001_")
    db.close()
    again = open_db(path)  # re-opening applies nothing twice
    assert [m.name for m in MIGRATIONS.applied(again)] == applied
    again.close()


def test_database_rejects_a_second_row_with_the_same_hash(db: Database) -> None:
    add_article(db, _article())
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO articles (title, body, content_hash, added_at)"
            " VALUES ('x', 'y', ?, 'now')",
            [content_hash("The old bridge reopened on Monday.")],
        )
