"""Read HTML fragments and page heads with the standard library's tolerant parser.

Pure; no I/O. Unlike `ingest.html`, which looks for the article inside a whole
page, `html_paragraphs` keeps all the text of a fragment (a feed item's
content): it is already the article, or the part of it the feed gives.
"""

from __future__ import annotations

from collections.abc import Collection
from html.parser import HTMLParser
from urllib.parse import urljoin

from ingest.text import split_lines

# Elements that end a paragraph where they start and where they end.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is never text a reader sees.
DROPPED_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "math"})
# Table cells sit side by side: their texts are kept apart by a space.
CELL_TAGS = frozenset({"td", "th"})
# A page's <link> elements stand in its head; parsing stops at the body, or
# after this many characters of a page without one.
MAX_HEAD_CHARS = 1024 * 1024
_CHUNK_CHARS = 65536


def html_paragraphs(fragment: str) -> list[str]:
    """Turn an HTML fragment into plain-text paragraphs.

    Args:
        fragment: HTML such as a feed item's content or description.

    Returns:
        The non-empty paragraphs in order, each one line with runs of
        whitespace made one space. Block elements (`<p>`, `<div>`, `<li>`,
        headings, ...) and two or more `<br>` in a row end a paragraph, a
        single `<br>` is a space; scripts, styles and other invisible elements
        are dropped; entities are decoded.
    """
    parser = _ParagraphParser()
    parser.feed(fragment)
    parser.close()
    return parser.paragraphs


def find_link(html: str, url: str, *, rel: str, types: Collection[str]) -> str | None:
    """Find the first `<link rel=... type=... href=...>` of a page, as an absolute URL.

    Args:
        html: The page source, decoded.
        url: The page's address, which relative hrefs are resolved against
            (after the page's `<base href>`, if it has one).
        rel: A link relation the element must list, e.g. "alternate".
        types: The media types it may declare, lower case, e.g. "application/rss+xml".

    Returns:
        The absolute URL of the first such link in the head, or None.
    """
    parser = _LinkParser(url, rel, types)
    # The tolerant parser reads any text; it is fed in chunks so a long page is
    # left as soon as its head is over.
    for start in range(0, min(len(html), MAX_HEAD_CHARS), _CHUNK_CHARS):
        parser.feed(html[start : start + _CHUNK_CHARS])
        if parser.done:
            break
    return parser.found


class _TolerantParser(HTMLParser):
    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # CPython asserts on "<![foo[", which browsers skip to ">"
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1


class _ParagraphParser(_TolerantParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._dropped_depth = 0
        self._breaks = 0  # <br>s since the last text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self._dropped_depth += 1
        elif self._dropped_depth:
            return
        elif tag == "br":
            self._breaks += 1
            if self._breaks >= 2:
                self._end_paragraph()
            else:
                self._pieces.append(" ")
        elif tag in BLOCK_TAGS:
            self._end_paragraph()
        elif tag in CELL_TAGS:
            self._pieces.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in DROPPED_TAGS:  # an empty <svg/> drops nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_TAGS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif not self._dropped_depth and tag in BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if self._dropped_depth:
            return
        if data.strip():
            self._breaks = 0
        self._pieces.append(data)

    def close(self) -> None:
        super().close()
        self._end_paragraph()

    def _end_paragraph(self) -> None:
        # split_lines also drops the invisible and control characters text may carry.
        text = " ".join(line for line in split_lines("".join(self._pieces)) if line)
        if text:
            self.paragraphs.append(text)
        self._pieces = []
        self._breaks = 0


class _LinkParser(_TolerantParser):
    def __init__(self, url: str, rel: str, types: Collection[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None
        self.done = False
        self._base = url
        self._rel = rel
        self._types = types

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "body":
            self.done = True
        elif tag == "base" and values.get("href"):
            self._base = _join(self._base, values["href"]) or self._base
        elif (
            tag == "link"
            and self._rel in values.get("rel", "").lower().split()
            and values.get("type", "").partition(";")[0].strip().lower() in self._types
            and values.get("href")
        ):
            self.found = _join(self._base, values["href"])
            self.done = self.found is not None


def _join(base: str, href: str) -> str | None:
    try:
        return urljoin(base, href)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
