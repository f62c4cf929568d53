"""Grammatical gender of a person's name, so `she said` is not given to a man.

Pure rules: a small list of common first names (English-language news, plus names
frequent in world news), gendered honorifics and titles (`Mrs.`, `congresswoman`), and
otherwise the pronoun that follows the name where the article introduces the person
(`Kerr Putney ... he`). Unknown stays unknown: a pronoun may then point to the name.
"""

from __future__ import annotations

import re

MALE, FEMALE = "m", "f"


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MALE_FIRST = _set(
    """
    aaron adam alan albert alex alexander alexei ali andrew andy anthony antonin ban barack
    ben benjamin bernie bill billy bob bobby boris brad brian bruce carl carlos charles
    charlie christopher chuck dan daniel danny dave david dennis dick dmitry don
    donald doug douglas ed eddie edward emmanuel eric frank fred gary george gerald greg
    gregory harold harry henry hugh ian jack jacob james jason jeb jeff jeffrey
    jeremy jerry jim jimmy joe joel john johnny jon jonathan jorge jose joseph josh juan
    justin keith ken kenneth kevin larry mark martin matt matthew michael mike
    mitch mitt mohammed muhammad narendra nick nicholas nigel patrick paul peter phil
    philip ralph randy ray reince rex richard rick rob robert roger ron ronald rudy russ
    ryan samuel scott sean sergei sergey stephen steve steven ted thomas tim
    timothy todd tom tony vladimir walter wayne william xi yury yuri
    """
)
_FEMALE_FIRST = _set(
    """
    alicia alison amanda amy andrea angela ann anna anne barbara betty beth betsy brenda
    carly carol caroline catherine cathy chelsea christina christine claire debbie deborah
    diane donna dorothy elizabeth ellen emily emma eva hillary helen huma ivanka
    jane janet jennifer jessica jill joan joanna judy julia julie karen kate kathleen
    kathryn katie kellyanne laura lauren linda lisa loretta lynn margaret maria
    marie martha mary megan melania melanie michelle nancy natalie nicole nikki
    patricia pamela rachel rebecca ruth sandra sara sarah sharon stephanie susan
    susana teresa theresa tina tulsi valerie victoria wendy yvonne
    """
)
_MALE_WORDS = _set(
    """
    mr he his him himself congressman spokesman chairman businessman king prince father
    son brother husband uncle sir lord
    """
)
_FEMALE_WORDS = _set(
    """
    mrs ms miss she her hers herself congresswoman spokeswoman chairwoman businesswoman
    queen princess mother daughter sister wife aunt lady dame
    """
)
_PRONOUN = re.compile(r"\b(?:he|his|him|himself|she|her|hers|herself)\b", re.IGNORECASE)
_PRONOUNS = frozenset(["he", "his", "him", "himself", "she", "her", "hers", "herself"])
# A capitalized word not opening a sentence: another name between mention and pronoun.
_OTHER_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]")
_QUOTE_MARKS = ('"', "“", "”", "«", "»", "„")
# How far after a mention its pronoun is looked for (about a sentence).
PRONOUN_REACH = 160


def of_word(word: str) -> str | None:
    """The gender a word marks (`she`, `Mrs.`, `spokeswoman`), or None."""
    w = word.lower().rstrip(".")
    if w in _MALE_WORDS:
        return MALE
    if w in _FEMALE_WORDS:
        return FEMALE
    return None


def of_first_name(name: str) -> str | None:
    """The usual gender of a full name's first name, or None when unknown."""
    first = name.split()[0].lower().rstrip(".")
    if first in _MALE_FIRST:
        return MALE
    if first in _FEMALE_FIRST:
        return FEMALE
    return None


def of_mention(text: str, start: int, end: int) -> str | None:
    """Guess gender from the words around a mention at `text[start:end]`.

    The word before (`Mrs. Clinton`, `spokeswoman Sarah Sanders`) decides first;
    otherwise the first he/she-type pronoun in the stretch after the mention.
    """
    before = text[max(0, start - 20) : start].split()
    if before and before[-1].lower().rstrip(".") not in _PRONOUNS:  # not `on him. Lee`
        marked = of_word(before[-1])
        if marked is not None:
            return marked
    stop = end + PRONOUN_REACH
    for mark in _QUOTE_MARKS:  # a pronoun inside a quotation is the speaker's, not ours
        at = text.find(mark, end, stop)
        if at >= 0:
            stop = at
    m = _PRONOUN.search(text, end, stop)
    if m is None or _OTHER_NAME.search(text, end, m.start()):
        return None  # `Formicola said Trump ... he`: the pronoun is the other one's
    return of_word(m.group())
