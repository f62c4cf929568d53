"""Sentence splitting and word tokenization for news text, without downloaded data.

A purpose-built regex splitter: sumy's default `Tokenizer` needs NLTK's punkt
files (fetched from the internet), and pysbd costs about 15 ms per news article,
several times the whole summary budget. The measurements behind the choice are
in `bench/bench_summarizer.py` and the README.

Every candidate boundary (terminal punctuation, optional closing quotes, space)
is judged by the word before it and the character after it: abbreviations
(Mr., Sept., U.S.), initials and decimals do not end sentences; a lower-case
continuation never starts one. Line breaks separate headlines and list items.
Scraped text that lost a period (`crackdowns "In February...`, or a photo
caption run into the story: `from its peak A climber has...`) is split where a
lower-case word is followed by a typical sentence opener.
"""

from __future__ import annotations

import re


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Abbreviations that never end a sentence when a capital follows (titles, ranks).
TITLES = _word_set(
    "mr mrs ms messrs dr prof sen sens rep reps gov gen col lt sgt capt cmdr adm maj rev "
    "fr st hon pres supt det insp cpl pvt ft mt gov't no nos vs v cf e.g i.e ca approx "
    "fig figs vol vols ch pp p ph.d"
)
# Abbreviations that do not end a sentence before a number (Sept. 11, No. 10).
BEFORE_NUMBER = _word_set(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp art ch fig sec rt gen st"
)
# Words that open sentences; after an ambiguous abbreviation (U.S., a.m.) or a
# quote that lost its period, one of these means a new sentence starts.
OPENERS = _word_set(
    "a an the he she it they we i you his her its their our my this that these those "
    "there here but and so yet in on at for after before when while if as however "
    "meanwhile now then still also some many most one two three what who why how "
    "police officials authorities"
)
# Words before an opening quote that make it part of the same sentence.
QUOTE_LEADS = _word_set(
    "said says say told tell asked asks added adds wrote writes called calls dubbed named "
    "titled entitled read reads shouted yelled replied tweeted posted declared insisted "
    "explained warned the a an of in on at to for as by with from and or but was is were "
    "are be been being his her their its our my your like than that"
)

# Words after "7 p.m." that continue the sentence.
TIME_FOLLOWERS = _word_set(
    "ET EST EDT CT CST PT PST PDT GMT BST UTC CET local Monday Tuesday Wednesday Thursday "
    "Friday Saturday Sunday"
)
# Words after "A" that make it a label (Group A and, envelope A on), not a new sentence.
AFTER_LETTER = _word_set("and or on in at to of with for from by is was win beat has")

