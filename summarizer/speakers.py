"""Who said it: cue words, speaker phrases, and resolving them to a person's name.

Pure rules on plain text (no trained parser). A speaker phrase is the noun phrase
next to a cue verb (`Putin said`, `said Rep. G.K. Butterfield`, `according to
Xinhua`); it is resolved to a name as the article gives it: a title or description
in front of a name is dropped (`the Kremlin's top foreign policy adviser Yury
Ushakov` -> `Yury Ushakov`), a bare surname is widened to the full name the article
used (the latest before the quote), and a pronoun or a description without a name
(`he`, `the Russian leader`) becomes the nearest fitting named speaker before it:
`he`/`she` a person of that gender (`gender`), preferring the subject of the last
sentences over a name in passing; `it` the organization or unnamed source before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from summarizer import gender

T = TypeVar("T")


def word_set(words_: str) -> frozenset[str]:
    return frozenset(words_.split())


# Verbs (and fixed phrases) that introduce reported speech or writing.
CUES = word_set(
    """
    said says say saying told tells tell added adds asked asks wrote writes explained
    explains noted notes continued continues replied replies responded responds declared
    declares stated states insisted insists argued argues warned warns claimed claims
    tweeted tweets posted announced announces recalled recalls remarked exclaimed
    suggested suggests acknowledged acknowledges admitted admits conceded concedes
    complained complains countered counters quipped quips joked jokes observed observes
    predicted predicts promised promises urged urges vowed vows reported reports
    cautioned cautions emphasized emphasizes stressed stresses shouted yelled concluded
    concludes testified boasted boasts charged contended contends lamented laments mused
    opined pleaded retorted scoffed snapped thundered wondered wonders maintained
    maintains proclaimed proclaims agreed agrees demanded demands calls called calling
    described describes describing dubbed reads wrote adding saying telling asking
    writing noting explaining arguing warning declaring insisting tweeting commented
    scolded exhorted yelled yells shouts sang sings singing
    interjected recounted texted emailed read
    """
)
# Cue words that are also common outside speech; they count only right next to a quote.
WEAK_CUES = word_set("states charged posted notes reports claims tweets calls called reads read")
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it"})
# Words that stand before a name without being part of it.
TITLES = word_set(
    """
    president vice prime minister sen senator rep representative gov governor mr mrs ms
    miss dr chancellor secretary speaker judge justice gen general adm admiral col lt
    sgt rev reverend chief mayor king queen prince princess pope sir lord lady dame
    chairman chairwoman director professor prof ambassador attorney officer detective
    coach captain capt spokesman spokeswoman commissioner candidate nominee leader
    adviser advisor rival minister premier emir sheikh father sister brother deputy
    foreign former del delegate maj major cmdr commander supt superintendent amb
    """
)
# Capitalized words that open a sentence but never a name.
NOT_NAMES = word_set(
    """
    the a an but and or in on at for of this that these those it its he she they we i
    you his her their our my when while after before if as so then there here however
    also yet still now today yesterday monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november
    december mr mrs ms dr both all some many most every each no not what why how who
    where is was will can even just only with from by to among under over during since
    until despite according dear yes thank meanwhile instead although though because
    """
)
DETERMINERS = word_set(
    """
    a an the one another his her their its our my some several few other many most all
    both these those this each every no such only
    """
)
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr"})
_NOT_NAMES_BUT_HONORIFICS = NOT_NAMES - HONORIFICS
# How many named sources back a pronoun may reach past the other gender or quotes.
BACK_REACH = 12
# How far back the subject of a recent sentence is preferred for `he`/`she`.
SALIENT_CHARS = 400

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9](?:[\w'’\-]|\.(?=\w))*\.?|[,;:()!?]|—|–|--")
_BRACKETS = re.compile(r"\([^()\n]{0,40}\)")  # `(D-Mo.)` after a name
ABBREVIATIONS = word_set(
    """
    mr mrs ms dr sen rep gov gen lt col sgt jr sr st rev prof capt adm hon no vs inc
    corp co del maj cmdr supt amb
    """
)
# Not after `Mr.`, `Gen.`, `St.` or an initial (`Laurence H. Tribe`).
SENTENCE_END = re.compile(
    r"[.!?](?<!\bMr.)(?<!\bMrs.)(?<!\bMs.)(?<!\bDr.)(?<!\bSt.)(?<!\bSen.)(?<!\bRep.)"
    r"(?<!\bGov.)(?<!\bGen.)(?<!\bLt.)(?<!\bCol.)(?<!\bSgt.)(?<!\bRev.)(?<!\bProf.)"
    r"(?<!\b[A-Z].)[\"”»]?\s+(?=[\"“„«A-Z0-9])"
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_PARTY = re.compile(r"[RDI]-[A-Z]")  # party and state after a US politician's name
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
# A run of capitalized words (with initials and particles): candidate names.
_NAME_RUN = re.compile(
    r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?:[ \t]+(?:(?:de|van|von|der|bin|al|da|la|le)[ \t]+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*)*"
)
# A name opening a sentence or clause and followed by a verb (`Ban Ki-moon condemned`),
# or after an inverted cue (`," said Smith`): the people a pronoun can point back to.
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?:;,\n])[\"”]?[ \t\xa0]+|(?<=\n))"
    rf"((?:{_CAP}[ \t]+){{0,5}}{_CAP}),?[ \t]+(?=[a-z])"
    rf"|[,\"”][ \t]*(?:said|says|noted|added|wrote|according to)[ \t]+"
    rf"((?:{_CAP}[ \t]+){{0,3}}{_CAP})",
    re.MULTILINE,
)
_SUBJECT_PRONOUN = {
    gender.MALE: re.compile(r"He\b(?!['’]s\b)"),
    gender.FEMALE: re.compile(r"She\b(?!['’]s\b)"),
}
# `Ross Walker, UK economist at RBS, said`: a sentence's subject with an appositive.
_APPOSED = re.compile(
    rf"(?:^|(?<=[.!?])[\"”]?[ \t\xa0]+|(?<=\n))((?:{_CAP}[ \t]+){{1,3}}{_CAP}),"
    rf"[^.!?\n,\"“”]{{1,80}},[ \t]+(?=(?:said|says|told|added|argued|warned|wrote)\b)",
    re.MULTILINE,
)
# `adviser Yury Ushakov spoke`: a titled name in mid-sentence.
_TITLED = re.compile(
    rf"\b(?:{'|'.join(sorted(TITLES))})[ \t]+((?:{_CAP}[ \t]+){{1,3}}{_CAP})[ \t]+(?=[a-z])"
)


# Words that open a capitalized run without being a name (`Said Ellis:`, `The`).
_NOT_NAME_OPENERS = _NOT_NAMES_BUT_HONORIFICS | CUES


def words(text: str) -> list[str]:
    """Split a short context into words and punctuation; a sentence's period is a word."""
    out: list[str] = []
    found = _WORD.findall(_BRACKETS.sub(" ", text))
    for k, w in enumerate(found):
        initial = len(w) == 2 and w[0].isupper()
        sentence_end = w[:-1].lower() not in ABBREVIATIONS and "." not in w[:-1]
        if k + 1 < len(found) and found[k + 1] == ",":
            sentence_end = False  # `Mitch McConnell, R-Ky., said`
        if w.endswith(".") and sentence_end and not initial:
            out.append(w[:-1])
            out.append(".")
            continue
        out.append("," if w in {"—", "–", "--"} else w)
    return out


