"""RSS and Atom feeds: parse them with feedparser, fetch them, make articles of their items.

`parse_feed` and `item_article` are pure; `fetch_feed` does its network I/O
through `ingest.fetch.download_url`, with the limits articles have (schemes,
redirects, timeouts, a size cap) and conditional GET on top.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import feedparser
import httpx

from ingest.article import Article, IngestError, too_large
from ingest.fetch import (
    HTML_TYPES,
    Download,
    download_url,
    is_url,
    shorten_url,
    split_content_type,
)
from ingest.files import known_codec
from ingest.markup import find_link, html_paragraphs
from ingest.text import (
    check_text,
    clean_lines,
    has_blank_separators,
    join_paragraphs,
    source_from_url,
    split_lines,
)

# Feeds may be bigger than one article page: they carry many items' text.
MAX_FEED_BYTES = 10 * 1024 * 1024
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
# A title made of an item's first sentence is cut to this length.
MAX_DERIVED_TITLE_CHARS = 120

_SENTENCE = re.compile(r".+?[.!?…][\"'”’»)\]]*(?=\s|$)")
# An e-mail address in an author field, with the brackets around it: "<a@b.example>".
_EMAIL = re.compile(r"[<(]?\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)*\s*[>)]?")
# Yoast SEO, on many WordPress sites, ends every item of the feed with this line.
_APPEARED_FIRST = re.compile(r"^The post .+ appeared first on .+$")


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, with its text as plain paragraphs."""

    guid: str  # the entry's id/guid, else its link, else a SHA-1 of title and text
    link: str | None  # absolute http(s) URL of the item's page
    title: str  # "" when the entry has none
    published: datetime | None  # UTC: when published, else when updated
    author: str | None
    paragraphs: tuple[str, ...]  # the entry's content, else its summary, as plain text

    @property
    def published_date(self) -> str | None:
        """The publication date as articles store it (ISO, e.g. "2026-11-28"), or None."""
        return self.published.date().isoformat() if self.published else None


@dataclass(frozen=True)
class Feed:
    """A parsed feed: what it calls itself and its items in the order it lists them."""

    title: str | None
    link: str | None  # the site's link
    items: tuple[FeedItem, ...]


@dataclass(frozen=True)
class FeedFetch:
    """What `fetch_feed` got: the feed, or None when it has not changed since last time."""

    url: str  # the feed's address after redirects and autodiscovery: the one to store
    feed: Feed | None  # None when the server answered 304 Not Modified
    etag: str | None  # to send back next time
    last_modified: str | None


def parse_feed(data: bytes, *, url: str, content_type: str | None = None) -> Feed:
    """Parse an RSS (0.9x, 1.0, 2.0) or Atom feed.

    Args:
        data: The feed's bytes as downloaded.
        url: The feed's address; relative links are resolved against it.
        content_type: The Content-Type header the feed came with, if any; its
            charset is used to decode the bytes.

    Returns:
        The feed. One with no items is fine; so is broken XML from which items
        or a title could still be read.

    Raises:
        IngestError: For empty or too large input, something that is not an RSS
            or Atom feed (an HTML page, JSON, binary data), or broken XML from
            which nothing could be read.
    """
    if not data.strip():
        raise IngestError("the feed is empty")
    if len(data) > MAX_FEED_BYTES:
        raise too_large("feed", MAX_FEED_BYTES)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A file object, never the bytes or a str: feedparser fetches a string that looks like a URL.
    result = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not result.get("version"):
        raise IngestError("not an RSS or Atom feed")
    channel = result["feed"]
    title = _text(channel.get("title_detail")) or None
    items = tuple(item for item in map(_item, result["entries"]) if item is not None)
    if not items and not title and result.get("bozo"):
        _raise_if_broken(result.get("bozo_exception"))
    return Feed(title=title, link=_http_url(channel.get("link")), items=items)


