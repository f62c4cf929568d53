"""Parse plain text, as people paste it or scrapers save it, into an `Article`.

Pure; no I/O. The first line that is not boilerplate is the title, the rest
the body. Paragraphs are one a line, or, when the body has blank lines in it,
blank-line separated blocks whose hard-wrapped lines are joined again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from ingest.article import MAX_ARTICLE_BYTES, Article, IngestError, too_large
from ingest.boilerplate import (
    SENTENCE_END,
    find_footer,
    is_boilerplate,
    parse_byline,
    strip_trailing_credit,
)

# More than this share of control characters, lone surrogates or U+FFFD means binary.
MAX_NON_TEXT_SHARE = 0.05

# Control characters other than tab and line breaks, lone surrogates, U+FFFD.
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffd]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u200b-\u200d\u2060]")
_LINE_BREAKS = re.compile(r"\r\n?|[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def check_text(text: str, what: str = "text") -> None:
    """Refuse text that cannot hold an article: empty, whitespace only, too large, binary.

    Args:
        text: The decoded input.
        what: How messages name the input ("text", "page").

    Raises:
        IngestError: With a one-line message saying what is wrong.
    """
    if not text:
        raise IngestError(f"the {what} is empty")
    # A character is at least one byte, at most four in UTF-8: skip encoding when it cannot matter.
    if len(text) > MAX_ARTICLE_BYTES or (
        len(text) * 4 > MAX_ARTICLE_BYTES
        and len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES
    ):
        raise too_large(what)
    if text.isspace():
        raise IngestError(f"the {what} contains only whitespace")
    if "\x00" in text or len(_NON_TEXT.findall(text)) > MAX_NON_TEXT_SHARE * len(text):
        raise IngestError(f"the {what} looks like binary data, not text")


def split_lines(text: str) -> list[str]:
    """Split text into stripped lines with runs of whitespace made one space.

    Args:
        text: Any text; every kind of line break counts.

    Returns:
        The lines, blank ones as "", without invisible and control characters.
    """
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    return [" ".join(line.split()) for line in text.split("\n")]


def clean_lines(lines: Sequence[str]) -> tuple[list[str | None], str | None]:
    """Drop boilerplate lines and a trailing footer.

    Args:
        lines: Stripped lines, blank ones as "".

    Returns:
        The lines up to the footer with each boilerplate line replaced by None
        (blank lines stay ""), and the author of the first byline found, if any.
    """
    author: str | None = None
    kept: list[str | None] = []
    # The footer is sought before lines are dropped: its heading may be a prompt too.
    lines = lines[: find_footer(lines)]
    for line in lines:
        if is_boilerplate(line):
            if author is None:
                author = parse_byline(line)
            kept.append(None)
        else:
            kept.append(strip_trailing_credit(line))
    return kept, author


def join_paragraphs(lines: Sequence[str | None], *, blocks: bool) -> list[str]:
    """Assemble body lines into paragraphs.

    Args:
        lines: Stripped body lines; blank lines ("") and dropped ones (None)
            always end a paragraph.
        blocks: False when every line is a paragraph; True when paragraphs are
            separated by blank lines, and a line then continues the one before
            it when that one does not end a sentence or it starts in lower case
            (hard-wrapped text).

    Returns:
        The non-empty paragraphs in order.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, None]:
        continues = bool(
            blocks
            and current
            and line
            and (not SENTENCE_END.search(current[-1]) or line[0].islower())
        )
        if current and not continues:
            paragraphs.append(" ".join(current))
            current = []
        if line:
            current.append(line)
    return paragraphs


def has_blank_separators(lines: Sequence[str | None]) -> bool:
    """Say whether a blank line ("") stands between two others (dropped ones, None, count)."""
    filled = [i for i, line in enumerate(lines) if line != ""]
    return bool(filled) and any(lines[i] == "" for i in range(filled[0], filled[-1]))


def source_from_url(url: str | None) -> str | None:
    """Return the host name of a URL, without "www.", as the article's source."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def parse_text(text: str, *, url: str | None = None, source: str | None = None) -> Article:
    """Parse plain text into an article: the first line the title, the rest the body.

    Boilerplate is dropped (see `ingest.boilerplate`): prompts, notices,
    picture credits and bylines anywhere, and a trailing list of unrelated
    headlines or a "Related"-style section at the end. A byline's name becomes
    the article's author.

    Args:
        text: The article as plain text.
        url: Where the text came from, if anywhere.
        source: Who published it; defaults to the URL's host name.

    Returns:
        The parsed article.

    Raises:
        IngestError: For empty, whitespace-only, binary or too large input, or
            text with no body after its title.
    """
    check_text(text)
    lines, author = clean_lines(split_lines(text))
    start = next((i for i, line in enumerate(lines) if line), None)
    title = lines[start] if start is not None else None
    if start is None or not title:
        raise IngestError("the text has nothing but boilerplate in it")
    body = lines[start + 1 :]
    paragraphs = join_paragraphs(body, blocks=has_blank_separators(body))
    if not paragraphs:
        raise IngestError("the text has a title but no body")
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        source=source or source_from_url(url),
        author=author,
    )