def is_capitalized(word: str) -> bool:
    return bool(_UPPER.match(word))


def bare(word: str) -> str:
    """Lower-case a word without a trailing possessive or period."""
    w = word.lower().rstrip(".")
    if w[-1:] in {"'", "’"}:
        return w[:-1]
    if w[-2:] in {"'s", "’s"}:
        return w[:-2]
    return w


AUXILIARIES = word_set(
    """
    has had have was is were are also then would will later once again previously
    recently
    """
)


def name_in(phrase: list[str]) -> str | None:
    """Return the name inside a speaker phrase, without titles and descriptions.

    The name is the last run of capitalized words in the phrase's head (before any
    comma or bracket: an appositive follows the name), titles in front of it
    dropped. A capitalized word that modifies a noun (`Russian leader`, `Trump
    campaign`) is no name, unless possessive (`Donald Trump's campaign`).
    """
    head: list[str] = []
    for w in phrase:
        if w in {",", "(", ";", ":", "."}:
            if head:
                break
            continue
        head.append(w)
    found: list[str] = []
    run: list[str] = []
    for k, w in enumerate(head + [""]):
        if _PARTY.match(w):
            continue  # `Tim Kaine, D-Va.`
        initial = len(w) == 2 and w[1] == "." and w[0].isupper()  # `Julie A. Diaz`
        if w and is_capitalized(w) and (initial or bare(w) not in _NOT_NAMES_BUT_HONORIFICS):
            if bare(w) in TITLES:
                run = []
                continue
            run.append(w)
            if bare(w) != w.lower().rstrip(".") and k + 1 < len(head):
                found, run = run, []  # `NBC's Dante Chinni`: the owner, unless no name follows
            continue
        if w and run and w.lower() in {"de", "van", "von", "der", "bin", "al", "da"}:
            run.append(w)
            continue
        if run:
            if not w or w.lower() in AUXILIARIES or w.endswith("ly"):
                found = run
            run = []
    if not found:
        return None
    name = " ".join(found)
    return _POSSESSIVE.sub("", name).rstrip(",.")


