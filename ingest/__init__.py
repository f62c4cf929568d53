"""Articles in: parse plain text and HTML (pure), read files, fetch URLs (httpx).

Parsing is pure; only `ingest.fetch` does network I/O, through an injected
`httpx.AsyncClient`. Every failure a user can cause raises `IngestError` with a
one-line message.
"""

from ingest.article import Article, IngestError

__all__ = ["Article", "IngestError"]
