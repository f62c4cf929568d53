"""Score `summarize` against LEAD-3 and sumy's summarizers; write the README table.

usage: python -m bench.eval_summaries [--quick]

Reads ../shared/eval (next to the repository) and exits 0 with a message when it
is absent. Scoring follows ../shared/eval/README.md: rouge-score's ROUGE-1, ROUGE-2
and ROUGE-Lsum F1 with the Porter stemmer, sentences joined by newlines, the mean
over articles x100. CNN/DM summaries have 3 sentences; BBC ones as many as the
reference. Every system reads sentences from the same data-free splitter, so
LEAD-3 is the first three sentences `split_sentences` finds. `--quick` scores
the sumy baselines on the first 100 BBC articles only and leaves the README alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
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

from summarizer.sentences import NewsTokenizer, split_sentences
from summarizer.summarize import summarize

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval"
README = ROOT / "README.md"
BEGIN, END = "<!-- eval:summaries -->", "<!-- /eval:summaries -->"
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


def load(path: Path) -> list[Article]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(system: System, articles: list[Article], count: Callable[[Article], int]) -> str:
    """Return a table row's figures: mean ROUGE-1/2/Lsum F1 x100 and ms/article."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    elapsed = 0.0
    for article in articles:
        t0 = time.perf_counter()
        picked = system(article, count(article))
        elapsed += time.perf_counter() - t0
        scores = scorer.score("\n".join(article["reference"]), "\n".join(picked))
        for key in totals:
            totals[key] += scores[key].fmeasure
    n = len(articles)
    r1, r2, rl = (100 * totals[k] / n for k in ("rouge1", "rouge2", "rougeLsum"))
    return f"{r1:.2f} | {r2:.2f} | {rl:.2f} | {1000 * elapsed / n:.2f}"


def dataset_table(title: str, articles: list[Article], count: Callable[[Article], int]) -> str:
    lines = [f"{title}", "", "| system | R1 | R2 | RLsum | ms/article |", "|---|---|---|---|---|"]
    for name, system in SYSTEMS.items():
        lines.append(f"| {name} | {evaluate(system, articles, count)} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + section + "\n" + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer BBC articles; no README")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"skipped: no evaluation data at {EVAL.resolve()}")
        return 0
    cnndm = load(EVAL / "cnndm-dev.jsonl")
    bbc = load(EVAL / "bbc-dev.jsonl")
    if args.quick:
        bbc = bbc[:QUICK_BBC]
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
            " rouge-score with stemming). All systems use the same sentence splitter;"
            " ms/article is wall time for splitting plus ranking on one core.",
            *tables,
            f"Made by `{COMMAND}` (`make eval`).",
        ]
    )
    if not args.quick:
        write_readme(section)
        print(f"wrote {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