# Last words of names that are organizations or places, not people a pronoun means.
NOT_PERSONS = word_set(
    """
    news house council department party committee times post press journal institute
    university college school center centre association union court congress senate
    agency office campaign korea states nations bank group foundation fund company corp
    inc service network commission administration city county state america republic
    ministry police army club league street network tv radio
    """
)


def _person_like(name: str) -> bool:
    """Whether a name of unknown gender may be a person's (`NBC News`, `EPA` are not)."""
    last = name.split()[-1]
    return not last.isupper() and bare(last) not in NOT_PERSONS


def _last_sentence(toks: list[str]) -> list[str]:
    """The words of the last sentence in `toks`: trailing periods dropped, then what
    follows the last period left. Pops from `toks` itself; pass a list of your own."""
    while toks and toks[-1] == ".":
        toks.pop()
    while "." in toks:
        toks = toks[toks.index(".") + 1 :]
    return toks


def _back(items: Sequence[T], i: int) -> Iterator[T]:
    """`items[i - 1]`, `items[i - 2]`, ... back at most BACK_REACH items: the sources (or
    mentions) a pronoun may reach from position `i`."""
    for j in range(i - 1, max(i - 1 - BACK_REACH, -1), -1):
        yield items[j]


def _key(name: str) -> str:
    return bare(name.split()[-1])


