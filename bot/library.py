"""Article services shared by the CLI, the bot and the console chat: summarize and store."""

from __future__ import annotations

from dataclasses import dataclass

from ingest import Article
from storage import AddResult, Database, add_article, save_summary, stale_articles
from summarizer import ALGORITHM_VERSION, Quote, key_quotes, summarize

SUMMARY_SENTENCES = 3
# Lists and digests show this many summary sentences; key quotes must not repeat them.
BRIEF_SENTENCES = 2
KEY_QUOTES = 3


@dataclass(frozen=True)
class Summarized:
    """An article's summary sentences and key quotes."""

    summary: list[str]
    quotes: list[Quote]


def summarize_article(title: str, body: str, sentences: int = SUMMARY_SENTENCES) -> Summarized:
    """Summarize an article's body and pick its key quotes (not repeating the brief)."""
    summary = summarize(body, title=title, sentences=sentences).sentences
    quotes = key_quotes(body, n=KEY_QUOTES, exclude=summary[:BRIEF_SENTENCES])
    return Summarized(summary, quotes)


def store_article(db: Database, article: Article, *, in_digests: bool = True) -> AddResult:
    """Summarize and store `article`, or return the id it already has.

    `in_digests=False` stores a feed's backlog: searchable, never news for a digest.
    """
    return store_summarized(
        db, article, summarize_article(article.title, article.body), in_digests=in_digests
    )


def store_summarized(
    db: Database, article: Article, result: Summarized, *, in_digests: bool = True
) -> AddResult:
    """Store `article` with the summary already made for it (see `store_article`)."""
    return add_article(
        db,
        article,
        summary=result.summary,
        quotes=result.quotes,
        version=ALGORITHM_VERSION,
        in_digests=in_digests,
    )


def resummarize(db: Database) -> int:
    """Recompute the summaries made by an older algorithm version; returns how many."""
    count = 0
    for record in stale_articles(db, ALGORITHM_VERSION):
        result = summarize_article(record.title, record.body)
        save_summary(db, record.id, result.summary, result.quotes, ALGORITHM_VERSION)
        count += 1
    return count
