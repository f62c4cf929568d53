"""Direct quotations and who said them, by rules on plain text.

`extract_quotes` finds every quotation in double marks (straight, curly, « », „ “),
joins a quote split around its attribution (`"A," he said, "B."`), one running over
paragraphs, and a statement going on after its attribution (`"A," he said. "B."`);
an interview transcript (`"PENCE: ...`) gives one quote a turn. Each quote is
attributed from the cue next to it (`cues`: `said`, `told reporters`, `according to`,
`reported Xi as saying`, ...) or, for a quoted phrase without one, the subject of its
sentence; `speakers` resolves the phrase to a name. `key_quotes` picks the few worth
showing. Single marks are left alone: in English news they are apostrophes, nested
quotes or headline style, and telling those apart costs more than it brings.

Linear in the text: paragraph and sentence bounds come from one pass and bisection,
and attribution contexts are cached (a text of bare quotes repeats them).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from summarizer.cues import cue_after, cue_before, sentence_start
from summarizer.speakers import (
    SENTENCE_END,
    People,
    is_capitalized,
    name_in,
    speaker_of,
    words,
)

_EVENTS = re.compile(r"[\"“”„«»]|\n")
_OPENS_AFTER = frozenset(" \t\r\n([{—–-/:;")
_CLOSES_BEFORE = frozenset(" \t\r\n.,;:!?)]}—–-")
_TOKENS = re.compile(r"[a-z0-9]+")
_TURN = re.compile(r"\s*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+)?):\s+")  # `PENCE: `
_GAP_END = re.compile(r"[.!?]\s")
# How far from a quote its attribution may stand.
CONTEXT_CHARS = 200
# A sentence carrying a quoted phrase before the quote is read back this far: its
# subject may open it (`Clinton, ..., stressed ... a "Forum" ... and said: "..."`).
SENTENCE_CHARS = 400
# A split quote's two halves are one quote when at most this much stands between.
JOIN_GAP = 120
TITLE_WORDS = 4  # a Title Case quote this short is a title even where a cue is near
KEY_MIN_WORDS = 6
KEY_MAX_WORDS = 80


@dataclass(frozen=True)
class Quote:
    """A direct quotation.

    Attributes:
        text: the words inside the marks; pieces of a split quote joined by a space.
        speaker: the speaker's name as the article gives it, or None.
        cue: the word that attributes it (`said`, `told`, `according to`, ...), or None.
        start: offset of the opening mark in the input text.
        end: offset just past the closing mark (or the paragraph end when unclosed).
        named: whether `speaker` is a person's (or organization's) name rather than a
            description the article gives instead (`the announcer`).
    """

    text: str
    speaker: str | None
    cue: str | None
    start: int
    end: int
    named: bool = False


Speaker = tuple[str | None, bool]  # a name or description; whether it is a name
_Attribution = tuple["_Raw", Speaker, "str | None", bool]  # ..., cue, whether it follows


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    pieces: list[tuple[int, int]]


def _scan(text: str) -> list[_Raw]:
    """Pair the quotation marks of `text` in one pass."""
    n = len(text)
    out: list[_Raw] = []
    opener = ""  # the mark that opened the current quote, "" outside one
    depth = 0
    start = piece = 0
    pieces: list[tuple[int, int]] = []
    resume = False  # a paragraph ended inside the quote; the next one reopens it

    for m in _EVENTS.finditer(text):
        i = m.start()
        ch = text[i]
        if resume:
            if ch != "\n":
                piece, resume = i + 1, False
            continue
        if not opener:
            if ch == "\n":
                continue
            before = i == 0 or text[i - 1] in _OPENS_AFTER
            after = i + 1 == n or text[i + 1] in _CLOSES_BEFORE
            # a straight mark opens unless it closes a word; ” and » open only after a space
            if ch in "“„«" or (ch == '"' and (before or not after)) or (ch in "”»" and before):
                opener, depth, start, piece = ch, 0, i, i + 1
            continue
        if ch == "\n":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in '"“„«' and piece < i:
                pieces.append((piece, i))
                resume = True
            else:
                pieces.append((piece, i))
                out.append(_Raw(start, i, pieces))
                pieces, opener = [], ""
            continue
        before = text[i - 1] in _OPENS_AFTER
        after = i + 1 == n or text[i + 1] in _CLOSES_BEFORE
        if opener in '"“”' and ch == "“" and before and not after or opener == "«" and ch == "«":
            depth += 1
        elif (
            (opener in "“”" and ch in '"”')
            or (opener == '"' and ch in '"”')
            or (opener == "«" and ch == "»")
            or (opener == "„" and ch in "“”")
            or (opener == "»" and ch == "«")
        ):
            if depth and ch != '"':
                depth -= 1
                continue
            pieces.append((piece, i))
            out.append(_Raw(start, i + 1, pieces))
            pieces, opener = [], ""
    if opener:
        if not resume:
            pieces.append((piece, n))
        out.append(_Raw(start, n, pieces))
    return out


# `Marcia "Cia" Price`: a nickname between a first name and a surname.
_NICKNAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?: [A-ZÀ-ÖØ-Þ][\w'’.\-]*)?")
_NAME_BEFORE = re.compile(r"(?<![\w.])[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:\.|(?<=\w))[ \t]$")
_NAME_AFTER = re.compile(r"[ \t][A-ZÀ-ÖØ-Þ][\w'’\-]*")


def _nickname(text: str, raw: _Raw) -> bool:
    """Whether the quote is a nickname inside a name, part of the name and no speech."""
    (a, b), *more = raw.pieces
    return (
        not more
        and b + 1 == raw.end
        and _NICKNAME.fullmatch(text, a, b) is not None
        and _NAME_BEFORE.search(text[max(0, raw.start - 30) : raw.start]) is not None
        and _NAME_AFTER.match(text, raw.end) is not None
    )


def _join(text: str, pieces: list[tuple[int, int]]) -> str:
    if len(pieces) == 1:
        return " ".join(text[pieces[0][0] : pieces[0][1]].split())
    return " ".join(" ".join(text[a:b].split()) for a, b in pieces if text[a:b].strip())


# `― Julie A. Diaz Martinez` after a quote: a period only after an initial.
_DASH_NAME = re.compile(
    r"[ \t\xa0]*[―—–-]+[ \t\xa0]*([A-ZÀ-ÖØ-Þ](?:[^\n.,;(]|(?<=\b[A-Z])\.){0,60})"
)


def _last_piece(text: str, raw: _Raw) -> str:
    """The quote's last piece of text, without trailing space: how the quote ends."""
    a, b = raw.pieces[-1]
    return text[a:b].rstrip()


