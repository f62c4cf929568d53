"""Persistence: the only package that imports `sqlite_utils`.

Contract: every function takes the `Database` first and returns plain data
(`ArticleRecord`, `Subscriber`, ...). The schema lives in numbered migrations
applied by `open_db`; nothing else creates tables. Writes that belong together
run in one transaction, so a crash never leaves half a change behind.
"""

from storage.articles import (
    AddResult,
    ArticleRecord,
    add_article,
    article_count,
    get_article,
    latest_articles,
    list_articles,
    max_article_id,
    remove_article,
    save_summary,
    search_articles,
    stale_articles,
)
from storage.db import DEFAULT_DB_PATH, Database, open_db

__all__ = [
    "DEFAULT_DB_PATH",
    "AddResult",
    "ArticleRecord",
    "Database",
    "add_article",
    "article_count",
    "get_article",
    "latest_articles",
    "list_articles",
    "max_article_id",
    "open_db",
    "remove_article",
    "save_summary",
    "search_articles",
    "stale_articles",
]