async def fetch_feed(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FeedFetch:
    """Download and parse a feed, unless it has not changed since the last time.

    A URL that serves an HTML page linking to a feed (`<link rel="alternate"
    type="application/rss+xml" href=...>`) gets that feed instead: one hop.

    Args:
        client: The HTTP client (see `ingest.fetch.make_client`).
        url: An http or https URL of a feed, or of a page that links to one.
        etag: The ETag of the last fetch, sent as If-None-Match.
        last_modified: The Last-Modified of the last fetch, sent as If-Modified-Since.

    Returns:
        The feed's address (after redirects and autodiscovery), the feed, or
        None when the server answered 304 Not Modified, and the validators to
        send next time.

    Raises:
        IngestError: With a one-line message naming the URL (and the feed a page
            links to, when that one fails), for another scheme, a network
            failure or timeout, an error status, more than `MAX_REDIRECTS`
            redirects, a body over `MAX_FEED_BYTES`, or a response that is not
            a feed and links to none (see `parse_feed`).
    """
    url = url.strip()
    headers = {"Accept": FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        download = await _download_feed(client, url, headers)
        try:
            return await _feed_fetch(download, etag, last_modified)
        except IngestError:
            feed_url = _linked_feed(download)
            if feed_url is None:
                raise
    except IngestError as error:
        raise IngestError(f"{shorten_url(url)}: {error}") from None
    try:
        download = await _download_feed(client, feed_url, headers)
        return await _feed_fetch(download, etag, last_modified)
    except IngestError as error:
        shown = f"{shorten_url(feed_url)} (linked from {shorten_url(url)})"
        raise IngestError(f"{shown}: {error}") from None


def item_article(item: FeedItem, *, source: str | None = None) -> Article:
    """Make an article of a feed item's own text, for when its page cannot be fetched.

    The paragraphs get the clean-up pasted text gets (prompts, credits,
    bylines and a trailing list of headlines dropped, see `ingest.text`).

    Args:
        item: The feed item.
        source: Who published it (e.g. the feed's title); defaults to the host
            name of the item's link.

    Returns:
        The article: the item's title, or the first sentence of its text when it
        has none; its link, author and date (ISO).

    Raises:
        IngestError: When the item has no text, or more than `MAX_ARTICLE_BYTES` of it.
    """
    lines: list[str] = []
    for paragraph in item.paragraphs:
        if not _APPEARED_FIRST.match(paragraph):
            lines += [paragraph, ""]
    kept, byline_author = clean_lines(lines)
    paragraphs = join_paragraphs(kept, blocks=False)
    if not paragraphs:
        raise IngestError("the feed item has no text")
    check_text("\n\n".join(paragraphs), "feed item")
    title = item.title or _first_sentence(paragraphs[0])
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        url=item.link,
        source=source or source_from_url(item.link),
        author=item.author or byline_author,
        published=item.published_date,
    )


async def _download_feed(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Download:
    return await download_url(
        client, url, headers=headers, max_bytes=MAX_FEED_BYTES, what="feed", not_modified=True
    )


async def _feed_fetch(
    download: Download, etag: str | None, last_modified: str | None
) -> FeedFetch:
    if download.status_code == httpx.codes.NOT_MODIFIED:
        return FeedFetch(
            url=download.url,
            feed=None,
            etag=download.headers.get("etag") or etag,
            last_modified=download.headers.get("last-modified") or last_modified,
        )
    # feedparser takes seconds over a feed of a few MB: a thread keeps the event loop answering.
    feed = await asyncio.to_thread(
        parse_feed, download.content, url=download.url, content_type=download.content_type
    )
    return FeedFetch(
        url=download.url,
        feed=feed,
        etag=download.headers.get("etag"),
        last_modified=download.headers.get("last-modified"),
    )


def _linked_feed(download: Download) -> str | None:
    """Return the feed an HTML page links to, if it is a page and links to one but itself."""
    _, charset = split_content_type(download.content_type)
    html = download.content.decode(known_codec(charset) or "utf-8", errors="replace")
    link = find_link(html, download.url, rel="alternate", types=FEED_TYPES)
    return link if link and link != download.url else None


def _raise_if_broken(error: object) -> None:
    # feedparser flags feeds "bozo" for harmless things too (a missing or non-XML
    # Content-Type, a charset the document overrides); only a failed XML parse is broken.
    # No line number: feedparser adds an XML declaration and drops a DOCTYPE before parsing.
    if isinstance(error, xml.sax.SAXException):
        reason = " ".join(str(error.getMessage()).split()) or "unreadable"
        raise IngestError(f"the feed is not valid XML ({reason})")


def _item(entry: Any) -> FeedItem | None:
    title = _text(entry.get("title_detail"))
    paragraphs = _entry_paragraphs(entry)
    # feedparser takes an RSS <guid> for the link of an item without a <link> unless it is
    # marked isPermaLink="false" (RSS 2.0's rule), resolving it against the feed's URL even
    # when it is no URL at all: "1234" becomes https://host/feeds/1234, a stable guid and a
    # link to nowhere, which is what such a feed says.
    link = _http_url(entry.get("link"))
    guid = str(entry.get("id") or "").strip() or link
    if not guid:
        if not title and not paragraphs:
            return None  # nothing at all to tell it by or show
        text = "\n".join([title, *paragraphs])
        guid = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return FeedItem(
        guid=guid,
        link=link,
        title=title,
        published=_published(entry),
        author=_author(entry),
        paragraphs=tuple(paragraphs),
    )


def _entry_paragraphs(entry: Any) -> list[str]:
    # content:encoded or Atom content holds the full text; the summary/description a teaser.
    for detail in [*(entry.get("content") or []), entry.get("summary_detail")]:
        paragraphs = _paragraphs(detail)
        if paragraphs:
            return paragraphs
    return []


def _paragraphs(detail: Any) -> list[str]:
    if not detail or not detail.get("value"):
        return []
    value = str(detail["value"])
    if str(detail.get("type", "")).lower() in HTML_TYPES:
        return html_paragraphs(value)
    lines = split_lines(value)
    return join_paragraphs(lines, blocks=has_blank_separators(lines))


def _text(detail: Any) -> str:
    return " ".join(_paragraphs(detail))


def _published(entry: Any) -> datetime | None:
    # feedparser's entry.get("updated_parsed") falls back to published_parsed with a
    # DeprecationWarning (feedparser issue 310); dict.get reads the key itself.
    parsed = entry.get("published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    try:  # feedparser has already converted the time to UTC
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _author(entry: Any) -> str | None:
    # Not author_detail: feedparser splits an RSS "lena@news.example (Lena Holm)" with an
    # address pattern that knows only 2-4 letter top-level domains, into "ple (Lena Holm".
    # An RSS <author> is an address with the name in brackets, if at all; a bare address
    # names nobody readers know.
    author = " ".join(_EMAIL.sub(" ", str(entry.get("author") or "")).split())
    if author.startswith("(") and author.endswith(")"):
        author = author[1:-1].strip()
    return author or None


def _http_url(value: Any) -> str | None:
    url = str(value or "").strip()
    return url if is_url(url) else None


def _first_sentence(paragraph: str) -> str:
    match = _SENTENCE.match(paragraph)
    sentence = match.group() if match else paragraph
    if len(sentence) <= MAX_DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence[: MAX_DERIVED_TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"