def _past_sentence_end(ends: list[int], lo: int, start: int) -> int:
    """`lo`, moved up to the last sentence end before `start` when that is later."""
    e = bisect_left(ends, start) - 1  # a sentence ending at the mark counts
    return ends[e] if e >= 0 and ends[e] > lo else lo


def _sentence_before(text: str, raws: list[_Raw], k: int, para: int, ends: list[int]) -> str:
    """The sentence before quote `k` back to its start, earlier quotes in it blanked."""
    start = raws[k].start
    lo = _past_sentence_end(ends, max(para, start - SENTENCE_CHARS), start)
    parts: list[str] = []
    hi = start
    j = k - 1
    while j >= 0 and raws[j].end > lo:
        parts.append(text[raws[j].end : hi])
        inner = _last_piece(text, raws[j])
        parts.append(" something, " if inner.endswith(",") else " something ")
        hi = max(raws[j].start, lo)
        j -= 1
    parts.append(text[lo:hi])
    return "".join(reversed(parts))


def _attribute(text: str, raws: list[_Raw], people: People) -> list[_Attribution]:
    """Speaker and cue of each raw quote, and whether the cue follows it."""
    out: list[_Attribution] = []
    starts = [r.start for r in raws]
    # Paragraph and sentence bounds by bisection: searching the text from each quote
    # would rescan a text without newlines to its end, quadratic in the quotes.
    newlines = [m.start() for m in re.finditer("\n", text)]
    ends = [m.end() for m in SENTENCE_END.finditer(text)]

    def quoted(offset: int) -> bool:
        i = bisect_right(starts, offset) - 1
        return i >= 0 and raws[i].start < offset < raws[i].end

    for k, raw in enumerate(raws):
        nl = bisect_left(newlines, raw.end)
        hi = min(
            raws[k + 1].start if k + 1 < len(raws) else len(text),
            newlines[nl] if nl < len(newlines) else len(text),
            raw.end + CONTEXT_CHARS,
        )
        following = text[raw.end : hi]
        dash = _DASH_NAME.match(following)
        if dash is not None:
            name = name_in(words(dash.group(1)))
            if name is not None:
                out.append((raw, _named(people, (people.full(name), True), raw), "—", True))
                continue
        body = _last_piece(text, raw)
        found = cue_after(body[-1:], following)
        if found is None:
            nl = bisect_left(newlines, raw.start)
            para = newlines[nl - 1] + 1 if nl else 0
            lo = max(raws[k - 1].end if k else 0, para, raw.start - CONTEXT_CHARS)
            lo = _past_sentence_end(ends, lo, raw.start)
            prev = ""
            if lo == para and para > 1 and not text[para : raw.start].strip():
                prev = text[max(0, para - CONTEXT_CHARS) : para].rstrip()
                colon = prev.endswith(":")
                prev = prev[sentence_start(prev, 0, len(prev)) : -1]
                if not colon and following.strip():
                    prev = ""  # the quote opens its paragraph and is attributed in it
            before = text[lo : raw.start]
            if k and lo == raws[k - 1].end and not _GAP_END.search(text, lo, raw.start):
                # `PolitiFact claimed "A" the level through "B"`: after a quoted phrase in
                # the same sentence, the whole sentence is the context, quotes blanked
                before = _sentence_before(text, raws, k, para, ends)
            found = cue_before(following, before, prev)
        if found is None:
            out.append((raw, (None, False), None, False))
            continue
        phrase, cue, follows = found
        speaker = speaker_of(list(phrase), people, raw.start, quoted)
        out.append((raw, _named(people, speaker, raw), cue, follows))
    return out


