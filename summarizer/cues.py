"""Where a quote's attribution is: cue words and the speaker phrase around a quote.

Pure rules on word lists from `speakers.words`: `cue_after` reads `"...," Lee said` /
`said Lee` / `according to Lee` right after a quote; `cue_before` reads the sentence
before it (`Lee said:`, `Lee told reporters that`, `Said Lee:`, `footage of Lee saying`), the
paragraph before a quote that stands alone, and, failing a cue, the subject of the
sentence a quoted fragment stands in. Both return the speaker phrase as written;
`speakers.speaker_of` resolves it to a name.
"""

from __future__ import annotations

from functools import lru_cache

from summarizer.speakers import (
    AUXILIARIES,
    CUES,
    DETERMINERS,
    PRONOUNS,
    SENTENCE_END,
    TITLES,
    WEAK_CUES,
    bare,
    is_capitalized,
    name_in,
    word_set,
    words,
)

# How far from a quote its attribution may stand, in words.
CUE_REACH = 8
AFTER_REACH = 30
NP_REACH = 20  # `Jean-Marc Ayrault, the foreign minister of France, a member of ...`
# Attribution contexts remembered: texts made mostly of quotes repeat them.
CACHE_SIZE = 4096

_CLAUSE = word_set(
    """
    that and but or after before when while because as if who which where then so than
    what
    """
)
_STOPS = frozenset({".", "!", "?", ";", ":"})
_PREPOSITIONS = word_set("to in on at for with by from about through into over under")
_VERBS = word_set("is are was were be been do does did can could may might must should")
_CONJUNCTIONS = word_set("but and or while although though whereas yet so because")
_PARTICLES = frozenset({"de", "van", "von", "der", "bin", "al", "da", "la", "le"})
# Words opening an adverbial phrase before a sentence's subject.
_OPENERS = word_set(
    """
    in on at during after before when while with following since despite as asked
    though although whether unless once if because
    speaking meanwhile however earlier later last this but and so yet still then also
    according by for from under over about amid among through
    """
)
# Cue words that count even at a sentence's start (`Said Ellis:`).
_STRONG_CUES = CUES - WEAK_CUES


def _segments(phrase: list[str]) -> list[list[str]]:
    """Split a phrase at commas, leaving out what stands in brackets (`(D-Mo.)`)."""
    segs: list[list[str]] = [[]]
    depth = 0
    for w in phrase:
        if w == "(":
            depth += 1
        elif w == ")":
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif w in {",", ";", ":"}:
            segs.append([])
        else:
            segs[-1].append(w)
    return [s for s in segs if s]


def _is_bare_name(seg: list[str]) -> bool:
    """`Scott Pruitt`, `Gov. Jan Brewer`: a segment that is a name and nothing else."""
    return name_in(seg) is not None and all(
        is_capitalized(w) or bare(w) in TITLES or w.lower() in _PARTICLES for w in seg
    )


def _subject(phrase: list[str]) -> list[str]:
    """Pick the speaker out of the words before a cue (`Flynn, a top surrogate,`)."""
    while phrase and phrase[-1].endswith("ly") and not is_capitalized(phrase[-1]):
        phrase = phrase[:-1]  # `..., forcefully told`
    segs = _segments(phrase)
    if not segs:
        return []
    if len(segs) > 1 and _is_bare_name(segs[0]):
        return segs[0]  # `Scott Pruitt, the attorney general, one of ...`: appositives follow
    for seg, nxt in zip(segs, segs[1:], strict=False):  # pairs of neighbours
        if _is_bare_name(seg) and (nxt[0].lower() in {"a", "an", "the"} or nxt[0].isdigit()):
            return seg  # `In Washington, Marc H. Morial, the chief executive of ...,`
    last = segs[-1]
    if len(segs) > 1 and name_in(last) is None and last[0].lower() in {"a", "an", "the"}:
        for seg in reversed(segs[:-1]):
            if name_in(seg) is not None:
                return seg  # `Kerr Putney, the police chief, said`: the appositive's name
    return last


