"""`NewsSummarizer`: a sumy summarizer that ranks news sentences by several signals.

Signals, each scaled to 0..1 within the article:

- position: news is written as an inverted pyramid, so early sentences matter more;
- centrality, position-aware as in PACSUM (Zheng & Lapata 2019): similarity to the
  sentences after a sentence counts for it, similarity to those before against it.
  Sums of cosine similarities are dot products with running sums of the unit
  sentence vectors, so the whole ranking is linear in the article's length;
- overlap with the title, when there is one;
- length: very short and very long sentences make poor summary lines;
- non-content sentences (bylines, "Scroll down for video", questions to the
  reader, quotes with nobody saying them) are dropped unless nothing else is left.

Selection is greedy by score with redundancy removal (MMR-style): a sentence too
similar to one already chosen is skipped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import mul, truediv
from typing import Any

from sumy.nlp.stemmers import Stemmer
from sumy.summarizers._summarizer import AbstractSummarizer

Vector = dict[str, float]

# Lines that are page furniture, not news: bylines, video prompts, credits.
_NON_CONTENT_START = re.compile(
    r"(?i)(?:by|published|updated)\b[ .:]|(?:read more|follow|watch|video|photo|see also)\b"
)
_NON_CONTENT_PHRASES = ("scroll down", "click here", "contributed to this report", "@")
_QUOTE_OPEN = "\"'“‘"


@dataclass(frozen=True)
class Weights:
    """The weights of the ranking signals (tuned on CNN/DM dev, see bench/)."""

    position: float = 1.0
    position_decay: float = 0.3
    centrality: float = 0.8
    backward: float = -0.3
    title: float = 1.0
    min_words: int = 12
    max_words: int = 40
    redundancy: float = 0.5


DEFAULT_WEIGHTS = Weights()


STEMMER: Callable[[str], str] = Stemmer("english")

# Words whose terms are remembered; news repeats words, and Snowball stemming is
# the slowest step of turning words into terms. Past this the memory starts over.
TERM_CACHE_SIZE = 200_000


def _stem(word: str) -> str:
    return STEMMER(word.lower())


class _TermCache(dict[str, str | None]):
    """Word -> its stemmed term, or None for a stop word; computed on first sight.

    A dict with `__missing__` lets `map(cache.__getitem__, words)` turn words into
    terms with no Python-level loop; the stop-word test and stemming run once per
    distinct word.
    """

    def __init__(self, stop_words: frozenset[str]) -> None:
        super().__init__()
        self._stop_words = stop_words

    def __missing__(self, word: str) -> str | None:
        if len(self) >= TERM_CACHE_SIZE:
            self.clear()
        low = word.lower()
        term = None if low in self._stop_words else STEMMER(low)
        self[word] = term
        return term


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]  # sumy is untyped
    """Rank sentences by position, centrality, title overlap and length."""

    def __init__(self, stop_words: Iterable[str]) -> None:
        super().__init__(_stem)
        self._stop_words = frozenset(w.lower() for w in stop_words)
        self._term_of = _TermCache(self._stop_words)

    def __call__(
        self,
        document: Any,
        sentences_count: int,
        *,
        title_words: Sequence[str] = (),
        weights: Weights | None = None,
    ) -> tuple[Any, ...]:
        """Return the best `sentences_count` sentences of a sumy document, in order."""
        w = weights or DEFAULT_WEIGHTS
        sentences = document.sentences
        if not sentences:
            return ()
        # sumy's `Sentence.words` is a cached property with a few calls of overhead
        # a read: read each once.
        words = [s.words for s in sentences]
        vectors = _unit_tfidf([self._terms(ws) for ws in words])
        texts = [str(s) for s in sentences]
        scores = _scores(texts, words, vectors, _unit(self._terms(title_words)), w)
        chosen: list[int] = []
        # Sorting with reverse=True keeps equal scores in article order.
        for i in sorted(range(len(sentences)), key=scores.__getitem__, reverse=True):
            if len(chosen) == sentences_count:
                break
            if any(_dot(vectors[i], vectors[j]) > w.redundancy for j in chosen):
                continue
            chosen.append(i)
        return tuple(sentences[i] for i in sorted(chosen))

    def _terms(self, words: Iterable[str]) -> Counter[str]:
        """Count the stemmed terms of words, stop words left out, in first-seen order."""
        # Stop words map to None; no word stems to "" (Snowball only removes
        # suffixes after a word's first vowel-consonant pair), so filter(None)
        # drops exactly the stop words.
        return Counter(filter(None, map(self._term_of.__getitem__, words)))


def _scores(
    texts: Sequence[str],
    words: Sequence[Sequence[str]],
    vectors: list[Vector],
    title_vector: Vector,
    w: Weights,
) -> list[float]:
    forward, backward = _directed_centrality(vectors)
    top = max(max(forward, default=0.0), 1e-9)
    scores: list[float] = []
    for i, text in enumerate(texts):
        n_words = len(words[i])
        score = w.position / (1.0 + i) ** w.position_decay
        score += w.centrality * (forward[i] + w.backward * backward[i]) / top
        if title_vector:
            score += w.title * _dot(vectors[i], title_vector)
        if n_words < w.min_words:
            score *= n_words / w.min_words
        elif n_words > w.max_words:
            score *= w.max_words / n_words
        if _is_non_content(text):
            score -= 10.0
        scores.append(score)
    return scores


def _is_non_content(text: str) -> bool:
    """Tell whether a sentence is page furniture or cannot stand alone in a summary."""
    if text.endswith(("?", '?"')) or _NON_CONTENT_START.match(text):
        return True
    lower = text.lower()
    if any(phrase in lower for phrase in _NON_CONTENT_PHRASES):
        return True
    # A bare quote: opens with a quotation mark and names nobody saying it.
    return text[:1] in _QUOTE_OPEN and text[-1:] in _QUOTE_OPEN + "”’"


# Where it is faster, the vector arithmetic below runs in `map` and `sum` rather
# than Python loops, adding in the same order as a loop would, so scores stay
# bit-for-bit the same.


def _unit(bag: Counter[str], idf: dict[str, float] | None = None) -> Vector:
    """Scale a bag of terms (weighted by idf, when given) to a unit vector."""
    if idf is None:
        weighted = [c * 1.0 for c in bag.values()]
    else:
        weighted = list(map(mul, bag.values(), map(idf.__getitem__, bag)))
    norm = math.sqrt(sum(map(mul, weighted, weighted)))
    return dict(zip(bag, map(truediv, weighted, repeat(norm)), strict=True)) if norm else {}


def _unit_tfidf(bags: list[Counter[str]]) -> list[Vector]:
    df = Counter(chain.from_iterable(bags))
    n = len(bags)
    # A term's idf depends only on its document frequency: one log per frequency
    # up to the largest (tens) rather than one per term (hundreds).
    idf_of_df = [0.0] + [
        math.log((n + 1) / d) + 1.0 for d in range(1, max(df.values(), default=0) + 1)
    ]
    idf = dict(zip(df, map(idf_of_df.__getitem__, df.values()), strict=True))
    return [_unit(bag, idf) for bag in bags]


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    total: float = sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))
    return total


def _directed_centrality(vectors: list[Vector]) -> tuple[list[float], list[float]]:
    """Sum each sentence's cosine similarity to the sentences after and before it."""
    # Plain loops: with a dozen terms a sentence, `map` over these dicts is slower.
    total: Vector = {}
    total_get = total.get
    for v in vectors:
        for t, x in v.items():
            total[t] = total_get(t, 0.0) + x
    before: Vector = {}
    before_get = before.get
    forward: list[float] = []
    backward: list[float] = []
    for v in vectors:
        back = 0.0
        with_total = 0.0
        for t, x in v.items():
            b = before_get(t, 0.0)
            back += x * b
            with_total += x * total[t]
            before[t] = b + x
        # A unit vector's similarity to itself is 1; an empty one's is 0.
        forward.append(with_total - back - (1.0 if v else 0.0))
        backward.append(back)
    return forward, backward
