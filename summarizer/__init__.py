"""Pure text: sentence splitting, extractive summaries (on sumy), key quotes.

Contract: no I/O and no imports from the rest of the project. Inputs are plain
strings; outputs are plain data. Nothing here downloads data or models.
"""

from summarizer.quotes import Quote, extract_quotes, key_quotes
from summarizer.sentences import split_sentences
from summarizer.summarize import ALGORITHM_VERSION, Summary, summarize

__all__ = [
    "ALGORITHM_VERSION",
    "Quote",
    "Summary",
    "extract_quotes",
    "key_quotes",
    "split_sentences",
    "summarize",
]