def _named(people: People, speaker: Speaker, raw: _Raw) -> Speaker:
    """Record a named speaker as the latest source, for pronouns further on."""
    if speaker[1] and speaker[0] is not None:
        people.add(raw.start, speaker[0])
    elif speaker[0] is not None:
        people.add_thing(raw.start, speaker[0])
    return speaker


def _joins(text: str, first: _Raw, second: _Raw) -> bool:
    """Whether `"X," he said, "Y."` : two pieces of one sentence around a cue."""
    if second.start - first.end > JOIN_GAP:
        return False
    gap = text[first.end : second.start]
    if "\n" in gap:
        return False
    last = _last_piece(text, first)
    if last.endswith((".", "!", "?")) or _GAP_END.search(gap):
        return False
    # `, he said, "...`; not `, calling Lee his "dear friend"`: a phrase of the cue's
    return gap.rstrip().endswith((",", ":", "—", "–"))


def _is_title(quote: str) -> bool:
    """`Meet the Press`, `The Steve Harvey Morning Show`: Title Case, short, no clause."""
    if not is_capitalized(quote):
        return False
    ws = quote.rstrip(",.").split()
    if len(ws) > 8:
        return False
    long_words = [w for w in ws if len(w) > 3]
    return bool(long_words) and all(is_capitalized(w) for w in long_words)


def extract_quotes(text: str) -> list[Quote]:
    """Return every direct quotation in `text`, in order, with speaker and cue.

    Args:
        text: an article as plain text; paragraphs separated by newlines.

    Returns:
        The quotations in order of their opening mark. A quote split around its
        attribution is one `Quote` whose span covers both pieces, and so is a statement
        going on after its attribution (`"A," X said. "B."`); titles of works
        in quotation marks are left out.
    """
    people = People(text)
    raws = [r for r in _scan(text) if not _nickname(text, r)]
    attributed = _attribute(text, raws, people)
    out: list[Quote] = []
    follows: list[bool] = []  # whether each quote's cue stands after it
    k = 0
    while k < len(attributed):
        raw, (speaker, named), cue, follows_it = attributed[k]
        pieces = raw.pieces
        end = raw.end
        if follows_it and k + 1 < len(attributed) and _joins(text, raw, attributed[k + 1][0]):
            nxt = attributed[k + 1][0]
            pieces = pieces + nxt.pieces
            end = nxt.end
            k += 1
        k += 1
        turns = _turns(text, pieces) if len(pieces) > 1 else []
        if turns:
            for a, b, label in turns:  # each turn its own quote; no cue, so never key
                out.append(Quote(_join(text, [(a, b)]), people.full(label, a), None, a, b, True))
                follows.append(False)
            continue
        quote = _join(text, pieces).rstrip(",")
        short = len(quote.split()) <= TITLE_WORDS  # `on "Fox News Sunday"`, even with a cue
        if not quote or ((not named or cue is None or short) and _is_title(quote)):
            continue
        out.append(Quote(quote, speaker, cue, raw.start, end, named))
        follows.append(follows_it)
    return _continue(text, out, follows)