def _clause_subject(toks: list[str]) -> list[str]:
    """The subject of the sentence a quoted fragment stands in (`In July, Gingrich
    dismissed Estonia as the "suburbs of St. Petersburg"`), for quotes with no cue."""
    segs = _segments(toks)
    for k, seg in enumerate(segs):
        first = seg[0].lower()
        if first in _OPENERS or seg[0] in _STOPS or first.endswith("ing") or first[0].isdigit():
            continue  # `In July, 2015, Sanders said`
        if k + 1 < len(segs) and len(seg) <= 5 and _is_bare_name(segs[k + 1]):
            return segs[k + 1]  # `Another critic, Laurence H. Tribe, likened`
        if (
            k + 1 < len(segs)
            and not is_capitalized(seg[0])
            and bare(seg[0]) not in DETERMINERS
            and first not in PRONOUNS
        ):
            continue  # `Following a swiftly called, late-afternoon meeting, the Council`
        return _noun_phrase(seg)
    return []


def _noun_phrase(seg: list[str]) -> list[str]:
    """The noun phrase a clause opens with: `Gov. Earl Ray Tomblin` (of West Virginia),
    `The Republican nominee` (also vowed), `Only 52 percent of registered voters`."""
    out: list[str] = []
    described = bare(seg[0]) in DETERMINERS or not is_capitalized(seg[0])
    for w in seg[:8]:
        low = w.lower()
        if w in _STOPS or low in _CLAUSE or low in AUXILIARIES or low in CUES or low in _VERBS:
            break
        lowercase = out and not is_capitalized(w) and bare(w) not in TITLES
        if lowercase and (not described or (low.endswith("ed") and len(low) > 4)):
            break
        if (low == "of" and not described) or low in _PREPOSITIONS or len(out) == 6:
            break
        out.append(w)
    return out


def _object(phrase: list[str]) -> list[str]:
    """The speaker phrase after an inverted cue (`said Rep. Jim Clyburn of ...`)."""
    out: list[str] = []
    for w in phrase:
        if w in {",", ".", "(", ";", ":", "!", "?"}:
            break
        if out and not is_capitalized(w) and any(is_capitalized(x) for x in out):
            break
        out.append(w)
    return out


def _np_before(toks: list[str], i: int) -> list[str]:
    """The words just before position `i` back to a clause boundary."""
    j = i
    while j > 0 and i - j < NP_REACH and toks[j - 1] not in _STOPS and toks[j - 1] not in _CLAUSE:
        j -= 1
    return toks[j:i]


def _capitalized_run(toks: list[str]) -> list[str]:
    """The name that ends `toks`, if the last words are one (`... of Hillary Clinton`)."""
    j = len(toks)
    while j > 0 and is_capitalized(toks[j - 1]):
        j -= 1
    run = toks[j:]
    return run if run and name_in(run) is not None else []


def _is_cue(toks: list[str], i: int, near: bool) -> bool:
    w = toks[i]
    if w[:1].isupper():  # only a sentence's first word: `Said Ellis:`
        return (i == 0 or toks[i - 1] in _STOPS) and w.lower() in _STRONG_CUES
    if w == "according" and i + 1 < len(toks) and toks[i + 1] == "to":
        return True
    return w in CUES and (near or w not in WEAK_CUES)


def _after(toks: list[str]) -> tuple[list[str], str] | None:
    """Find `X said` / `said X` / `according to X` right after a quote."""
    if toks and toks[0].lower() in _CONJUNCTIONS:
        return None  # `"...," but he said that ...`: a new clause, not this quote's cue
    for i, w in enumerate(toks[:AFTER_REACH]):
        if w in {".", "!", "?"}:
            return None
        if w == "quoted" and toks[i + 1 : i + 3] == ["as", "saying"]:
            subj = [t for t in toks[:i] if t not in AUXILIARIES]
            return _subject(subj), "quoted as saying"
        if not _is_cue(toks, i, i < 4) or (w.endswith("ing") and w != "according"):
            continue
        if w in {"reported", "quoted", "reports", "quotes"} and "as" in toks[i + 1 : i + 8]:
            k = toks.index("as", i + 1)
            if toks[k + 1 : k + 2] == ["saying"]:
                return toks[i + 1 : k], w
        if w == "according":
            return _object(toks[i + 2 :]), "according to"
        subj = [t for t in toks[:i] if t != ","]
        while subj and subj[-1] in AUXILIARIES:
            subj.pop()
        if not subj:
            return _object(toks[i + 1 :]), w
        if i > CUE_REACH and toks[i - 1] != ",":
            return None  # too far for a plain `X said`; only an appositive stretches it
        return _subject(toks[:i]), w
    return None


