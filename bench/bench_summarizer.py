"""Time `summarize` (splitting included) per CNN/DM article and on long texts.

usage: python -m bench.bench_summarizer

Reports, in one run, the median ms/article on ../shared/eval/cnndm-dev.jsonl of:
our split + summarize; our splitter alone; LEAD-3 on our splitter; pysbd alone;
and sumy's LexRank on pysbd sentences (the obvious off-the-shelf pipeline, the
baseline), with the speedup over it. pysbd comes with the `eval` extra; without
it those lines are skipped. Then the time for a text of 5,000 sentences and a
linearity line for 50, 500 and 5,000 sentences (x1, x10, x100).

Each article's figure is the best of REPEATS runs, and the systems take turns
article by article, so load from other processes on the machine inflates them
less and alike; the load average is printed with the results.
Targets (issue 3): <= 2 ms per article, >= 10x faster than the baseline,
5,000 sentences within 1 s, time linear in length.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable
from functools import partial

from bench.common import EVAL, best_ms, eval_missing, load_jsonl
from summarizer.sentences import NewsTokenizer, split_sentences
from summarizer.summarize import summarize

REPEATS = 5
LONG_SENTENCES = 5_000
SCALES = (1, 10, 100)  # x LONG_SENTENCES / 100 sentences

Run = Callable[[str], object]


def lead3(text: str) -> list[str]:
    """LEAD-3: the first three sentences our splitter finds."""
    return split_sentences(text)[:3]


def pysbd_runs() -> dict[str, Run]:
    """pysbd alone and sumy LexRank on pysbd sentences; empty without pysbd."""
    try:
        import pysbd
    except ImportError:
        print("pysbd is not installed (pip install -e '.[eval]'): baseline skipped")
        return {}
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    segmenter = pysbd.Segmenter(language="en", clean=False)
    tokenizer = NewsTokenizer("english")
    lexrank = LexRankSummarizer(Stemmer("english"))
    lexrank.stop_words = get_stop_words("english")

    def lexrank_on_pysbd(text: str) -> object:
        sentences = [Sentence(s, tokenizer) for s in segmenter.segment(text) if s.strip()]
        return lexrank(ObjectDocumentModel([Paragraph(sentences)]), 3)

    return {"pysbd alone": segmenter.segment, "sumy LexRank on pysbd": lexrank_on_pysbd}


def medians(runs: dict[str, Run], texts: list[str]) -> dict[str, float]:
    """Median over texts of each run's best-of-REPEATS ms, the runs taking turns per text."""
    for text in texts:  # warm caches and imports, as in a running bot
        for run in runs.values():
            run(text)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for text in texts:
        for name, run in runs.items():
            times[name].append(best_ms(partial(run, text), REPEATS))
    return {name: statistics.median(ms) for name, ms in times.items()}


def long_text(sentences: list[str], n: int) -> str:
    """A text of `n` sentences, real ones repeated in order."""
    return " ".join(sentences[i % len(sentences)] for i in range(n))


def main() -> int:
    if eval_missing("cnndm-dev.jsonl"):
        return 0
    texts = [a["text"] for a in load_jsonl(EVAL / "cnndm-dev.jsonl")]
    load = os.getloadavg()[0]
    ours: dict[str, Run] = {
        "summarize (split + rank)": summarize,
        "split_sentences alone": split_sentences,
        "LEAD-3 on split_sentences": lead3,
    }
    ms = medians({**ours, **pysbd_runs()}, texts)
    print(
        f"CNN/DM dev, {len(texts)} articles: median ms/article, best of {REPEATS} runs each"
        f" (load average {load:.1f} on {os.cpu_count()} cores at the start)"
    )
    for name, value in ms.items():
        print(f"  {name:<28}{value:8.2f}")
    split, summary = ms["split_sentences alone"], ms["summarize (split + rank)"]
    print(f"  target: summarize <= 2 ms: {'met' if summary <= 2 else 'MISSED'}")
    if "pysbd alone" in ms:
        baseline = ms["sumy LexRank on pysbd"]
        print(f"  split_sentences is {ms['pysbd alone'] / split:.0f}x faster than pysbd")
        print(
            f"  summarize is {baseline / summary:.0f}x faster than the baseline"
            f" (target >= 10x: {'met' if baseline >= 10 * summary else 'MISSED'})"
        )

    sentences = [s for text in texts for s in split_sentences(text)]
    scales = []
    for scale in SCALES:
        n = LONG_SENTENCES * scale // SCALES[-1]
        text = long_text(sentences, n)
        scales.append((scale, n, best_ms(partial(summarize, text), 3)))
    seconds = scales[-1][2] / 1000
    print("Long texts (real sentences repeated), best of 3 runs:")
    print(
        f"  {LONG_SENTENCES:,}-sentence text {seconds:.3f} s"
        f" (target < 1 s: {'met' if seconds < 1 else 'MISSED'})"
    )
    base = scales[0][2]
    print(
        "  linearity: "
        + "; ".join(f"x{s} ({n:,} sentences) {t:.1f} ms = x{t / base:.1f}" for s, n, t in scales)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