def _turns(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Split a quoted interview transcript (`"WALLACE: ...` / `"PENCE: ...`, one
    paragraph a turn) into its turns: span and speaker label of each, or [] when the
    quote is no transcript."""
    turns: list[tuple[int, int, str]] = []
    for a, b in pieces:
        m = _TURN.match(text, a, b)
        if m is not None:
            turns.append((m.end(), b, m.group(1).title()))
        elif turns:
            turns[-1] = (turns[-1][0], b, turns[-1][2])
    return turns if len(turns) >= 2 else []


def _continue(text: str, quotes: list[Quote], follows: list[bool]) -> list[Quote]:
    """Join a quote to the quote before it when it goes on with the same statement.

    `"A," Graham said. "B."`: B goes on with Graham's statement when nothing but A's
    attribution sentence (`said X, a lawyer who ...`) stands between them in the
    paragraph and B has no attribution of its own after it; the two are one quote,
    `A. B`, as a reader (and PolNeAR) takes them. An unattributed quote later in the
    same sentence as another gets its speaker.
    """
    out: list[Quote] = []
    prev: Quote | None = None
    prev_follows = False
    for q, q_follows in zip(quotes, follows, strict=True):
        if (
            prev is not None
            and prev.speaker
            and prev_follows
            and not q_follows
            and q.speaker in {None, prev.speaker}
        ):
            gap = text[prev.end : q.start]
            if (
                len(gap) <= CONTEXT_CHARS
                and "\n" not in gap.strip(" \t")
                and gap.rstrip().endswith((".", ":"))  # B opens a sentence, not a phrase
                and is_capitalized(q.text)
                and len(SENTENCE_END.findall(gap + " A")) <= 1
            ):
                stop = "" if prev.text.endswith((".", "!", "?", "…")) else "."
                q = Quote(
                    f"{prev.text}{stop} {q.text}",
                    prev.speaker,
                    prev.cue,
                    prev.start,
                    q.end,
                    prev.named,
                )
                out[-1] = prev = q
                continue
        if q.speaker is None and q.cue is None and prev is not None and prev.speaker:
            gap = text[prev.end : q.start]
            if (
                len(gap) <= CONTEXT_CHARS
                and not SENTENCE_END.search(gap + " A")
                and "\n" not in gap
            ):
                # `tells supporters to "go and vote" and then "go sit there"`: the same
                # sentence, the same speaker
                q = Quote(q.text, prev.speaker, prev.cue, q.start, q.end, prev.named)
        out.append(q)
        prev, prev_follows = q, q_follows
    return out


def _tokens(s: str) -> list[str]:
    return _TOKENS.findall(s.lower())


def _overlap(q: list[str], s: set[str]) -> float:
    """The share of a quote's tokens `q` that a sentence's token set `s` has."""
    if not q:
        return 0.0
    return sum(t in s for t in q) / len(q)


def key_quotes(text: str, n: int = 2, exclude: Iterable[str] = ()) -> list[Quote]:
    """Return the few most newsworthy quotations of `text`, in order of appearance.

    A key quote has a named speaker and a cue, is a substantive statement (not a
    scare quote, title or slogan), and does not repeat a sentence in `exclude`
    (the summary shown next to it). Longer statements and distinct speakers win.

    Args:
        text: the article as plain text.
        n: how many quotes at most.
        exclude: sentences already shown, typically the summary.
    """
    shown = [set(_tokens(s)) for s in exclude]
    candidates: list[tuple[float, Quote]] = []
    for q in extract_quotes(text):
        count = len(q.text.split())
        if q.speaker is None or not q.named or q.cue is None:
            continue
        if not KEY_MIN_WORDS <= count <= KEY_MAX_WORDS or _is_title(q.text):
            continue
        if shown:
            quote_tokens = _tokens(q.text)  # once, not once a shown sentence
            if any(_overlap(quote_tokens, s) >= 0.6 for s in shown):
                continue
        score = min(count, 40) + (10 if is_capitalized(q.text) else 0)
        candidates.append((score, q))
    chosen: list[Quote] = []
    for _, q in sorted(candidates, key=lambda c: -c[0]):
        if len(chosen) >= n:
            break
        if any(c.speaker == q.speaker for c in chosen) and len(candidates) > n:
            continue
        chosen.append(q)
    return sorted(chosen, key=lambda q: q.start)
