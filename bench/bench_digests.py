"""Digest broadcast: throughput, exactly-once under Telegram's limits, memory at 100,000.

usage: python -m bench.bench_digests [--part throughput|flood|memory|all] [--runs N]

throughput  10,000 due subscribers; the fake Bot API server (tests.fakebot) in its own
            process with --no-validate and no flood limits; the real Application built by
            bot.app.build_application (ExtBot, ChatRateLimiter with max_rate raised, aiohttp)
            and its Deliverer with TelegramSender. Target >= 1,000 messages/s. The baseline
            in the same run is the fake server's own ceiling: bare aiohttp sendMessage
            requests from this process (tests.fakebot.loadtest), no bot code at all.
flood       the server with --flood (30/s overall, 1/s per chat) and the bot at its default
            max_rate (29):
            1,000 subscribers, zero lost, zero duplicates, >= 27 messages/s.
memory      100,000 subscribers through the Deliverer with a no-op sender in this process
            (no HTTP: what is measured is streaming the due set from SQLite in batches, the
            ledger and rendering). Peak RSS (ru_maxrss) and the tracemalloc peak of the
            broadcast. Target < 300 MB.

Every check of exactly-once counts messages per chat on the server and reads the ledger.
Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")

from bench.common import ROOT  # noqa: E402
from bench.timing import bench_parser, machine_load, p50_p95, print_table  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.delivery import Deliverer, Report  # noqa: E402
from ingest import Article  # noqa: E402
from storage import Database, add_article, max_article_id, open_db  # noqa: E402
from storage.subscribers import save_subscription  # noqa: E402
from summarizer import Quote  # noqa: E402
from tests.fakebot import FakeTelegramClient  # noqa: E402

TOKEN = "123456:BENCH-digests"
FIRST_CHAT = 10_000_000
ARTICLES = 12  # a full digest of 10 plus "and 2 more"
THROUGHPUT_SUBSCRIBERS = 10_000
FLOOD_SUBSCRIBERS = 1_000
MEMORY_SUBSCRIBERS = 100_000
BASELINE_REQUESTS = 10_000
SEND_COLUMNS = ["run", "messages", "seconds", "messages/s", "send p50 ms", "send p95 ms"]


def add_articles(db: Database, count: int = ARTICLES) -> None:
    """Articles with summaries and quotes like the real ones, so digests have a real size."""
    for n in range(count):
        body = (
            f"The council of Example Town {n} voted on Monday to extend the tram line by "
            f"{n + 3} kilometres, after a debate that lasted well into the night."
        )
        summary = [
            f"Example Town {n} will extend its tram line by {n + 3} kilometres.",
            "The vote followed months of protests by residents of the northern districts.",
            "Construction is to start next spring and cost about 40 million euros.",
        ]
        quote = Quote(
            "This is the most important decision for the town in a generation & more",
            f"Mayor Ana Example{n}",
            "said",
            0,
            70,
            named=True,
        )
        add_article(
            db,
            Article(
                f"Tram line {n} <extended> after long vote",
                (body,),
                url=f"https://example.com/{n}",
            ),
            summary=summary,
            quotes=[quote],
            version="bench",
        )


def add_due_subscribers(db: Database, count: int) -> None:
    """`count` private chats, all due five minutes ago, nothing delivered yet."""
    due = datetime.now(timezone.utc) - timedelta(minutes=5)
    with db.atomic():
        for chat in range(FIRST_CHAT, FIRST_CHAT + count):
            save_subscription(db, chat, chat, "08:00", "UTC", due, since_id=0)


def fresh_db(directory: Path, name: str, subscribers: int) -> Path:
    path = directory / f"{name}.db"
    db = open_db(path)
    add_articles(db)
    add_due_subscribers(db, subscribers)
    db.close()
    return path


def ledger_check(path: Path, subscribers: int) -> str:
    """'ok' when every subscriber has one 'sent' delivery and the since-mark moved."""
    db = open_db(path)
    try:
        upto = max_article_id(db)
        sent = db.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0]
        other = db.execute("SELECT count(*) FROM deliveries WHERE status != 'sent'").fetchone()[0]
        moved = db.execute(
            "SELECT count(*) FROM subscribers WHERE since_id = ?", [upto]
        ).fetchone()[0]
    finally:
        db.close()
    if sent == moved == subscribers and other == 0:
        return "ok"
    return f"BAD: {sent} sent, {other} other, {moved} moved of {subscribers}"


@contextmanager
def fake_server(*flags: str) -> Iterator[FakeTelegramClient]:
    """The fake Bot API server in its own process on a free port on 127.0.0.1."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakebot", "--port", "0", *flags],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"the fake server did not start: {line!r}")
        with FakeTelegramClient(line.rsplit(" ", 1)[1].strip()) as client:
            yield client
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


