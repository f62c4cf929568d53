"""fetch_feed against a real aiohttp server on 127.0.0.1: conditional GET, limits, discovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web

from ingest import FeedFetch, IngestError, fetch_article, fetch_feed, make_client
from ingest.feeds import FEED_ACCEPT, MAX_FEED_BYTES
from ingest.fetch import ACCEPT

ETAG = '"v1-ferry"'
LAST_MODIFIED = "Thu, 26 Nov 2026 09:30:00 GMT"
FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour News</title><link>https://news.example/</link>
<item><title>Ferry fares fall</title><link>https://news.example/ferry</link>
<guid>https://news.example/ferry</guid>
<description>The board cut ferry fares by a third.</description></item>
</channel></rss>"""
HUGE_BYTES = 30 * 1024 * 1024
CHUNK = b"<!-- padding -->" * 4096  # 64 KiB


def page(head: str) -> str:
    return (
        f"<!doctype html><html><head><title>Harbour News</title>{head}</head><body></body></html>"
    )


@dataclass
class Site:
    """The test server's address and what it saw and did."""

    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    huge_sent: int = 0
    huge_done: asyncio.Event = field(default_factory=asyncio.Event)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    release = asyncio.Event()  # holds /slow open until the test is over
    routes = web.RouteTableDef()
    state = Site(url="")

    @web.middleware
    async def record(request: web.Request, handler: web.Handler) -> web.StreamResponse:
        state.requests.append((request.path, {k.lower(): v for k, v in request.headers.items()}))
        return await handler(request)

    @routes.get("/etag")
    async def with_etag(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == ETAG:
            return web.Response(status=304, headers={"ETag": ETAG})
        return web.Response(body=FEED, content_type="application/rss+xml", headers={"ETag": ETAG})

    @routes.get("/dated")
    async def with_last_modified(request: web.Request) -> web.Response:
        if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return web.Response(status=304)
        headers = {"Last-Modified": LAST_MODIFIED}
        return web.Response(body=FEED, content_type="application/rss+xml", headers=headers)

    @routes.get("/moved")
    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/hop")

    @routes.get("/hop")
    async def hop(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"{state.url}/etag")

    @routes.get("/loop")
    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    @routes.get("/to-ftp")
    async def to_ftp(request: web.Request) -> web.Response:
        raise web.HTTPFound("ftp://127.0.0.1/feed.xml")

    @routes.get("/huge")
    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        if request.query.get("declared"):
            response.content_length = HUGE_BYTES
        try:
            await response.prepare(request)
            while state.huge_sent < HUGE_BYTES:
                await response.write(CHUNK)
                state.huge_sent += len(CHUNK)
        except ConnectionError:
            pass  # the client hung up: what the test wants
        finally:
            state.huge_done.set()
        return response

    @routes.get("/broken")
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500, text="oops")

    @routes.get("/slow")
    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response(body=FEED, content_type="application/rss+xml")

    @routes.get("/links-to/{target:.+}")
    async def links_to(request: web.Request) -> web.Response:
        href = "/" + request.match_info["target"]
        link = f'<link rel="alternate" type="application/rss+xml" title="News" href="{href}">'
        return web.Response(text=page(link), content_type="text/html")

    @routes.get("/no-feed")
    async def no_feed(request: web.Request) -> web.Response:
        link = '<link rel="stylesheet" href="/a.css">'
        return web.Response(text=page(link), content_type="text/html")

    @routes.get("/article")
    async def article(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match"):
            return web.Response(status=304)
        return web.Response(text="Ferry fares fall\nThe board cut ferry fares by a third.\n")

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield state
    release.set()
    await runner.cleanup()


async def feed_error(url: str, **client_options: Any) -> str:
    async with make_client(**client_options) as client:
        with pytest.raises(IngestError) as caught:
            await fetch_feed(client, url)
    message = str(caught.value)
    assert "\n" not in message
    return message


async def poll_twice(url: str) -> tuple[FeedFetch, FeedFetch]:
    """Fetch a feed, then again from the address and with the validators the first fetch got."""
    async with make_client() as client:
        first = await fetch_feed(client, url)
        again = await fetch_feed(
            client, first.url, etag=first.etag, last_modified=first.last_modified
        )
    return first, again


async def test_etag_then_not_modified(site: Site) -> None:
    first, again = await poll_twice(f"{site.url}/etag")
    assert first.url == f"{site.url}/etag"
    assert first.feed is not None and first.feed.title == "Harbour News"
    assert [item.title for item in first.feed.items] == ["Ferry fares fall"]
    assert (first.etag, first.last_modified) == (ETAG, None)
    assert again == FeedFetch(url=f"{site.url}/etag", feed=None, etag=ETAG, last_modified=None)
    sent = site.headers_of("/etag")
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == ETAG
    assert sent[1]["accept"] == FEED_ACCEPT


async def test_last_modified_then_not_modified(site: Site) -> None:
    first, again = await poll_twice(f"{site.url}/dated")
    assert first.feed is not None and (first.etag, first.last_modified) == (None, LAST_MODIFIED)
    # The server sent no validator with its 304: the ones passed in are kept for next time.
    assert (again.feed, again.etag, again.last_modified) == (None, None, LAST_MODIFIED)
    assert [h.get("if-modified-since") for h in site.headers_of("/dated")] == [None, LAST_MODIFIED]


async def test_redirects_are_followed_and_the_final_url_reported(site: Site) -> None:
    async with make_client() as client:
        fetched = await fetch_feed(client, f"{site.url}/moved", etag=ETAG)
    assert (fetched.url, fetched.feed) == (f"{site.url}/etag", None)
    # The conditional header goes along on every hop.
    assert [h["if-none-match"] for h in site.headers_of("/hop")] == [ETAG]


async def test_too_many_redirects(site: Site) -> None:
    assert await feed_error(f"{site.url}/loop") == f"{site.url}/loop: more than 5 redirects"
    assert len(site.headers_of("/loop")) == 6


@pytest.mark.parametrize("declared", [False, True])
async def test_30_mb_feed_is_abandoned_early(site: Site, declared: bool) -> None:
    url = f"{site.url}/huge" + ("?declared=1" if declared else "")
    assert await feed_error(url) == f"{url}: the feed is larger than 10 MB"
    await asyncio.wait_for(site.huge_done.wait(), 10)
    # The server could not send it all: the client hung up. Socket buffers take a few MB the
    # client never reads; with a declared length it reads nothing of the body at all.
    assert site.huge_sent < (MAX_FEED_BYTES if declared else HUGE_BYTES)


async def test_server_error(site: Site) -> None:
    assert await feed_error(f"{site.url}/broken") == (
        f"{site.url}/broken: the server answered 500 Internal Server Error"
    )


async def test_timeout(site: Site) -> None:
    assert await feed_error(f"{site.url}/slow", timeout=httpx.Timeout(0.5)) == (
        f"{site.url}/slow: the server did not answer in time"
    )


async def test_autodiscovery_from_an_html_page(site: Site) -> None:
    fetched, again = await poll_twice(f"{site.url}/links-to/moved")
    # The feed's own address (after its redirects) is what the caller stores.
    assert fetched.url == f"{site.url}/etag"
    assert fetched.feed is not None and fetched.feed.title == "Harbour News"
    assert (again.url, again.feed) == (fetched.url, None)
    requested = [path for path, _ in site.requests]
    assert requested == ["/links-to/moved", "/moved", "/hop", "/etag", "/etag"]


async def test_page_without_a_feed_link(site: Site) -> None:
    assert await feed_error(f"{site.url}/no-feed") == (
        f"{site.url}/no-feed: not an RSS or Atom feed"
    )


async def test_a_linked_feed_that_fails_is_named(site: Site) -> None:
    assert await feed_error(f"{site.url}/links-to/broken") == (
        f"{site.url}/broken (linked from {site.url}/links-to/broken): "
        "the server answered 500 Internal Server Error"
    )


async def test_autodiscovery_takes_one_hop_only(site: Site) -> None:
    assert await feed_error(f"{site.url}/links-to/links-to/etag") == (
        f"{site.url}/links-to/etag (linked from {site.url}/links-to/links-to/etag): "
        "not an RSS or Atom feed"
    )
    assert [path for path, _ in site.requests] == ["/links-to/links-to/etag", "/links-to/etag"]


async def test_ftp_is_refused_without_a_request(site: Site) -> None:
    assert await feed_error("ftp://127.0.0.1/feed.xml") == (
        "ftp://127.0.0.1/feed.xml: ftp: URLs are not supported; use an http or https URL"
    )
    assert site.requests == []


async def test_redirect_to_ftp_is_refused(site: Site) -> None:
    assert await feed_error(f"{site.url}/to-ftp") == (
        f"{site.url}/to-ftp: ftp: URLs are not supported; use an http or https URL"
    )


async def test_fetch_article_keeps_its_accept_header_and_304_is_an_error(site: Site) -> None:
    async with make_client(headers={"If-None-Match": ETAG}) as client:
        with pytest.raises(IngestError) as caught:
            await fetch_article(client, f"{site.url}/article")
    # Only a conditional feed fetch takes 304 for an answer.
    assert str(caught.value) == f"{site.url}/article: the server answered 304 Not Modified"
    assert site.headers_of("/article")[0]["accept"] == ACCEPT
