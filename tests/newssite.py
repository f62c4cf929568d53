"""A fake news site on 127.0.0.1: RSS feeds and article pages, for tests and the feed benchmark.

It runs on a background thread with its own event loop, so synchronous tests (the
command line) can use it as well as async ones. Feeds answer conditional GETs
(ETag and Last-Modified) with 304 like a well-behaved server; any path can be set
to fail instead: a status, a delay, malformed XML or a huge body.

    with NewsSite() as site:
        site.page("/a", "Title", ["Paragraph one.", "Paragraph two."])
        site.feed("/rss", [Item("Title", "/a")])
        ... fetch site.url("/rss") ...

Run `python -m tests.newssite --feeds 100 --items 50` to serve a generated site
from a separate process (the benchmark does); it prints its base URL.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import random
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from aiohttp import web

from tests.loopthread import LoopThread

HOST = "127.0.0.1"
CHUNK = 64 * 1024


def story_paragraphs(n: int, topic: str = "harbour") -> list[str]:
    """Three paragraphs of news, different for each `n` and `topic`, with a quote."""
    return [
        f"The {topic} council in town {n} voted on Tuesday to rebuild the old bridge, "
        f"officials said, after {n + 3} years of debate.",
        f"Work on the {topic} bridge starts in spring and should take {n + 1} years, "
        "the council said in a statement.",
        f"The bridge in town {n} was closed after the flood of 2021 cut it in half.",
        f"Engineers said the new {topic} bridge would carry twice the traffic of the old one.",
        '"This is the day we have waited for since the flood," said Mayor Ana Ruiz, '
        f"who has led town {n} since 2019.",
    ]


@dataclass(frozen=True)
class Item:
    """A feed entry: its title, the path (or absolute URL) of its page, and what the feed says."""

    title: str
    link: str
    guid: str | None = None  # defaults to the link
    description: str = ""
    published: datetime | None = None


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering
    size: int | None = None  # stream this many bytes of filler instead of `body`
    conditional: bool = False  # answer 304 to a matching If-None-Match / If-Modified-Since
    last_modified: str | None = None


@dataclass
class Hit:
    """One request the site received."""

    path: str
    headers: dict[str, str]
    status: int


@dataclass
class NewsSite:
    """The site: set routes, start it, point clients at `url(path)`."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    base_url: str = ""
    _worker: LoopThread | None = None
    _runner: web.AppRunner | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this site."""
        return self.base_url + path

    def page(self, path: str, title: str, paragraphs: list[str], status: int = 200) -> None:
        """Serve an article page: navigation, the article, a related-links box."""
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
        text = (
            f"<!doctype html><html lang='en'><head><title>{html.escape(title)} | Example News"
            f"</title><meta property='og:title' content='{html.escape(title, quote=True)}'>"
            "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>\n{body}</article>"
            "<aside>Related: <a href='/other'>Another story</a></aside></body></html>"
        )
        self.set(path, Route(text.encode(), status=status))

    def feed(self, path: str, items: list[Item], title: str = "Example News") -> None:
        """Serve an RSS 2.0 feed listing `items` (first listed first) with validators."""
        entries = []
        for item in items:
            link = item.link if "://" in item.link else self.url(item.link)
            date = (
                f"<pubDate>{format_datetime(item.published)}</pubDate>" if item.published else ""
            )
            entries.append(
                f"<item><title>{html.escape(item.title)}</title><link>{html.escape(link)}</link>"
                f"<guid isPermaLink='false'>{html.escape(item.guid or link)}</guid>{date}"
                f"<description>{html.escape(item.description)}</description></item>"
            )
        xml = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{html.escape(title)}</title><link>{self.url('/')}</link>"
            f"<description>News</description>{''.join(entries)}</channel></rss>"
        ).encode()
        stamp = format_datetime(datetime.now(timezone.utc).replace(microsecond=0), usegmt=True)
        self.set(
            path,
            Route(
                xml,
                "application/rss+xml; charset=utf-8",
                conditional=True,
                last_modified=stamp,
            ),
        )

    def publish(self, path: str, numbers: range, topic: str = "harbour") -> None:
        """Pages for stories `numbers` ("Harbour story 1", ...) and a feed at `path` of them."""
        for n in numbers:
            self.page(f"/{topic}/{n}", f"{topic.title()} story {n}", story_paragraphs(n, topic))
        self.feed(
            path, [Item(f"{topic.title()} story {n}", f"/{topic}/{n}") for n in reversed(numbers)]
        )

    def set(self, path: str, route: Route) -> None:
        """Make `path` answer as `route` says (replacing what it answered before)."""
        with self._lock:
            self.routes[path] = route

    def hits_of(self, path: str) -> list[Hit]:
        """The requests for `path` so far."""
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            route = self.routes.get(request.path)
        status = route.status if route else 404
        etag = f'"{hashlib.sha1(route.body).hexdigest()}"' if route else ""
        if route and route.conditional and status == 200 and _unchanged(request, route, etag):
            status = 304
        with self._lock:
            self.hits.append(Hit(request.path, dict(request.headers), status))
        if route and route.delay:
            await asyncio.sleep(route.delay)
        if route is None:
            return web.Response(status=404, text="not found")
        headers = {"ETag": etag} if route.conditional else {}
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if status == 304:
            return web.Response(status=304, headers=headers)
        if route.size is None:
            return _response(status, route, headers)
        return await _stream(request, route, headers)

    async def _start(self) -> str:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"http://{HOST}:{port}"

    def start(self) -> NewsSite:
        """Start serving on a free port; returns self once it accepts connections."""
        self._worker = LoopThread("news-site")
        self.base_url = self._worker.run(self._start())
        return self

    def stop(self) -> None:
        """Stop serving and release the thread."""
        worker, runner = self._worker, self._runner
        if worker is None:
            return
        if runner is not None:
            worker.run(runner.cleanup())
        worker.close()
        self._worker = None

    def __enter__(self) -> NewsSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _unchanged(request: web.Request, route: Route, etag: str) -> bool:
    if "If-None-Match" in request.headers:
        return request.headers["If-None-Match"] == etag
    since = request.headers.get("If-Modified-Since")
    return since is not None and since == route.last_modified


def _response(status: int, route: Route, headers: dict[str, str]) -> web.Response:
    response = web.Response(status=status, body=route.body, headers=headers)
    response.headers["Content-Type"] = route.content_type
    return response


async def _stream(
    request: web.Request, route: Route, headers: dict[str, str]
) -> web.StreamResponse:
    assert route.size is not None
    response = web.StreamResponse(status=route.status, headers=headers)
    response.headers["Content-Type"] = route.content_type
    response.content_length = route.size
    await response.prepare(request)
    filler = b"<item><title>x</title></item>" * (CHUNK // 29)
    sent = 0
    try:
        while sent < route.size:
            part = filler[: route.size - sent]
            await response.write(part)
            sent += len(part)
    except (ConnectionResetError, ConnectionError):
        pass  # the client stopped reading, as it should past its cap
    return response


_PLACES = ("Riverton", "Northbay", "Eastfield", "Port Alma", "Linden", "Kestrel Bay", "Ashford")
_PEOPLE = (
    ("Mayor", "Ana Ruiz"),
    ("Minister", "Tomas Berg"),
    ("Professor", "Leila Haddad"),
    ("Chief Inspector", "Marcus Webb"),
    ("Councillor", "Priya Natarajan"),
    ("Director", "Jonas Lindqvist"),
)
_TOPICS = ("bridge", "tram line", "hospital wing", "harbour wall", "school", "power plant")
_SENTENCES = (
    "The {topic} in {place} will cost {money} million euros, officials said on {day}.",
    "Work is due to start in {month} and should take {years} years to finish.",
    "Residents have argued about the {topic} for {years} years, and {count} of them "
    "signed a petition against it last spring.",
    "The council voted {votes_for}-{votes_against} after a debate that lasted {hours} hours.",
    "Critics say the budget has grown by {percent} percent since the plan was first drawn up.",
    "The regional government has promised to pay {percent} percent of the cost.",
    "A report published on {day} found that {count} households would be affected.",
    "Traffic on the main road through {place} is expected to rise by {percent} percent.",
    "The last comparable project in the region opened in {year}, {years} years late.",
)
_QUOTES = (
    "This is the biggest investment {place} has seen in a generation",
    "We listened to every objection, and the plan is better for it",
    "Nobody asked the people who live next to the {topic} what they wanted",
    "The numbers simply do not add up, and the council knows it",
    "We will keep a close eye on every euro that is spent",
)
_MONTHS = ("March", "April", "May", "June", "September", "October")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def long_story(n: int) -> tuple[str, list[str]]:
    """A news article of about 550 words (the CNN/DailyMail median), different for each `n`."""
    rng = random.Random(n)
    place, topic = rng.choice(_PLACES), rng.choice(_TOPICS)

    def fill(template: str) -> str:
        return template.format(
            place=place,
            topic=topic,
            money=rng.randint(20, 900),
            day=rng.choice(_DAYS),
            month=rng.choice(_MONTHS),
            years=rng.randint(2, 12),
            count=rng.randint(200, 9000),
            votes_for=rng.randint(7, 12),
            votes_against=rng.randint(1, 6),
            hours=rng.randint(2, 9),
            percent=rng.randint(5, 60),
            year=rng.randint(1990, 2020),
        )

    paragraphs = [f"{place} approves {topic} plan number {n} after a long fight."]
    for _ in range(14):
        sentences = [fill(rng.choice(_SENTENCES)) for _ in range(rng.randint(2, 3))]
        if rng.random() < 0.35:
            title, name = rng.choice(_PEOPLE)
            said = fill(rng.choice(_QUOTES))
            sentences.append(f'"{said}," said {title} {name}.')
        paragraphs.append(" ".join(sentences))
    return f"{place} votes on {topic} plan {n}", paragraphs


def serve_generated(feeds: int, items: int) -> NewsSite:
    """Start a site with `feeds` feeds at /feed/F.xml, each listing `items` long stories."""
    site = NewsSite().start()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for f in range(feeds):
        listed = []
        for i in range(items):
            n = f * items + i
            title, paragraphs = long_story(n)
            site.page(f"/story/{n}", title, paragraphs)
            published = now - timedelta(minutes=n)
            listed.append(
                Item(title, f"/story/{n}", description=paragraphs[1], published=published)
            )
        site.feed(f"/feed/{f}.xml", listed, title=f"Example News {f}")
    return site


def main() -> None:
    """Serve a generated site until standard input closes; print its base URL first."""
    parser = argparse.ArgumentParser(prog="python -m tests.newssite", description=__doc__)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    site = serve_generated(args.feeds, args.items)
    print(site.base_url, flush=True)
    try:
        sys.stdin.read()
    finally:
        site.stop()


if __name__ == "__main__":
    main()