class TimedSender:
    """Wraps a sender to time each send (two perf_counter calls: negligible)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds: list[float] = []

    async def send(self, chat_id: int, html: str, *, preview: bool) -> None:
        started = time.perf_counter()
        await self.inner.send(chat_id, html, preview=preview)
        self.seconds.append(time.perf_counter() - started)


async def broadcast(client: FakeTelegramClient, db_path: Path, max_rate: float) -> dict[str, Any]:
    """Build the real Application, run one `send_due` over HTTP, return what happened."""
    settings = Settings(
        token=TOKEN,
        db_path=db_path,
        api_base_url=client.base_url,
        file_base_url=client.base_file_url,
        max_rate=max_rate,
        poll_seconds=3600,
    )
    app = build_application(settings)
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)  # wires the services and the Deliverer as in production
    deliverer: Deliverer = app.bot_data.services.deliverer
    timed = TimedSender(deliverer.sender)
    deliverer.sender = timed
    try:
        started = time.perf_counter()
        report = await deliverer.send_due()
        elapsed = time.perf_counter() - started
    finally:
        await app.post_shutdown(app)
        await app.shutdown()
    return {"report": report, "seconds": elapsed, "send_seconds": timed.seconds}


def count_check(client: FakeTelegramClient, subscribers: int) -> tuple[int, int, int]:
    """(chats with exactly one message, chats with none, chats with more than one)."""
    counts = client.message_counts()
    chats = range(FIRST_CHAT, FIRST_CHAT + subscribers)
    per_chat = [counts.get(chat, 0) for chat in chats]
    return (
        sum(n == 1 for n in per_chat),
        sum(n == 0 for n in per_chat),
        sum(n > 1 for n in per_chat),
    )


def server_ceiling(client: FakeTelegramClient) -> float:
    """Bare aiohttp sendMessage requests/s against the server (tests.fakebot.loadtest)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fakebot.loadtest",
            client.url,
            "--requests",
            str(BASELINE_REQUESTS),
            "--concurrency",
            "64",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # "N sendMessage in S s: R requests/s, E errors"
    return float(proc.stdout.split(": ", 1)[1].split(" requests/s")[0])


