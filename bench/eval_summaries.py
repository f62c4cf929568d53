"""Score `summarize` against LEAD-3 and sumy's summarizers; write the README table.

usage: python -m bench.eval_summaries [--quick]

Reads ../shared/eval (next to the repository) and exits 0 with a message when it
is absent. Scoring follows ../shared/eval/README.md: rouge-score's ROUGE-1, ROUGE-2
and ROUGE-Lsum F1 with the Porter stemmer, sentences joined by newlines, the mean
over articles x100. CNN/DM summaries have 3 sentences; BBC ones as many as the
reference. Every system reads sentences from the same data-free splitter, so
LEAD-3 is the first three sentences `split_sentences` finds. ms/article is the
median over articles of one warm call each: every system summarizes all articles
once for the scores (filling caches, doing imports), then once more timed.
`--quick` scores the sumy baselines on the first 100 BBC articles only and leaves
the README alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from bench.common import EVAL, README, eval_missing, load_jsonl, write_readme_section
from summarizer.sentences import NewsTokenizer, split_sentences
from summarizer.summarize import summarize

SECTION = "summaries"  # README.md's <!-- eval:summaries --> markers
COMMAND = "python -m bench.eval_summaries"
QUICK_BBC = 100

Article = dict[str, Any]
System = Callable[[Article, int], list[str]]


def ours(article: Article, n: int) -> list[str]:
    return summarize(article["text"], title=article.get("title"), sentences=n).sentences


def lead(article: Article, n: int) -> list[str]:
    return split_sentences(article["text"])[:n]


def sumy_system(cls: type) -> System:
    """A sumy summarizer with the English stemmer and stop words, on our tokenizer."""
    tokenizer = NewsTokenizer("english")
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(article: Article, n: int) -> list[str]:
        parser = PlaintextParser.from_string(article["text"], tokenizer)
        return [str(s) for s in summarizer(parser.document, n)]

    return run


SYSTEMS: dict[str, System] = {
    "newsdigest `summarize`": ours,
    "LEAD-3 / LEAD-n": lead,
    "sumy LexRank": sumy_system(LexRankSummarizer),
    "sumy TextRank": sumy_system(TextRankSummarizer),
    "sumy LSA": sumy_system(LsaSummarizer),
    "sumy Luhn": sumy_system(LuhnSummarizer),
    "sumy SumBasic": sumy_system(SumBasicSummarizer),
    "sumy KL": sumy_system(KLSummarizer),
}


def evaluate(system: System, articles: list[Article], count: Callable[[Article], int]) -> str:
    """Return a table row's figures: mean ROUGE-1/2/Lsum F1 x100 and median warm ms/article."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    for article in articles:
        picked = system(article, count(article))
        scores = scorer.score("\n".join(article["reference"]), "\n".join(picked))
        for key in totals:
            totals[key] += scores[key].fmeasure
    # Timed apart from scoring, once caches are warm: a mean over first calls
    # measured imports and cold caches, not what a running bot spends.
    elapsed = []
    for article in articles:
        n = count(article)
        t0 = time.perf_counter()
        system(article, n)
        elapsed.append(time.perf_counter() - t0)
    n_articles = len(articles)
    r1, r2, rl = (100 * totals[k] / n_articles for k in ("rouge1", "rouge2", "rougeLsum"))
    return f"{r1:.2f} | {r2:.2f} | {rl:.2f} | {1000 * statistics.median(elapsed):.2f}"


def dataset_table(title: str, articles: list[Article], count: Callable[[Article], int]) -> str:
    lines = [
        f"{title}",
        "",
        "| system | R1 | R2 | RLsum | ms/article (median, warm) |",
        "|---|---|---|---|---|",
    ]
    for name, system in SYSTEMS.items():
        lines.append(f"| {name} | {evaluate(system, articles, count)} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer BBC articles; no README")
    args = parser.parse_args(argv)
    if eval_missing("cnndm-dev.jsonl", "bbc-dev.jsonl"):
        return 0
    cnndm = load_jsonl(EVAL / "cnndm-dev.jsonl")
    bbc = load_jsonl(EVAL / "bbc-dev.jsonl")
    if args.quick:
        bbc = bbc[:QUICK_BBC]
    load = os.getloadavg()[0]
    tables = [
        dataset_table(
            f"CNN/DailyMail dev ({len(cnndm)} articles, 3 sentences):", cnndm, lambda a: 3
        ),
        dataset_table(
            f"BBC News dev ({len(bbc)} articles, as many sentences as the reference;"
            " a sanity check, its references look machine-selected):",
            bbc,
            lambda a: len(a["reference"]),
        ),
    ]
    section = "\n\n".join(
        [
            "Extractive summaries scored as `../shared/eval/README.md` says (ROUGE F1 x100,"
            " rouge-score with stemming). All systems use the same sentence splitter."
            " ms/article is the median over articles of the wall time of one warm call"
            " (splitting plus ranking on one core, after a first pass over all articles"
            f" has filled caches); load average {load:.1f} on {os.cpu_count()} cores"
            " at the start. `python -m bench.bench_summarizer` times ours and the"
            " baseline more carefully.",
            *tables,
            f"Made by `{COMMAND}` (`make eval`).",
        ]
    )
    if not args.quick and write_readme_section(SECTION, section):
        print(f"wrote {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