_CLOSERS = "\"'”’»)]"
# Capitalized words that open a sentence whose period was lost in scraping (the
# lower-case OPENERS above serve after abbreviations and quotes).
LOST_OPENERS = (
    *("A", "An", "The", "He", "She", "It", "They", "We", "I", "In", "But", "This"),
    *("However", "If", "When", "After"),
)
# Every boundary starts with terminal punctuation, a line break, or (for a lost
# period) the opening quote or first letter of a word in LOST_OPENERS. The pattern
# consumes that character first, so `re` skips straight to such characters (a
# leading character set is its fast search path) and the alternatives look behind
# at it. Trying every alternative at every character, as a pattern starting with
# alternatives does, was most of the split's time. So `(?<=T)he` is "The" with its
# T consumed, and a line break's match starts at the break, not at spaces before it.
_BOUNDARY = re.compile(
    r"""
    [.!?…\n"“FIRST]
    (?:
        (?<=[.!?…])                     # terminal punctuation (and spaced ellipses),
        (?P<end>(?<=\.)\s\.\s\.|[.!?…]*)  # `end` is its rest after the first character
        (?P<close>["'”’»)\]]*)          # closing quotes or brackets stay with the sentence
        (?P<space>\s+)
        (?=(?P<next>\S))
    |                                   # a lost period: a lower-case word, a space, then
        (?<=[a-z0-9][\x20\t]["“])       # an opening quote and a sentence opener,
        (?=(?P<quoted>OPENERS)\b)
    |
        (?<=[a-z0-9][\x20\t][FIRST])    # or a sentence opener and the word after it
        (?=(?P<opener_rest>OPENER_RESTS)\b(?:[\x20\t]+(?P<after>\S+))?)
    |
        (?<=\n)(?P<line>\s*)            # a line break not preceded by terminal punctuation
        (?=(?P<after_line>\S))
    )
    """.replace("FIRST", "".join(sorted({w[0] for w in LOST_OPENERS})))
    .replace("OPENER_RESTS", "|".join(f"(?<={w[0]}){w[1:]}" for w in LOST_OPENERS))
    .replace("OPENERS", "|".join(LOST_OPENERS)),
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"(\S+)$")
_LOWER_WORD = re.compile(r"[a-z0-9](?:.*[a-z0-9])?$")
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*+")
# The same words in ASCII text, a third faster: a character range is a bitmap
# test where `[^\W\d_]` looks up Unicode categories.
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:['\-][A-Za-z]+)*+")
_OPENING = "\"'“‘«([" + "-–—•*"


def _is_boundary_after_period(before: str, nxt: str, following: str) -> bool:
    """Tell whether `before.` followed by whitespace and `nxt...` ends a sentence."""
    word = before.lstrip(_OPENING).rstrip(_CLOSERS)
    low = word.lower()
    if nxt.isdigit():
        return low not in BEFORE_NUMBER
    if low in TITLES:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        # An initial (J. K. Rowling, George W. Bush) unless a sentence opener follows.
        return _first_word(following).lower() in OPENERS
    if _DOTTED.match(word):
        # U.S., U.K., a.m.: ambiguous; "in the U.S. The ..." ends, "U.S. President" does not.
        first = _first_word(following)
        if low in {"a.m", "p.m"}:
            return first not in TIME_FOLLOWERS
        return first.lower() in OPENERS
    return True


def _is_lost_boundary(text: str, start: int, opener: str, quoted: bool, after: str) -> bool:
    """Tell whether a sentence opener at `start`, after a lower-case word and a
    space, starts a sentence."""
    before = _WORD_BEFORE.search(text, max(0, start - 31), start - 1)
    prev = before.group(1) if before else ""
    if not _LOWER_WORD.match(prev) or prev in QUOTE_LEADS:
        return False
    if quoted:
        return opener.lower() in OPENERS
    # Unquoted: "so I believe", "vitamin A and" and "lampooned The Lawrence Welk
    # Show" are not boundaries.
    if opener == "I" or not after[:1].islower():
        return False
    return not (opener in {"A", "An"} and after in AFTER_LETTER)


def _first_word(text: str) -> str:
    match = _WORD.search(text, 0, 40)
    return match.group() if match else ""


def _boundaries(text: str) -> list[int]:
    """Return the offsets where sentences start (after the first one)."""
    starts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        # One `groups()` call instead of several `group(name)` calls: this loop
        # runs for every candidate boundary.
        end, close, space, nxt, quoted, opener_rest, after, line, after_line = m.groups()
        if line is not None:
            # A line break ends a headline or list item unless the next line
            # continues the sentence (hard-wrapped text).
            start = m.start()
            while start and text[start - 1] in " \t":
                start -= 1
            previous = text[start - 1 : start]
            if "\n\n" in m.group() or not (
                after_line.islower() or previous in {",", ";", "-", "–", "—", "(", ""}
            ):
                starts.append(m.end())
            continue
        if quoted is not None or opener_rest is not None:
            # The sentence starts at the quote or the opener: the match's start.
            start = m.start()
            opener = quoted or text[start] + opener_rest
            if _is_lost_boundary(text, start, opener, quoted is not None, after or ""):
                starts.append(start)
            continue
        if nxt.islower() or nxt in ",;:":
            continue
        if "\n\n" in space:
            starts.append(m.end())
            continue
        start = m.start()
        if not end and not close and text[start] == ".":
            word = _WORD_BEFORE.search(text, max(0, start - 30), start)
            following = text[m.end() : m.end() + 40]
            if word and not _is_boundary_after_period(word.group(1), nxt, following):
                continue
        starts.append(m.end())
    return starts


def split_sentences(text: str) -> list[str]:
    """Split text into sentences.

    Args:
        text: plain text; paragraphs separated by blank lines, headlines or list
            items by line breaks.

    Returns:
        The sentences, stripped, in order; no non-space character of `text` is
        dropped. Empty or blank text gives an empty list.
    """
    starts = [0, *_boundaries(text), len(text)]
    pieces = (text[a:b].strip() for a, b in zip(starts, starts[1:], strict=False))
    return [" ".join(p.split()) if "\n" in p else p for p in pieces if p]


def tokenize_words(sentence: str) -> tuple[str, ...]:
    """Return the words of a sentence (letters, inner apostrophes and hyphens)."""
    word = _ASCII_WORD if sentence.isascii() else _WORD
    return tuple(word.findall(sentence))


class NewsTokenizer:
    """A sumy tokenizer (`to_sentences`, `to_words`) that needs no NLTK data."""

    def __init__(self, language: str = "english") -> None:
        self._language = language

    @property
    def language(self) -> str:
        """The language name, as sumy's `Tokenizer.language`."""
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences."""
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words."""
        return tokenize_words(sentence)