def part_throughput(runs: int, subscribers: int, workdir: Path) -> None:
    rows: list[list[object]] = []
    rates: list[float] = []
    for run in range(1, runs + 1):
        with fake_server("--no-validate") as client:
            client.flood_off()
            path = fresh_db(workdir, f"throughput{run}", subscribers)
            result = asyncio.run(broadcast(client, path, max_rate=100_000))
            report: Report = result["report"]
            once, lost, twice = count_check(client, subscribers)
            rate = report.sent / result["seconds"]
            rates.append(rate)
            p50, p95 = p50_p95([s * 1000 for s in result["send_seconds"]])
            rows.append(
                [
                    f"bot run {run}",
                    report.sent,
                    result["seconds"],
                    rate,
                    p50,
                    p95,
                    f"{once} once, {lost} lost, {twice} twice",
                    ledger_check(path, subscribers),
                ]
            )
            if run == runs:
                client.reset()
                ceiling = server_ceiling(client)
                rows.append(
                    [
                        "baseline: bare aiohttp, no bot",
                        BASELINE_REQUESTS,
                        BASELINE_REQUESTS / ceiling,
                        ceiling,
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    rows.insert(runs, ["bot median", "", "", statistics.median(rates), "", "", "", ""])
    print_table(
        f"(a) throughput: {subscribers:,} due subscribers, fake server --no-validate, no limits"
        " (target >= 1,000 messages/s)",
        [*SEND_COLUMNS, "per chat", "ledger"],
        rows,
    )


def part_flood(subscribers: int, workdir: Path, max_rate: float) -> None:
    with fake_server("--no-validate", "--flood") as client:
        path = fresh_db(workdir, "flood", subscribers)
        result = asyncio.run(broadcast(client, path, max_rate=max_rate))
        report: Report = result["report"]
        once, lost, twice = count_check(client, subscribers)
        stats = client.stats()
    p50, p95 = p50_p95([s * 1000 for s in result["send_seconds"]])
    print_table(
        f"(b) under Telegram's limits: {subscribers:,} subscribers, server --flood (30/s, 1/s a"
        f" chat), bot max_rate {max_rate:g} (target: 0 lost, 0 duplicates, >= 27 messages/s)",
        [
            *SEND_COLUMNS,
            "lost",
            "duplicates",
            "429s",
            "ledger",
        ],
        [
            [
                "flood run",
                once,
                result["seconds"],
                report.sent / result["seconds"],
                p50,
                p95,
                lost,
                twice,
                stats.get("rejected_429", 0),
                ledger_check(path, subscribers),
            ]
        ],
    )


class NoopSender:
    """Accepts every message at once; keeps nothing."""

    count = 0

    async def send(self, chat_id: int, html: str, *, preview: bool) -> None:
        self.count += 1


async def memory_broadcast(path: Path) -> tuple[Report, float, int]:
    db = open_db(path)
    try:
        sender = NoopSender()
        started = time.perf_counter()
        report = await Deliverer(db, sender).send_due()
        return report, time.perf_counter() - started, sender.count
    finally:
        db.close()


def part_memory(subscribers: int, workdir: Path) -> None:
    path = fresh_db(workdir, "memory", subscribers)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report, seconds, sent = asyncio.run(memory_broadcast(path))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    check = ledger_check(path, subscribers)
    path.unlink()
    path = fresh_db(workdir, "memory-traced", subscribers)
    tracemalloc.start()
    asyncio.run(memory_broadcast(path))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print_table(
        f"(c) memory: {subscribers:,} subscribers through the Deliverer, no-op in-process sender"
        " (no HTTP), streamed from SQLite in batches (target < 300 MB)",
        [
            "run",
            "messages",
            "seconds",
            "messages/s",
            "peak RSS MB",
            "RSS before MB",
            "tracemalloc peak MB",
            "ledger",
        ],
        [
            [
                "memory run",
                sent,
                seconds,
                report.sent / seconds,
                rss_after,
                rss_before,
                traced_peak / 2**20,
                check,
            ]
        ],
    )


def main() -> None:
    parser = bench_parser("bench_digests", __doc__)
    parser.add_argument("--part", choices=["throughput", "flood", "memory", "all"], default="all")
    parser.add_argument("--runs", type=int, default=3, help="throughput runs (default 3)")
    parser.add_argument("--subscribers", type=int, default=None, help="override the count")
    parser.add_argument(
        "--max-rate",
        type=float,
        default=Settings().max_rate,
        help="the bot's overall rate in part flood (default: the bot's default)",
    )
    args = parser.parse_args()
    print(f"bench_digests: {machine_load()}")
    with tempfile.TemporaryDirectory(prefix="bench-digests-") as tmp:
        workdir = Path(tmp)
        # Memory first: ru_maxrss is the process's peak ever, so nothing may run before it.
        if args.part in ("memory", "all"):
            part_memory(args.subscribers or MEMORY_SUBSCRIBERS, workdir)
        if args.part in ("throughput", "all"):
            part_throughput(args.runs, args.subscribers or THROUGHPUT_SUBSCRIBERS, workdir)
        if args.part in ("flood", "all"):
            part_flood(args.subscribers or FLOOD_SUBSCRIBERS, workdir, args.max_rate)
    print(f"\nafter: {machine_load()}")


if __name__ == "__main__":
    main()
