"""Recognize the boilerplate that scrapers and copy-paste leave around article text.

Pure; no I/O. Every rule judges a whole line, never part of one, and prompts are
matched only as short lines of their own: a real paragraph that merely starts
with "Related" or mentions cookies is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Prompts, credits and headings are short; a longer line is taken for prose.
MAX_PROMPT_CHARS = 200
# Cookie banners run longer than other prompts.
MAX_NOTICE_CHARS = 400
# A scraped headline in a footer list.
MAX_HEADLINE_CHARS = 250
MAX_HEADLINE_WORDS = 30

_PROMPT = re.compile(
    r"""^(?:
        (?:read|see|watch|listen)\s+(?:more|also|next)\b
      | (?:also\s+read|more|related|recommended|watch|listen)\s*[:»›>|]
      | related(?:\s+(?:articles?|stories|story|coverage|content|topics|news|links|reading|posts))?
            (?:\s*[:»›>|]|\s+[–—-]\s|$)
      | share(?:\s+(?:this|on|via|article|story|page)\b.*)?$
      | click\s+here\b
      | continue\s+reading\b
      | (?:story\s+continues\s+below|skip)\s+advert
      | advert(?:isement)?s?$
      | sponsored(?:\s+content)?$
      | follow\s+(?:us|[\w.@'’-]+(?:\s+[\w.@'’-]+)?)\s+on\s+
            (?:twitter|x|facebook|instagram|linkedin|threads|bluesky|tiktok|youtube)\b
      | (?:subscribe|sign\s*up)(?:\s+(?:now|today|here|for|to)\b|\s*[:!.]|$)
      | (?:get|join)\s+(?:our|the)\b.*\b(?:newsletter|mailing\s+list|briefing)\b
      | newsletter\s*(?:[:!|–—-]|$)
      | enter\s+your\s+email\b
      | thank(?:s|\s+you)\s+for\s+(?:subscribing|signing\s+up)\b
      | copyright\s*(?:©|\(c\)|\d{4})
      | ©
      | all\s+rights\s+reserved\b
      | (?:additional\s+)?reporting\s+by\s
      | (?:writing|editing)\s+by\s
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_COOKIE_NOTICE = re.compile(
    r"""^(?:
        we(?:\s+and\s+our\s+(?:partners|vendors))?\s+use\s+cookies\s+(?:and\s|to\s|for\s|on\s)
      | (?:this|our)\s+(?:web\s*)?site\s+uses\s+cookies\b
      | by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+(?:this|our)\s+(?:web\s*)?site\b
      | accept\s+(?:all\s+)?cookies\b
      | cookie\s+(?:policy|settings|preferences|notice|consent)\b
      | manage\s+(?:cookies|consent|(?:cookie\s+)?preferences)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_CREDIT = re.compile(
    r"""^(?:
        (?:photo(?:graph)?s?|pictures?|pic|images?|illustrations?)(?:\s+credit)?\s*(?::|/|©|by\b)
      | image\s+(?:copyright|caption|source)\b
      | (?:photo\s+)?credit\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that make a bracketed aside or a short line a picture credit.
_CREDIT_WORD = re.compile(
    r"\b(?:photo|photograph|image|images|picture|getty|shutterstock|alamy|afp|epa|ap\s+photo)\b",
    re.IGNORECASE,
)
# A credit on a line of its own: "AFP via Getty Images", "Jane Doe/Getty Images".
_AGENCY_CREDIT = re.compile(
    r"(?:[\w.'’&-]+[\s/]+){0,4}getty\s+images|(?:[\w.'’-]+\s+){0,3}/\s*shutterstock", re.IGNORECASE
)
_BRACKETED = re.compile(r"^[(\[].*[)\]]$")
_TRAILING_CREDIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]$")

# Headings over a list of links at the foot of a page.
_SECTION_HEADINGS = frozenset(
    {
        "read more",
        "read next",
        "related",
        "related articles",
        "related stories",
        "related coverage",
        "related content",
        "related topics",
        "related news",
        "more on this story",
        "more stories",
        "more news",
        "more from us",
        "most read",
        "most popular",
        "popular now",
        "trending",
        "trending now",
        "top stories",
        "latest news",
        "you may also like",
        "you might also like",
        "recommended",
        "recommended for you",
        "around the web",
        "promoted stories",
        "don't miss",
        "don’t miss",
        "comments",
    }
)

_SHARE_WORDS = frozenset(
    {
        "share",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "email",
        "e-mail",
        "print",
        "copy",
        "link",
        "reddit",
        "telegram",
        "pinterest",
        "messenger",
        "comments",
        "save",
        "tweet",
    }
)

_BYLINE = re.compile(
    r"^(?:by|written\s+by|words\s+by)\s+(?P<name>.+?)"
    r"(?:\s*(?:,|\||·|•|—|–|\s-\s|\bfor\b)\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_NAME_PARTICLES = frozenset(
    {"de", "da", "del", "della", "van", "von", "der", "den", "la", "le", "di", "du", "al", "bin"}
)
_NAME_JOINERS = frozenset({"and", "&"})
MAX_NAME_WORDS = 8
MAX_BYLINE_CHARS = 120

# A line that ends like a sentence (its closing quote or bracket allowed).
SENTENCE_END = re.compile(r"[.!?…:][\"'”’»)\]]*$")
_DASH_RULE = frozenset({"-", "–", "—", "--", "---"})
_DASH_ENDED = re.compile(r"\s[-–—]$")


def parse_byline(line: str) -> str | None:
    """Return the author named by a byline such as "By Jane Doe, Reuters".

    Args:
        line: One stripped line of article text.

    Returns:
        The author's name (or names, as written), or None when the line is not
        a byline. Only lines whose name part is a run of capitalized words count,
        so "By Tuesday evening, the river had risen." is not a byline.
    """
    if len(line) > MAX_BYLINE_CHARS:
        return None
    match = _BYLINE.match(line)
    if match is None:
        return None
    name = match.group("name").strip()
    words = name.split()
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return None
    if words[0].lower() in _NAME_JOINERS or words[-1].lower() in _NAME_JOINERS:
        return None
    for word in words:
        if word.lower() in _NAME_PARTICLES or word.lower() in _NAME_JOINERS:
            continue
        if not word[0].isupper() or any(ch.isdigit() for ch in word):
            return None
    rest = match.group("rest") or ""
    if SENTENCE_END.search(rest) and len(rest.split()) > 6:
        return None  # "By Jane Doe, who ...": a sentence, not a source line
    return name


def is_boilerplate(line: str) -> bool:
    """Say whether a whole line is a prompt, notice, credit or byline rather than content.

    Args:
        line: One stripped line of article text.

    Returns:
        True for "Read more"/"Related"/share/subscribe prompts, cookie and
        newsletter notices, copyright lines, picture credits ("Photo: ...",
        "(Getty Images)", "Image copyright ..."), "Advertisement" markers,
        section headings such as "Most read", and bylines.
    """
    if not line:
        return False
    if len(line) <= MAX_NOTICE_CHARS and _COOKIE_NOTICE.match(line):
        return True
    if len(line) > MAX_PROMPT_CHARS:
        return False
    if _PROMPT.match(line) or _CREDIT.match(line):
        return True
    if is_section_heading(line):
        return True
    if _BRACKETED.match(line) and _CREDIT_WORD.search(line):
        return True
    if _AGENCY_CREDIT.fullmatch(line):
        return True
    words = re.findall(r"[\w-]+", line.lower())
    if len(words) >= 2 and all(word in _SHARE_WORDS for word in words):
        return True
    return parse_byline(line) is not None


def strip_trailing_credit(line: str) -> str:
    """Remove a picture credit in brackets from the end of a line, as in "... (Getty Images)".

    Args:
        line: One stripped line of article text.

    Returns:
        The line without the credit; the line unchanged when it ends otherwise.
    """
    match = _TRAILING_CREDIT.search(line)
    if match is None or match.start() == 0 or not _CREDIT_WORD.search(match.group()):
        return line
    return line[: match.start()].rstrip()


def is_section_heading(line: str) -> bool:
    """Say whether a line is a heading over links, such as "Related stories" or "Most read:".

    Args:
        line: One stripped line.

    Returns:
        True when the line, without closing punctuation, is a known heading.
    """
    return line.rstrip(" :»›>|-–—").strip().lower() in _SECTION_HEADINGS


def is_headline_like(line: str) -> bool:
    """Say whether a line could be a scraped headline: short and not ending a sentence."""
    if len(line) > MAX_HEADLINE_CHARS or len(line.split()) > MAX_HEADLINE_WORDS:
        return False
    return not re.search(r"[.!;][\"'”’»)\]]*$", line)


def find_footer(lines: Sequence[str]) -> int:
    """Find where trailing boilerplate begins in a list of stripped lines.

    Two shapes count, and blank lines inside them are ignored:

    * a list of unrelated headlines each ending in " -" (the last one may lack
      it), optionally introduced by a line that is only a dash; a dash line
      alone at the end counts too, and one dash-ended headline needs the dash
      line before it, without one it takes two;
    * a section heading ("Related stories", "Read more", "Most read", ...)
      followed only by headline-like lines.

    Boilerplate lines below either (a copyright line, a prompt) do not hide it.

    Args:
        lines: The body lines, blank lines as "".

    Returns:
        The index of the first footer line, or len(lines) when there is none.
    """
    filled = [i for i, line in enumerate(lines) if line]
    while (
        filled and is_boilerplate(lines[filled[-1]]) and not is_section_heading(lines[filled[-1]])
    ):
        filled.pop()  # a copyright line or a prompt under the footer
    if not filled:
        return len(lines)
    start = _dash_footer_start(lines, filled)
    if start is None:
        start = _section_footer_start(lines, filled)
    return len(lines) if start is None else start


def _dash_footer_start(lines: Sequence[str], filled: list[int]) -> int | None:
    pos = len(filled) - 1
    if lines[filled[pos]] in _DASH_RULE:
        return filled[pos]
    last_unterminated = not _DASH_ENDED.search(lines[filled[pos]])
    if last_unterminated:
        if not is_headline_like(lines[filled[pos]]):
            return None
        pos -= 1
    dash_ended = 0
    while (
        pos >= 0
        and _DASH_ENDED.search(lines[filled[pos]])
        and len(lines[filled[pos]]) <= MAX_HEADLINE_CHARS
    ):
        dash_ended += 1
        pos -= 1
    if pos >= 0 and lines[filled[pos]] in _DASH_RULE and (dash_ended or last_unterminated):
        return filled[pos]
    if dash_ended >= 2:
        return filled[pos + 1]
    return None


def _section_footer_start(lines: Sequence[str], filled: list[int]) -> int | None:
    for pos in range(len(filled) - 1, -1, -1):
        line = lines[filled[pos]]
        if is_section_heading(line) and pos < len(filled) - 1:
            return filled[pos]
        if not is_headline_like(line):
            return None
    return None
