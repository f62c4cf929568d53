"""Fetch an article from a URL with an injected `httpx.AsyncClient`.

All network I/O of `ingest` goes through `download_url` here: `fetch_article`
and `ingest.feeds.fetch_feed` share it. Redirects are followed one hop at a
time, so the scheme check and the redirect limit hold whatever client the
caller passes; the body is streamed and abandoned past the size cap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

import httpx
from httpx_aiohttp import AiohttpTransport

from ingest.article import MAX_ARTICLE_BYTES, Article, IngestError, too_large
from ingest.files import decode_bytes, looks_like_html
from ingest.html import parse_html
from ingest.text import parse_text

MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
SCHEMES = frozenset({"http", "https"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
# URLs in messages are cut to this length to keep the message one readable line.
MAX_URL_IN_MESSAGE = 200


def _project_version() -> str:
    try:
        return version("newsdigest")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "dev"


USER_AGENT = f"newsdigest/{_project_version()} (Telegram news-digest bot)"


@dataclass(frozen=True)
class Download:
    """What `download_url` got: the body (empty for 304 Not Modified) and the headers."""

    url: str  # after redirects
    status_code: int
    content: bytes
    headers: httpx.Headers

    @property
    def content_type(self) -> str:
        """The Content-Type header as sent, "" when there is none."""
        return str(self.headers.get("content-type", ""))


def is_url(s: str) -> bool:
    """Say whether a string is an http or https URL with a host (surrounding spaces allowed).

    Args:
        s: A command argument or pasted text.

    Returns:
        True for e.g. "https://example.com/news/1"; False for paths, other
        schemes and text with spaces in it.
    """
    s = s.strip()
    if not s or any(ch.isspace() for ch in s):
        return False
    try:
        parts = urlsplit(s)
        return parts.scheme.lower() in SCHEMES and bool(parts.hostname)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False


def make_client(**kwargs: Any) -> httpx.AsyncClient:
    """Build the HTTP client for fetching articles.

    It speaks httpx, over aiohttp's connection handling (`httpx_aiohttp`): httpcore
    cost about 2.8 ms of CPU a page download here, aiohttp about 1.0 ms, which is
    what bounds a feed's backlog of thousands of pages.

    Args:
        **kwargs: Passed to `httpx.AsyncClient`, overriding the defaults
            (e.g. `transport=httpx.MockTransport(...)` in tests); `headers`
            are added to the default ones.

    Returns:
        A client with timeouts, a redirect limit of `MAX_REDIRECTS` and a
        User-Agent naming the project. The caller closes it.
    """
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    headers.update(kwargs.pop("headers", None) or {})
    options: dict[str, Any] = {
        "timeout": TIMEOUT,
        "follow_redirects": True,
        "max_redirects": MAX_REDIRECTS,
        "headers": headers,
    }
    options.update(kwargs)
    if "transport" not in options:
        options["transport"] = AiohttpTransport(
            limits=options.get("limits", httpx.Limits(max_connections=100))
        )
    return httpx.AsyncClient(**options)


async def fetch_article(client: httpx.AsyncClient, url: str) -> Article:
    """Download a page and parse it as HTML or plain text, by its Content-Type.

    Args:
        client: The HTTP client (see `make_client`).
        url: An http or https URL.

    Returns:
        The article; its url is the address after redirects, and
        `extra["requested_url"]` keeps the one asked for when they differ.

    Raises:
        IngestError: With a one-line message naming the URL, for another
            scheme, a network failure or timeout, an error status, more than
            `MAX_REDIRECTS` redirects, a body over `MAX_ARTICLE_BYTES`, a
            content type other than HTML or plain text, or a page that holds
            no article.
    """
    url = url.strip()
    try:
        download = await download_url(client, url)
    except IngestError as error:
        raise IngestError(f"{shorten_url(url)}: {error}") from None
    return parse_page(download.content, download.content_type, download.url, requested_url=url)


def parse_page(
    content: bytes, content_type: str, url: str, *, requested_url: str, date_search: bool = True
) -> Article:
    """Parse a downloaded page as HTML or plain text, by its Content-Type (pure, no I/O).

    The CPU-heavy half of `fetch_article`, apart so that it can run elsewhere (a
    worker process) while the downloads go on.

    Args:
        content: The body as downloaded.
        content_type: The Content-Type header, "" when there was none.
        url: The address after redirects; it becomes the article's url.
        requested_url: The address asked for, named in errors and kept in
            `extra["requested_url"]` when it differs from `url`.
        date_search: As in `parse_html`: False when the date is known already.

    Raises:
        IngestError: With a one-line message naming `requested_url`, for a
            content type other than HTML or plain text, or a page that holds no
            article.
    """
    try:
        media_type, charset = split_content_type(content_type)
        if media_type and media_type not in HTML_TYPES | TEXT_TYPES:
            raise IngestError(f"the server sent {media_type}, not an HTML page or plain text")
        text = decode_bytes(content, charset=charset, what="page")
        if media_type in HTML_TYPES or (not media_type and looks_like_html(text)):
            article = parse_html(text, url=url, date_search=date_search)
        else:
            article = parse_text(text, url=url)
    except IngestError as error:
        raise IngestError(f"{shorten_url(requested_url)}: {error}") from None
    if url != requested_url:
        article = replace(article, extra={**article.extra, "requested_url": requested_url})
    return article


async def download_url(
    client: httpx.AsyncClient,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    what: str = "page",
    not_modified: bool = False,
) -> Download:
    """GET a URL, following redirects one hop at a time, with the body capped.

    Args:
        client: The HTTP client (see `make_client`); its own redirect setting is
            not used.
        url: An http or https URL; every redirect target must be one too.
        headers: Request headers added to the client's (e.g. Accept,
            If-None-Match), sent on every hop.
        max_bytes: The most the body may weigh; a larger declared
            Content-Length is refused before reading, a longer body abandoned.
        what: How the too-large message names the body ("page", "feed").
        not_modified: True when a 304 Not Modified is an answer (a conditional
            request); False makes it an error status like any other.

    Returns:
        The final address, status, body and response headers.

    Raises:
        IngestError: With a one-line message (not naming the URL), for another
            scheme, a network failure or timeout, an error status, more than
            `MAX_REDIRECTS` redirects or a body over `max_bytes`.
    """
    current = _checked_url(url)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            async with client.stream(
                "GET", current, headers=headers, follow_redirects=False
            ) as response:
                if not_modified and response.status_code == httpx.codes.NOT_MODIFIED:
                    return Download(current, response.status_code, b"", response.headers)
                if response.is_redirect and "location" in response.headers:
                    current = _checked_url(str(response.url.join(response.headers["location"])))
                    continue
                if not response.is_success:
                    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                    raise IngestError(f"the server answered {response.status_code}{reason}")
                content = await _read_capped(response, max_bytes, what)
                return Download(str(response.url), response.status_code, content, response.headers)
    except httpx.TimeoutException as error:
        # httpx_aiohttp reports any aiohttp connection error as ConnectTimeout; only
        # one caused by a timeout (or with no cause, from other transports) is one.
        if error.__cause__ is None or isinstance(error.__cause__, asyncio.TimeoutError):
            raise IngestError("the server did not answer in time") from None
        raise IngestError("could not connect (unknown host, or the connection failed)") from None
    except httpx.ConnectError:
        raise IngestError("could not connect (unknown host, or the connection failed)") from None
    except httpx.TooManyRedirects:
        raise IngestError(f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.InvalidURL:
        raise IngestError("not a valid URL") from None
    except httpx.HTTPError as error:
        raise IngestError(f"the download failed ({type(error).__name__})") from None
    raise IngestError(f"more than {MAX_REDIRECTS} redirects")


async def _read_capped(response: httpx.Response, max_bytes: int, what: str) -> bytes:
    refused = too_large(what, max_bytes)
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise refused
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise refused
    return bytes(body)


def _checked_url(url: str) -> str:
    scheme = url.partition(":")[0].lower() if ":" in url else ""
    if scheme not in SCHEMES:
        shown = f"{scheme}: URLs" if scheme else "URLs without http:// or https://"
        raise IngestError(f"{shown} are not supported; use an http or https URL")
    if not is_url(url):
        raise IngestError("not a valid URL")
    return url


def split_content_type(content_type: str) -> tuple[str, str | None]:
    """Split a Content-Type header into its lower-case media type and its charset.

    Args:
        content_type: The header, e.g. "text/html; charset=UTF-8"; "" when absent.

    Returns:
        The media type ("" when absent) and the charset parameter, if any.
    """
    media_type, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
            break
    return media_type.strip().lower(), charset


def shorten_url(url: str) -> str:
    """Return a URL as one line of at most `MAX_URL_IN_MESSAGE` characters, for messages."""
    url = " ".join(url.split())
    if len(url) <= MAX_URL_IN_MESSAGE:
        return url
    return url[: MAX_URL_IN_MESSAGE - 1] + "…"
