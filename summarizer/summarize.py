"""Extractive news summaries: which sentences of an article to show, in article order.

`summarize` parses text with sumy's `PlaintextParser` (with the data-free
`NewsTokenizer`) and ranks sentences with `NewsSummarizer`, a sumy
`AbstractSummarizer` that combines the signals that matter for news. Pure; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sumy.parsers.plaintext import PlaintextParser
from sumy.utils import get_stop_words

from summarizer.ranking import NewsSummarizer, Weights
from summarizer.sentences import NewsTokenizer, split_sentences

# Bump whenever the sentences chosen for the same input may change.
ALGORITHM_VERSION = "1"

LANGUAGE = "english"


class _PresplitTokenizer(NewsTokenizer):
    """Reads each paragraph as one sentence: `summarize` lays out one sentence a paragraph."""

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)


TOKENIZER = _PresplitTokenizer(LANGUAGE)
SUMMARIZER = NewsSummarizer(get_stop_words(LANGUAGE))

# News-agency datelines glued to the first sentence: "(CNN)", "LONDON (Reuters) -".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .,]*\s)?\((?:CNN|Reuters|AP|AFP|The [\w ]+)\)\s*(?:--?|—)?\s*"
)


@dataclass(frozen=True)
class Summary:
    """An extractive summary: sentences of the article, in article order."""

    sentences: list[str]


def summarize(
    text: str, *, title: str | None = None, sentences: int = 3, weights: Weights | None = None
) -> Summary:
    """Pick the sentences that best summarize a news article.

    Args:
        text: the article body as plain text (paragraphs separated by blank lines).
        title: the headline, if known; sentences that share its words rank higher.
        sentences: how many sentences at most.
        weights: the ranking's weights; the tuned defaults when None.

    Returns:
        At most `sentences` sentences, in article order. Empty text gives an
        empty summary; a text shorter than `sentences` gives all of it.
    """
    if sentences <= 0 or not text.strip():
        return Summary([])
    parser = PlaintextParser.from_string(_one_sentence_a_line(text), TOKENIZER)
    document = parser.document
    title_words = TOKENIZER.to_words(title) if title else ()
    chosen = SUMMARIZER(document, sentences, title_words=title_words, weights=weights)
    picked = [str(s) for s in chosen]
    if not picked:
        # Text sumy reads as headings only (all upper case): its first sentences.
        picked = split_sentences(text)[:sentences]
    return Summary([_strip_dateline(s) for s in picked])


def _one_sentence_a_line(text: str) -> str:
    """Lay text out one sentence a paragraph, so the text is split only once and
    PlaintextParser keeps the line-break boundaries (it joins a paragraph's lines)."""
    return "\n\n".join(split_sentences(text))


def _strip_dateline(sentence: str) -> str:
    stripped = _DATELINE.sub("", sentence, count=1)
    return stripped or sentence