@dataclass
class People:
    """The names an article mentions, for widening surnames and resolving pronouns."""

    text: str
    _full: dict[str, str] | None = None
    _titled: list[tuple[list[str], str]] = field(default_factory=list)
    _sources: list[tuple[int, str]] | None = None
    _votes: dict[str, list[str]] = field(default_factory=dict)
    _subjects: set[int] = field(default_factory=set)  # sources that act in their clause
    _genders: dict[str, str | None] = field(default_factory=dict)
    _things: list[tuple[int, str]] = field(default_factory=list)
    _by_surname: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # Every mention of a person whose gender the name tells, for `he`/`she`.
    _mentions: list[tuple[int, str, str]] = field(default_factory=list)

    def _index(self) -> dict[str, str]:
        if self._full is None:
            self._full = {}
            firsts: dict[str, str] = {}  # `Xi` for `Xi Jinping`: family name first
            for m in _NAME_RUN.finditer(self.text):
                run = m.group()
                if " " not in run and "\t" not in run:
                    # one word (`The`, `Melanie`): at most a first name telling a gender
                    sex = gender.of_first_name(run)
                    if sex is not None:
                        self._mentions.append((m.start(), run.rstrip("."), sex))
                    continue
                toks = _last_sentence(words(run))  # `met Mary Jones.`
                while toks and bare(toks[0]) in _NOT_NAME_OPENERS:
                    toks.pop(0)  # `Said Ellis:` opens a sentence

                name = name_in(toks)
                if name is None:
                    continue
                parts = name.split()
                sex = gender.of_word(toks[0]) or gender.of_first_name(name)
                if sex is not None:
                    self._mentions.append((m.start(), name, sex))
                if len(parts) >= 2:
                    self._full.setdefault(bare(parts[-1]), name)
                    self._by_surname.setdefault(bare(parts[-1]), []).append((m.start(), name))
                    firsts.setdefault(bare(parts[0]), name)
                    # `Indiana Gov. Mike Pence`: the run's own words before the name count
                    lead = run[: run.find(parts[0])] if parts[0] in run else ""
                    before = self.text[max(0, m.start() - 40) : m.start()] + " " + lead
                    self._titled.append(([bare(w) for w in words(before)[-3:]], name))
            for first, name in firsts.items():
                self._full.setdefault(first, name)
        return self._full

    def full(self, name: str, at: int | None = None) -> str:
        """Widen `Putin` (or `Mr. Obama`) to the full name the article used.

        With `at`, the latest full name with that surname before the offset (`Frank
        Jordan ... Louis Jordan, 37, ... Jordan told CNN`: the son); else the first.
        """
        parts = name.split()
        if len(parts) == 1 or (len(parts) == 2 and bare(parts[0]) in HONORIFICS):
            key = bare(parts[-1])
            first = self._index().get(key, parts[-1])
            seen = self._by_surname.get(key)
            if at is not None and seen:
                i = bisect_left(seen, (at, ""))
                return seen[i - 1][1] if i else first
            return first
        return name

    def sources(self) -> list[tuple[int, str]]:
        """Offsets and names of the people acting in sentences, in order."""
        if self._sources is None:
            self._sources = []
            found = [
                *_SUBJECT.finditer(self.text),
                *_TITLED.finditer(self.text),
                *_APPOSED.finditer(self.text),
            ]
            found.sort(key=lambda m: m.start())
            for m in found:
                group = 1 if m.group(1) else 2
                # the last sentence's: `noted NBC's Dante Chinni.`, `Ukraine. China responded`
                phrase = _last_sentence(words(m.group(group)))
                name = name_in(phrase)
                if name is None:
                    continue
                if group == 2 and bare(phrase[-1]) != phrase[-1].lower().rstrip("."):
                    continue  # `, who studies ..., said Ivanka Trump's statement`: no speaker
                full = self.full(name)
                titled = bare(phrase[0]) in HONORIFICS
                if " " in full or group == 2 or titled:
                    self._sources.append((m.start(group), full))
                    if m.re is not _TITLED:
                        self._subjects.add(m.start(group))
                    marked = gender.of_word(phrase[0]) if titled else None
                    if marked is None:
                        marked = gender.of_mention(self.text, m.start(group), m.end(group))
                    if marked is not None:
                        self._votes.setdefault(full, []).append(marked)
        return self._sources

    def add(self, offset: int, name: str) -> None:
        """Record a resolved speaker as the latest named source at `offset`."""
        insort(self.sources(), (offset, name))
        self._subjects.add(offset)

    def add_thing(self, offset: int, description: str) -> None:
        """Record an unnamed source (`the article`), for `it` further on."""
        insort(self._things, (offset, description))

    def thing_before(self, offset: int, skip: Callable[[int], bool]) -> tuple[str | None, bool]:
        """Resolve `it`: the nearest organization (`the Times`) or unnamed source (`the
        article`) before `offset`, within a few paragraphs; and whether it is a name."""
        src = self.sources()
        i = bisect_left(src, (offset, ""))
        found: tuple[int, str] = (-1, "")
        for at, name in _back(src, i):
            if at < offset - 2 * SALIENT_CHARS:
                break
            if not skip(at) and not _person_like(name):
                found = (at, name)
                break
        k = bisect_left(self._things, (offset, ""))
        if k and self._things[k - 1][0] > max(found[0], offset - 2 * SALIENT_CHARS):
            return self._things[k - 1][1], False
        return (found[1], True) if found[0] >= 0 else (None, False)

    def gender(self, name: str) -> str | None:
        """The person's gender by first name, else by how the article refers to them."""
        if name in self._genders:
            return self._genders[name]
        known = gender.of_first_name(name)
        if known is None:
            known = self._voted(name)
        self._genders[name] = known
        return known

    def _voted(self, name: str) -> str | None:
        self.sources()
        # the full name's own mentions: `Rakeyia Scott` is not `Keith Lamont Scott`
        votes = self._votes.get(name) or self._votes.get(self.full(_key(name)), [])
        males = votes.count(gender.MALE)
        if males * 2 > len(votes):
            return gender.MALE
        if votes and males * 2 < len(votes):
            return gender.FEMALE
        return None

    def before(
        self,
        offset: int,
        skip: Callable[[int], bool] = lambda _: False,
        sex: str | None = None,
        known: bool = False,
    ) -> str | None:
        """Return the nearest named source before `offset` that fits.

        Sources at offsets `skip` tells (inside quotes) are passed over, and so are
        people of the other gender than `sex` (for `he`/`she`), within a few names;
        `known` asks for a known person (for `the Russian leader`, not `New York`).
        """
        src = self.sources()
        self._index()  # also the mentions, for `he`/`she` below
        if not src and (sex is None or not self._mentions):
            return None  # nobody named yet (a text of bare quotes)
        i = bisect_left(src, (offset, ""))
        if sex is not None:
            # `Trump said praise from President Vladimir Putin ... He said`: the subject
            # of the last sentences is meant before a name in passing
            for at, name in _back(src, i):
                if at < offset - SALIENT_CHARS:
                    break
                if (
                    at in self._subjects
                    and not skip(at)
                    and _person_like(name)
                    and self._fits(name, sex, False)
                ):
                    return self._later_mention(at, offset, sex, skip) or name
        found: tuple[int, str] | None = None
        for at, name in _back(src, i):
            if skip(at):
                continue
            if self._fits(name, sex, known):
                found = (at, name)
                break
        if sex is not None:
            # a person merely mentioned (`with Hillary Clinton lambasting ...`) counts
            # when the name tells the gender and no acting source is nearer
            k = bisect_left(self._mentions, (offset, "", ""))
            for at, name, of in _back(self._mentions, k):
                if found is not None and at <= found[0]:
                    break
                if (
                    of == sex
                    and not skip(at)
                    and SENTENCE_END.search(self.text, at, offset + 1)
                    and not self._pronoun_subject(at, offset, sex)
                ):
                    return self.full(name)
        return found[1] if found else None

    def _later_mention(
        self, at: int, offset: int, sex: str, skip: Callable[[int], bool]
    ) -> str | None:
        """A person of gender `sex` named in a later sentence than the subject at `at`
        (`Batchelder said. ... with Hillary Clinton lambasting the plan. "...," she
        said`): the more recent sentence wins."""
        k = bisect_left(self._mentions, (offset, "", ""))
        while k and self._mentions[k - 1][0] > at:
            k -= 1
            m_at, name, of = self._mentions[k]
            if (
                of == sex
                and not skip(m_at)
                and SENTENCE_END.search(self.text, at, m_at)
                and SENTENCE_END.search(self.text, m_at, offset + 1)  # not the pronoun's own
                and not self._pronoun_subject(m_at, offset, sex)
            ):
                return self.full(name)
        return None

    def _pronoun_subject(self, at: int, offset: int, sex: str) -> bool:
        """Whether a sentence between the mention at `at` and `offset` opens with a
        pronoun of gender `sex` (`... Hillary Clinton. She has called ...`): such a
        pronoun keeps the topic of the sentences before, not the name in passing, so
        the name has not become who `he`/`she` means."""
        pronoun = _SUBJECT_PRONOUN[sex]
        ends = [m.end() for m in SENTENCE_END.finditer(self.text, at, offset + 1)]
        # the last sentence start is the quote's own (`He said: "..."`), not between
        return any(pronoun.match(self.text, e) for e in ends[:-1])

    def _fits(self, name: str, sex: str | None, known: bool) -> bool:
        """Whether `name` can be the one meant: of gender `sex` (or unknown and maybe a
        person); with `known`, only someone the article shows to be a person."""
        if sex is None and not known:
            return True
        of = self.gender(name)
        if known:
            return of is not None and sex in {None, of} and _person_like(name)
        return of == sex or (of is None and _person_like(name))

    def described(self, phrase: list[str]) -> str | None:
        """Resolve `the Chinese leader` to a name the article gave that title."""
        self._index()
        head = [bare(w) for w in phrase if w.isalpha() or "’" in w or "'" in w]
        if not head or head[-1] not in TITLES:
            return None
        mods = {w for w in head[:-1] if w not in NOT_NAMES}
        for before, name in self._titled:
            if head[-1] in before and mods <= set(before):
                return name
        return None


