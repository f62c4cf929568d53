"""Time `summarize` (splitting included) per CNN/DM article and on a 5,000-sentence text.

usage: python -m bench.bench_summarizer

Compares, in the same run, sumy's LexRank on pysbd sentences (the obvious
off-the-shelf choice) and the splitters alone. Each figure is the median over
articles of the best of REPEATS runs, so other load on the machine inflates it
less. Targets: <= 2 ms per article; the 5,000-sentence text within 1 s.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from summarizer.sentences import split_sentences
from summarizer.summarize import summarize

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval"
REPEATS = 3
LONG_SENTENCES = 5_000


def median_ms(run: Callable[[str], object], texts: list[str], repeats: int = REPEATS) -> float:
    times = []
    for text in texts:
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            run(text)
            best = min(best, time.perf_counter() - t0)
        times.append(best * 1000)
    return statistics.median(times)


def lexrank_on_pysbd() -> Callable[[str], object]:
    """sumy LexRank over pysbd sentences, the off-the-shelf pipeline to compare against."""
    import pysbd
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from summarizer.sentences import NewsTokenizer

    segmenter = pysbd.Segmenter(language="en", clean=False)
    tokenizer = NewsTokenizer("english")
    lexrank = LexRankSummarizer(Stemmer("english"))
    lexrank.stop_words = get_stop_words("english")

    def run(text: str) -> object:
        sentences = [Sentence(s, tokenizer) for s in segmenter.segment(text) if s.strip()]
        return lexrank(ObjectDocumentModel([Paragraph(sentences)]), 3)

    return run


def long_text(sentences: list[str]) -> str:
    """A text of LONG_SENTENCES sentences, built by repeating real ones."""
    return " ".join(sentences[i % len(sentences)] for i in range(LONG_SENTENCES))


def main() -> int:
    if not EVAL.is_dir():
        print(f"skipped: no evaluation data at {EVAL.resolve()}")
        return 0
    with (EVAL / "cnndm-dev.jsonl").open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    for text in texts:  # warm the stemmer cache and imports, as a running bot would be
        summarize(text)
    ours = median_ms(summarize, texts)
    split = median_ms(split_sentences, texts)
    lexrank = median_ms(lexrank_on_pysbd(), texts, repeats=1)
    print(f"CNN/DM dev, {len(texts)} articles, median ms/article (best of {REPEATS}):")
    print(f"  summarize (split + rank)    {ours:7.2f}   target <= 2")
    print(f"  split_sentences alone       {split:7.2f}")
    print(f"  sumy LexRank on pysbd       {lexrank:7.2f}   ({lexrank / ours:.0f}x slower)")
    sentences = [s for text in texts for s in split_sentences(text)]
    for n in (LONG_SENTENCES // 4, LONG_SENTENCES):
        text = long_text(sentences)[: len(long_text(sentences)) * n // LONG_SENTENCES]
        t0 = time.perf_counter()
        summarize(text)
        print(f"  {n:,}-sentence text          {time.perf_counter() - t0:7.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
