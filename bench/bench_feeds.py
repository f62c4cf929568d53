"""Feeds: 100 feeds x 50 items on 127.0.0.1, every item fetched, parsed, summarized, stored.

usage: python -m bench.bench_feeds [--feeds 100] [--items 50] [--runs 3] [--baseline-feeds 10]
                                   [--feeds-at-once 8] [--pages-at-once 8] [--workers CORES]

Target (issue 7): all 5,000 items of 100 feeds x 50 ingested with summaries and
quotes in under 60 s on this machine. The site (tests.newssite: an RSS feed per
path, an HTML page per item, about 590 words each like the CNN/DailyMail median)
runs in a process of its own, as a real site would run elsewhere. Each run starts
from an empty database and polls every feed once through `FeedPoller.poll_due`,
the bot's own path: conditional GET of the feed, the item pages side by side
(trafilatura), summary and key quotes, one transaction an item. Then every feed
is polled again: all answer 304 Not Modified.

Baseline, in the same run: the same poller taking one feed and one page at a
time, on the first --baseline-feeds feeds; compare items per second.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from bench.common import ROOT
from bench.timing import bench_parser, machine_load, print_table
from bot.feeds import FEEDS_AT_ONCE, PAGES_AT_ONCE, WORKERS, FeedPoller
from ingest.fetch import make_client
from storage import open_db
from storage.feeds import add_feed, list_feeds

TARGET_SECONDS = 60.0


def _start_site(feeds: int, items: int) -> tuple[subprocess.Popen[str], str]:
    site = subprocess.Popen(
        [sys.executable, "-m", "tests.newssite", "--feeds", str(feeds), "--items", str(items)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert site.stdout is not None
    base_url = site.stdout.readline().strip()
    if not base_url.startswith("http://127.0.0.1:"):
        site.kill()
        raise SystemExit(f"bench_feeds: the news site did not start ({base_url!r})")
    return site, base_url


async def _ingest(
    base_url: str, feeds: int, *, feeds_at_once: int, pages_at_once: int, workers: int
) -> dict[str, float]:
    """Poll `feeds` feeds into a fresh database; the figures of the run."""
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        now = datetime.now(timezone.utc)
        for f in range(feeds):
            add_feed(db, f"{base_url}/feed/{f}.xml", 15, now)
        limits = httpx.Limits(max_connections=pages_at_once + feeds_at_once)
        async with make_client(limits=limits) as client:
            poller = FeedPoller(
                db,
                client,
                feeds_at_once=feeds_at_once,
                pages_at_once=pages_at_once,
                workers=workers,
            )
            started = time.perf_counter()
            results = await poller.poll_due()
            seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = await asyncio.gather(*poller.start(list_feeds(db)))
            unchanged = time.perf_counter() - started
            await poller.aclose()
        row = db.execute(
            "SELECT count(*), sum(summary != '[]'), sum(quotes != '[]') FROM articles"
        ).fetchone()
        db.close()
    return {
        "seconds": seconds,
        "stored": sum(r.stored for r in results),
        "errors": sum(r.error is not None for r in results) + (feeds - len(results)),
        "articles": row[0],
        "with_summary": row[1] or 0,
        "with_quotes": row[2] or 0,
        "not_modified": sum(r is not None and r.not_modified for r in again),
        "unchanged_seconds": unchanged,
    }


def main() -> None:
    parser = bench_parser("bench_feeds", __doc__)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-feeds", type=int, default=10)
    parser.add_argument("--feeds-at-once", type=int, default=FEEDS_AT_ONCE)
    parser.add_argument("--pages-at-once", type=int, default=PAGES_AT_ONCE)
    parser.add_argument("--workers", type=int, default=WORKERS, help="0: parse in-process")
    args = parser.parse_args()
    print(f"bench_feeds: {machine_load()}", flush=True)
    site, base_url = _start_site(args.feeds, args.items)
    try:
        runs, baselines = [], []
        for number in range(1, args.runs + 1):
            baseline = asyncio.run(
                _ingest(base_url, args.baseline_feeds, feeds_at_once=1, pages_at_once=1, workers=0)
            )
            baselines.append(baseline)
            run = asyncio.run(
                _ingest(
                    base_url,
                    args.feeds,
                    feeds_at_once=args.feeds_at_once,
                    pages_at_once=args.pages_at_once,
                    workers=args.workers,
                )
            )
            runs.append(run)
            print(
                f"run {number}: {run['stored']:.0f} items in {run['seconds']:.1f} s "
                f"({run['errors']:.0f} feed errors); baseline {baseline['stored']:.0f} items "
                f"in {baseline['seconds']:.1f} s",
                flush=True,
            )
    finally:
        if site.stdin is not None:
            site.stdin.close()
        site.wait(10)
    seconds = statistics.median(r["seconds"] for r in runs)
    rate = statistics.median(r["stored"] / r["seconds"] for r in runs)
    base_rate = statistics.median(b["stored"] / b["seconds"] for b in baselines)
    last = runs[-1]
    total = args.feeds * args.items
    print_table(
        f"Feeds: {args.feeds} x {args.items} items, median of {args.runs} runs",
        ["poller", "feeds", "items/s", "median s", "stored", "feed errors"],
        [
            [
                "one feed, one page at a time (baseline)",
                args.baseline_feeds,
                base_rate,
                statistics.median(b["seconds"] for b in baselines),
                int(baselines[-1]["stored"]),
                int(baselines[-1]["errors"]),
            ],
            [
                f"{args.feeds_at_once} feeds, {args.pages_at_once} pages at a time, "
                f"{args.workers} workers",
                args.feeds,
                rate,
                seconds,
                int(last["stored"]),
                int(last["errors"]),
            ],
        ],
    )
    print(
        f"\nlast run: {last['articles']:.0f} articles of {total}, "
        f"{last['with_summary']:.0f} with a summary, {last['with_quotes']:.0f} with key quotes; "
        f"polling all {args.feeds} again: {last['not_modified']:.0f} answered 304 in "
        f"{statistics.median(r['unchanged_seconds'] for r in runs):.2f} s (median)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB; {machine_load()}")
    verdict = "meets" if seconds < TARGET_SECONDS and last["stored"] == total else "MISSES"
    print(f"target: {total} items in under {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