def speaker_of(
    phrase: list[str], people: People, offset: int, skip: Callable[[int], bool]
) -> tuple[str | None, bool]:
    """Resolve a speaker phrase for a quote at `offset`.

    `skip` tells offsets inside quotations, whose names are not the speaker's.

    Returns:
        The name and True; or, where the article names nobody (`the announcer`, `a
        narrator in the Clinton ad`), the description as written and False.
    """
    if not phrase:
        return None, False
    first = phrase[0].lower()
    if first not in PRONOUNS:
        first = bare(first)  # `He’s claiming`
    if first in PRONOUNS and len(phrase) <= 2:
        if first == "it":
            return people.thing_before(offset, skip)
        if first in {"i", "we", "you"}:
            return None, False
        found = people.before(offset, skip, gender.of_word(first))
        return found, found is not None
    name = name_in(phrase)
    if name is not None:
        return people.full(name, offset), True
    described = people.described(phrase)
    if described is None and first == "the" and bare(phrase[-1]) in TITLES:
        # `the Russian leader`: the person just speaking, if a known person (not `New York`)
        described = people.before(offset, skip, known=True)
    if described is not None:
        return described, True
    if len(phrase) > 8 or (first not in DETERMINERS and not is_capitalized(phrase[0])):
        return None, False
    return " ".join(w for w in phrase if w not in {",", "(", ")"}), False
