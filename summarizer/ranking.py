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
from functools import lru_cache
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


@lru_cache(maxsize=200_000)  # Snowball stemming is the slowest step; news repeats words
def _stem(word: str) -> str:
    return STEMMER(word.lower())


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]  # sumy is untyped
    """Rank sentences by position, centrality, title overlap and length."""

    def __init__(self, stop_words: Iterable[str]) -> None:
        super().__init__(_stem)
        self._stop_words = frozenset(w.lower() for w in stop_words)

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
        bags = [self._terms(s.words) for s in sentences]
        vectors = _unit_tfidf(bags)
        scores = self._scores(sentences, bags, vectors, self._terms(title_words), w)
        chosen: list[int] = []
        for i in sorted(range(len(sentences)), key=lambda i: -scores[i]):
            if len(chosen) == sentences_count:
                break
            if any(_dot(vectors[i], vectors[j]) > w.redundancy for j in chosen):
                continue
            chosen.append(i)
        return tuple(sentences[i] for i in sorted(chosen))

    def _terms(self, words: Iterable[str]) -> Counter[str]:
        stop = self._stop_words
        return Counter([_stem(w) for w in words if w.lower() not in stop])

    def _scores(
        self,
        sentences: Sequence[Any],
        bags: list[Counter[str]],
        vectors: list[Vector],
        title: Counter[str],
        w: Weights,
    ) -> list[float]:
        forward, backward = _directed_centrality(vectors)
        title_vector = _unit(title)
        top = max(max(forward, default=0.0), 1e-9)
        scores: list[float] = []
        for i, sentence in enumerate(sentences):
            text = str(sentence)
            n_words = len(sentence.words)
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


def _unit(bag: Counter[str], idf: dict[str, float] | None = None) -> Vector:
    weighted = {t: c * (idf.get(t, 1.0) if idf else 1.0) for t, c in bag.items()}
    norm = math.sqrt(sum(v * v for v in weighted.values()))
    return {t: v / norm for t, v in weighted.items()} if norm else {}


def _unit_tfidf(bags: list[Counter[str]]) -> list[Vector]:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    idf = {t: math.log((n + 1) / d) + 1.0 for t, d in df.items()}
    return [_unit(bag, idf) for bag in bags]


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _directed_centrality(vectors: list[Vector]) -> tuple[list[float], list[float]]:
    """Sum each sentence's cosine similarity to the sentences after and before it."""
    total: Vector = {}
    for v in vectors:
        for t, x in v.items():
            total[t] = total.get(t, 0.0) + x
    before: Vector = {}
    forward: list[float] = []
    backward: list[float] = []
    for v in vectors:
        back = 0.0
        with_total = 0.0
        for t, x in v.items():
            back += x * before.get(t, 0.0)
            with_total += x * total[t]
            before[t] = before.get(t, 0.0) + x
        # A unit vector's similarity to itself is 1; an empty one's is 0.
        forward.append(with_total - back - (1.0 if v else 0.0))
        backward.append(back)
    return forward, backward
