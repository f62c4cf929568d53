"""Parse an HTML page into an `Article` with trafilatura.

Pure; no I/O. trafilatura finds the main text (navigation, ads, comments and
related links left out) and the page's metadata; the same line rules as for
plain text then drop the boilerplate that sits inside the article's markup.
"""

from __future__ import annotations

import re

import trafilatura
from trafilatura.settings import Document, set_date_params

from ingest.article import Article, IngestError
from ingest.text import check_text, clean_lines, join_paragraphs, source_from_url, split_lines

# An article has this much body text, and at least one paragraph of prose (this long,
# ending a sentence); less is a stub, an error page or a list of links.
MIN_BODY_CHARS = 200
MIN_PROSE_PARAGRAPH_CHARS = 60

_LANG_ATTR = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})(?![A-Za-z])", re.IGNORECASE | re.DOTALL
)
_LANG_META = re.compile(
    r"<meta\b[^>]*?\b(?:http-equiv\s*=\s*[\"']?content-language|property\s*=\s*[\"']?og:locale)"
    r"[^>]*?\bcontent\s*=\s*[\"']?\s*([A-Za-z]{2,3})(?![A-Za-z])",
    re.IGNORECASE | re.DOTALL,
)
# lxml stops reading a document at a lone surrogate, losing the rest of the article.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_PROSE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def find_language(html: str) -> str | None:
    """Return the page's declared language as a lower-case ISO 639 code, e.g. "en".

    Args:
        html: The page source.

    Returns:
        The primary subtag of `<html lang>`, else of a Content-Language or
        og:locale meta tag; None when the page declares none.
    """
    head = html[:65536]
    match = _LANG_ATTR.search(head) or _LANG_META.search(head)
    return match.group(1).lower() if match else None


def parse_html(html: str, *, url: str | None = None, date_search: bool = True) -> Article:
    """Parse an HTML page into an article with its main text and metadata.

    Args:
        html: The page source, decoded.
        url: The page's address, used to resolve metadata and as the article URL.
        date_search: Also look for a date in the page's text when its metadata has
            none (htmldate's extensive search, about 40% of the time here); False when
            the date is known already, e.g. from a feed.

    Returns:
        The article: title, author, date (ISO), site name and language from the
        page's metadata where it has them; body paragraphs without navigation,
        ads, comments, related links or scripts.

    Raises:
        IngestError: For empty, whitespace-only, binary or too large input, or a
            page with no article text in it.
    """
    check_text(html, "page")
    document = trafilatura.bare_extraction(
        _SURROGATES.sub("", html),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        date_extraction_params=set_date_params(extensive=date_search),
    )
    if not isinstance(document, Document) or not document.text:
        raise IngestError("the page has no article text in it")
    lines, byline_author = clean_lines(split_lines(document.text))
    title = " ".join((document.title or "").split())
    filled = [i for i, line in enumerate(lines) if line]
    # trafilatura repeats the page's headline as the first line of the text.
    if filled and (not title or lines[filled[0]] == title):
        title = title or lines[filled[0]] or ""
        lines = lines[filled[0] + 1 :]
    paragraphs = join_paragraphs(lines, blocks=False)
    if not title or not _looks_like_article(paragraphs):
        raise IngestError("the page has no article text in it")
    extra = {"description": document.description} if document.description else {}
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        source=document.sitename or source_from_url(url or document.url),
        author=document.author or byline_author,
        published=document.date,
        language=document.language or find_language(html),
        extra=extra,
    )


def _looks_like_article(paragraphs: list[str]) -> bool:
    if sum(len(paragraph) for paragraph in paragraphs) < MIN_BODY_CHARS:
        return False
    return any(
        len(paragraph) >= MIN_PROSE_PARAGRAPH_CHARS and _PROSE_END.search(paragraph)
        for paragraph in paragraphs
    )