def _before(toks: list[str]) -> tuple[list[str], str] | None:
    """Find `X said:` / `X told Y that` / `According to X,` in the sentence before a quote."""
    last = len(toks) - 1
    while last > 0 and toks[last] in {",", ":"}:
        last -= 1
    if last > 0 and toks[last] in CUES and not toks[last].endswith("ing"):
        # `..., Trump boasted, "..."`: a cue right before the quote beats earlier ones
        subj = _subject_before(toks, last)
        if subj:
            return _subject(subj), toks[last]
    for i, w in enumerate(toks):
        if w.lower() == "according" and toks[i + 1 : i + 2] == ["to"]:
            return _object(toks[i + 2 :]), "according to"
        if not _is_cue(toks, i, i >= len(toks) - 3):
            continue
        if w[0].isupper():
            return _object(toks[i + 1 :]), w.lower()  # `Said Ellis: "..."`
        if toks[i - 2 : i] == ["quoted", "as"]:
            w = "quoted as saying"
        run = _capitalized_run(toks[:i])
        if w.endswith("ing") and run and len(run) < i:
            subj = run  # `footage of Hillary Clinton asking, "..."`
        elif w.endswith("ing"):
            subj = _clause_subject(toks[:i])
        else:
            subj = _subject_before(toks, i)
            if not subj and (i == 0 or toks[i - 1] == ","):
                obj = _object(toks[i + 1 :])  # `, says Paul Rieckhoff, founder of ...`
                if name_in(obj) is not None:
                    return obj, w
        if subj:
            return _subject(subj), w
    return None


def _subject_before(toks: list[str], i: int) -> list[str]:
    """The speaker phrase before the cue at `i`: `Douglas Brinkley, a historian who
    attended the session, recalled`; `Lee spoke at a forum and said`."""
    subj = _np_before(toks, i)
    j = i - len(subj)
    if j >= 2 and toks[j - 1] in {"who", "which"}:
        # `Mulgrew, president of the union, which represents teachers, said`
        subj = _np_before(toks, j - 2 if toks[j - 2] == "," else j - 1)
    while subj and subj[-1] in AUXILIARIES:
        subj = subj[:-1]
    if not subj and toks[i - 1 : i] == ["and"]:
        subj = _clause_subject(toks[: i - 1])
    return subj


def sentence_start(text: str, lo: int, hi: int) -> int:
    last = lo
    for m in SENTENCE_END.finditer(text, lo, hi):
        last = m.end()
    return last


Found = tuple[tuple[str, ...], "str | None", bool]  # speaker phrase, cue, whether it follows


@lru_cache(maxsize=CACHE_SIZE)
def cue_after(ending: str, following: str) -> Found | None:
    """The speaker phrase and cue right after a quote (`"...," Lee said`), if any.

    A pure function of the quote's last character and the text after it (to the next
    quote or paragraph end). Cached, as `cue_before` is: a text that is mostly quotes
    repeats its contexts over and over.
    """
    lead = following.lstrip()
    if (
        ending in {",", "?", "!", "—", "-"}
        or lead.startswith(",")
        or (ending == "." and lead[:1].islower())
    ):
        found = _after(words(following))
        if found is not None:
            return tuple(found[0]), found[1], True
    return None


@lru_cache(maxsize=CACHE_SIZE)
def cue_before(following: str, before: str, prev: str) -> Found | None:
    """The speaker phrase and cue of a quote with none right after it.

    A pure function of the text after the quote, the sentence before it and, for a
    quote opening its paragraph, the previous paragraph's last sentence.
    """
    lead = following.lstrip()
    # `_before`, `_after` and `_clause_subject` only read their word lists: one each
    before_words = words(before)
    back: tuple[list[str], str | None] | None = _before(before_words)
    if back is None and prev:
        # `Caddell continued:` closing the paragraph before, or a quote standing alone
        # after `Clinton restricted comments about breaking up banks.`
        prev_words = words(prev)
        back = _before(prev_words)
        if back is None and lead == "":
            subject = _clause_subject(prev_words)
            if subject:
                back = (subject, None)
    if back is None:
        # a fragment inside paraphrase: `A cashier who "steals" is held, Warren said.`
        back = _after(words(following))
    if back is None and before.strip():
        # no cue: the sentence's subject (`Reid has gone after Trump as a "leech"`);
        # no cue is recorded, so such a fragment is never a key quote
        subject = _clause_subject(before_words)
        if subject:
            back = (subject, None)
    return (tuple(back[0]), back[1], False) if back is not None else None
