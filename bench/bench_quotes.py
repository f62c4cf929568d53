"""Time `extract_quotes` per CNN/DM article, on long texts, and on 2 MB of quotes.

usage: python -m bench.bench_quotes

Reports the median ms/article on ../shared/eval/cnndm-dev.jsonl (each article the
best of REPEATS runs), then a linearity check: the CNN/DM article with the most
quotes repeated x1, x10 and x100, with the time per 1,000 quotes at each scale
(flat when the time is linear in length), and the 2 MB text of bare quotes that
issue 4 names as bad input. Skips with a message when ../shared/eval is absent.
Targets (issue 4): median <= 1 ms per article, time linear in length.
"""

from __future__ import annotations

import os
import sys
from functools import partial

from bench.common import EVAL, best_ms, eval_missing, load_jsonl, median_ms
from summarizer.quotes import extract_quotes

REPEATS = 3
SCALES = (1, 10, 100)
TWO_MB = '"a" "bb, " he said. ' * (2_000_000 // 20)


def main() -> int:
    if eval_missing("cnndm-dev.jsonl"):
        return 0
    texts = [a["text"] for a in load_jsonl(EVAL / "cnndm-dev.jsonl")]
    print(f"load average {os.getloadavg()[0]:.2f} (other processes inflate the times)")
    median = median_ms(extract_quotes, texts, REPEATS)
    print(f"median over {len(texts)} CNN/DM articles: {median:.3f} ms/article (target <= 1)")

    base = max(texts, key=lambda t: len(extract_quotes(t)))
    print(f"linearity: the article with most quotes ({len(base):,} chars) repeated")
    for scale in SCALES:
        text = "\n\n".join([base] * scale)
        quotes = len(extract_quotes(text))
        ms = best_ms(partial(extract_quotes, text), 1 if scale == SCALES[-1] else REPEATS)
        print(
            f"  x{scale:<4} {len(text):>10,} chars {quotes:>7,} quotes {ms:>9.1f} ms "
            f"{ms / quotes * 1000:>7.1f} ms per 1,000 quotes"
        )
    quotes = len(extract_quotes(TWO_MB))
    ms = best_ms(partial(extract_quotes, TWO_MB), 1)
    print(f"2 MB of bare quotes: {quotes:,} quotes in {ms / 1000:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
