"""Articles in: parse plain text and HTML (pure), read files, fetch URLs (httpx).

Parsing is pure; only `ingest.fetch` does network I/O, through an injected
`httpx.AsyncClient`. Every failure a user can cause raises `IngestError` with a
one-line message.
"""

from ingest.article import MAX_ARTICLE_BYTES, Article, IngestError
from ingest.fetch import fetch_article, is_url, make_client
from ingest.files import parse_file
from ingest.html import parse_html
from ingest.text import parse_text

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "IngestError",
    "fetch_article",
    "is_url",
    "make_client",
    "parse_file",
    "parse_html",
    "parse_text",
]
