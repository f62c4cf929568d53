"""Ingest 1,000 plain-text articles in one process: parse_text + store_article (summarizing).

usage: python -m bench.bench_ingest [--articles N] [--seed S]

The articles are the bundled samples (bot/samples/*.txt) varied: paragraphs shuffled and
mixed between samples, names, places and numbers replaced, so no two are duplicates and
the store's dedup never short-cuts the work. Each goes the real path into a fresh
database: `parse_text`, then `bot.library.store_article` (summarize, key quotes, insert
with FTS). Target: all 1,000 in under 10 s. Baseline in the same run: `parse_text` alone
and `summarize_article` alone over the same texts, to show where the time goes.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from pathlib import Path

from bench.timing import bench_parser, machine_load, p50_p95, print_table
from bot.library import store_article, summarize_article
from ingest.text import parse_text
from storage import article_count, open_db

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"
ARTICLES = 1_000
TARGET_SECONDS = 10.0

FIRST = (
    "Ana",
    "Pieter",
    "Grace",
    "Tomás",
    "Helena",
    "Yusuf",
    "Mei",
    "Olga",
    "Kwame",
    "Lena",
    "Rafael",
    "Ingrid",
    "Samir",
    "Chloe",
    "Dmitri",
    "Aisha",
    "Jonas",
    "Priya",
    "Mateo",
)
LAST = (
    "Ruiz",
    "Vos",
    "Adeyemi",
    "Reyes",
    "Marsh",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Novak",
    "Haddad",
    "Brennan",
    "Kowalski",
    "Moreau",
    "Osei",
    "Varga",
    "Castillo",
    "Fischer",
)
PLACES = (
    "Riverton",
    "Harbour City",
    "Eastvale",
    "Millbrook",
    "Larkspur",
    "Northgate",
    "Ashford",
    "Kingsmere",
    "Westbury",
    "Elmstead",
    "Stonebridge",
    "Fairhaven",
)
SYLLABLES = ("ka", "lo", "mer", "vin", "ta", "ros", "el", "dun", "bra", "ith", "sol", "gar")
_NUMBER = re.compile(r"\b\d+\b")
_CAPITALIZED = re.compile(r"\b[A-Z][a-z]{3,}\b")


def load_samples() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each bundled sample."""
    samples = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        samples.append((lines[0], lines[1:]))
    return samples


def _coined(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_texts(count: int, seed: int = 1) -> list[str]:
    """`count` distinct plain-text articles varied from the samples (deterministic per seed)."""
    rng = random.Random(seed)
    samples = load_samples()
    texts = []
    for n in range(count):
        title, paragraphs = samples[n % len(samples)]
        other = samples[rng.randrange(len(samples))][1]
        keep = 2 if paragraphs[0].startswith("By ") else 1  # byline and lede stay on top
        body = paragraphs[:keep] + rng.sample(paragraphs[keep:], k=len(paragraphs) - keep)
        body += rng.sample(other[1:], k=min(2, len(other) - 1))  # mix in a neighbour's paragraphs
        names = {
            word: rng.choice([*PLACES, _coined(rng)])
            for word in ("Riverton", "Harbour", "Larkspur", "Eastvale")
        }
        names.update({f: rng.choice(FIRST) for f in ("Ana", "Pieter", "Grace", "Helena")})
        names.update({s: rng.choice(LAST) for s in ("Ruiz", "Vos", "Adeyemi", "Marsh")})

        topic = _coined(rng)
        lines = [f"{title}: {topic} {n}", *body]
        texts.append("\n".join(_vary(line, names, rng) for line in lines))
    return texts


def _vary(text: str, names: dict[str, str], rng: random.Random) -> str:
    text = _CAPITALIZED.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    return _NUMBER.sub(lambda m: str(max(1, int(m.group(0)) + rng.randint(-9, 9))), text)


def main() -> None:
    parser = bench_parser("bench_ingest", __doc__)
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"bench_ingest: {machine_load()}")
    texts = make_texts(args.articles, args.seed)

    parse_ms = []
    for text in texts:
        started = time.perf_counter()
        parse_text(text)
        parse_ms.append((time.perf_counter() - started) * 1000)
    summarize_ms = []
    for article in (parse_text(text) for text in texts):
        started = time.perf_counter()
        summarize_article(article.title, article.body)
        summarize_ms.append((time.perf_counter() - started) * 1000)

    per_article = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        db = open_db(Path(tmp) / "ingest.db")
        started = time.perf_counter()
        for text in texts:
            one = time.perf_counter()
            store_article(db, parse_text(text))
            per_article.append((time.perf_counter() - one) * 1000)
        total = time.perf_counter() - started
        stored = article_count(db)
        db.close()

    rows: list[list[object]] = []
    for name, values in (
        ("parse_text + store_article (the ingest)", per_article),
        ("baseline: parse_text alone", parse_ms),
        ("baseline: summarize_article alone", summarize_ms),
    ):
        p50, p95 = p50_p95(values)
        rows.append([name, len(values), sum(values) / 1000, p50, p95])
    rows[0][2] = total
    print_table(
        f"ingest: {args.articles:,} varied plain-text articles into a fresh database"
        f" (target < {TARGET_SECONDS:g} s in total); {stored:,} stored",
        ["what", "articles", "total s", "per article p50 ms", "p95 ms"],
        rows,
    )
    print(f"\nafter: {machine_load()}")


if __name__ == "__main__":
    main()
