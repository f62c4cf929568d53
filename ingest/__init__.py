"""Articles in: parse plain text, HTML and feeds (pure), read files, fetch URLs and feeds (httpx).

Parsing is pure; network I/O goes through `ingest.fetch.download_url` (used by
`fetch_article` and `fetch_feed`), with an injected `httpx.AsyncClient`. Every
failure a user can cause raises `IngestError` with a one-line message.
"""

from ingest.article import MAX_ARTICLE_BYTES, Article, IngestError
from ingest.feeds import (
    MAX_FEED_BYTES,
    Feed,
    FeedFetch,
    FeedItem,
    fetch_feed,
    item_article,
    parse_feed,
)
from ingest.fetch import fetch_article, is_url, make_client
from ingest.files import parse_file
from ingest.html import parse_html
from ingest.text import parse_text

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_FEED_BYTES",
    "Article",
    "Feed",
    "FeedFetch",
    "FeedItem",
    "IngestError",
    "fetch_article",
    "fetch_feed",
    "is_url",
    "item_article",
    "make_client",
    "parse_feed",
    "parse_file",
    "parse_html",
    "parse_text",
]
