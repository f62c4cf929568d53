"""Bot-side handling time of /latest and /search with 10,000 stored articles.

usage: python -m bench.bench_bot [--articles N] [--calls N]

Stores N articles varied from the bundled samples (bench.bench_ingest.make_texts, parsed
with parse_text) with precomputed summaries and quotes (the first sentences; summarizing
10,000 articles would only slow the set-up), then times `bot.service.dispatch` through
the command table, as the Telegram handler and the console call it: /latest with N from
1 to 20, and /search with words drawn from the articles (frequent and rare, one to three
words, some matching nothing). Target p95 < 50 ms. Baselines in the same run: the storage
query alone (latest_articles, search_articles) without rendering.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "1")

from bench.bench_ingest import make_texts  # noqa: E402
from bench.timing import bench_parser, machine_load, p50_p95, print_table  # noqa: E402
from bot.commands import COMMANDS  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.delivery import Deliverer  # noqa: E402
from bot.service import Reply, Request, Services, dispatch  # noqa: E402
from ingest.fetch import make_client  # noqa: E402
from ingest.text import parse_text  # noqa: E402
from storage import Database, add_article, latest_articles, open_db, search_articles  # noqa: E402
from summarizer import Quote  # noqa: E402
from summarizer.sentences import split_sentences  # noqa: E402

ARTICLES = 10_000
CALLS = 500
TARGET_MS = 50.0
USER = 4242
_QUOTED = re.compile(r"“([^”]{20,300})”|\"([^\"]{20,300})\"")
_WORD = re.compile(r"[A-Za-z]{4,}")


class NoSender:
    async def send(self, chat_id: int, html: str, *, preview: bool) -> None:
        raise AssertionError("the benchmark sends no digests")


def store_articles(db: Database, count: int) -> Counter[str]:
    """Store `count` varied articles with cheap stand-in summaries; return word frequencies."""
    words: Counter[str] = Counter()
    with db.atomic():
        for n, text in enumerate(make_texts(count, seed=7)):
            article = parse_text(text, url=f"https://news.example.com/{n}")
            sentences = split_sentences(article.body)
            match = _QUOTED.search(article.body)
            quotes = []
            if match:
                words_ = match.group(1) or match.group(2)
                quotes.append(
                    Quote(words_, "A. Speaker", "said", match.start(), match.end(), True)
                )
            add_article(db, article, summary=sentences[:3], quotes=quotes, version="bench")
            if n % 10 == 0:
                words.update(w.lower() for w in _WORD.findall(article.body))
    return words


def queries(words: Counter[str], count: int, rng: random.Random) -> list[str]:
    """Search strings: frequent words, rare words, two or three together, some unknown."""
    common = [w for w, _ in words.most_common(200)]
    rare = [w for w, n in words.items() if n <= 3] or common
    found = []
    for n in range(count):
        kind = n % 5
        if kind == 0:
            found.append(rng.choice(common))
        elif kind == 1:
            found.append(rng.choice(rare))
        elif kind == 2:
            found.append(" ".join(rng.sample(common, 2)))
        elif kind == 3:
            found.append(f"{rng.choice(common)} {rng.choice(rare)} {rng.choice(common)}")
        else:
            found.append(f"zzq{n}x")  # matches nothing
    return found


async def timed(calls: list[Callable[[], Awaitable[object]]]) -> list[float]:
    """Each call's wall time in ms."""
    result = []
    for call in calls:
        started = time.perf_counter()
        await call()
        result.append((time.perf_counter() - started) * 1000)
    return result


async def run(db: Database, words: Counter[str], calls: int) -> list[list[object]]:
    rng = random.Random(11)
    services = Services(
        db=db, settings=Settings(), http=make_client(), deliverer=Deliverer(db, NoSender())
    )
    latest_args = [str(rng.randint(1, 20)) if n % 2 else "" for n in range(calls)]
    search_args = queries(words, calls, rng)

    def command(name: str, args: str) -> Callable[[], Awaitable[list[Reply]]]:
        return lambda: dispatch(services, COMMANDS, Request(USER, USER, name, args))

    async def plain(call: Callable[[], object]) -> object:
        return call()

    def latest_query(args: str) -> Callable[[], Awaitable[object]]:
        return lambda: plain(lambda: latest_articles(db, int(args or 5)))

    def search_query(args: str) -> Callable[[], Awaitable[object]]:
        return lambda: plain(lambda: search_articles(db, args, 5))

    await timed([command("latest", "") for _ in range(20)])  # warm the page cache
    rows: list[list[object]] = []
    for name, times in (
        ("/latest [N] via dispatch", await timed([command("latest", a) for a in latest_args])),
        ("/search WORDS via dispatch", await timed([command("search", a) for a in search_args])),
        ("baseline: latest_articles alone", await timed([latest_query(a) for a in latest_args])),
        ("baseline: search_articles alone", await timed([search_query(a) for a in search_args])),
    ):
        p50, p95 = p50_p95(times)
        verdict = "" if name.startswith("baseline") else ("ok" if p95 < TARGET_MS else "SLOW")
        rows.append([name, len(times), p50, p95, max(times), verdict])
    await services.http.aclose()
    return rows


def main() -> None:
    parser = bench_parser("bench_bot", __doc__)
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--calls", type=int, default=CALLS)
    args = parser.parse_args()
    print(f"bench_bot: {machine_load()}")
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
        db = open_db(Path(tmp) / "bot.db")
        started = time.perf_counter()
        words = store_articles(db, args.articles)
        setup = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20
        rows = asyncio.run(run(db, words, args.calls))
        db.close()
    print_table(
        f"bot-side handling with {args.articles:,} stored articles ({size_mb:.0f} MB database,"
        f" stored in {setup:.1f} s); target p95 < {TARGET_MS:g} ms",
        ["command", "calls", "p50 ms", "p95 ms", "max ms", "target"],
        rows,
    )
    print(f"\nafter: {machine_load()}")


if __name__ == "__main__":
    main()
