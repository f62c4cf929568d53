"""Read uploaded `.txt` and `.html` files: decode the bytes, then parse as text or HTML.

Pure; no I/O (the caller reads the file). Decoding is strict and predictable:
a byte-order mark wins (UTF-8, UTF-16, UTF-32); then a charset the caller
knows (an HTTP header) or the page declares (`<meta charset>`); otherwise the
bytes must be UTF-8 (or UTF-16 without a mark, seen by its NUL bytes). There
is no guessing among legacy code pages: a wrong guess would garble names and
quotes silently, so such a file is refused with a message asking for UTF-8.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import PurePath

from ingest.article import MAX_ARTICLE_BYTES, Article, IngestError, too_large
from ingest.html import parse_html
from ingest.text import parse_text

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})

# How far into a document to look for a declared charset or an HTML start.
SNIFF_BYTES = 4096
# More than this share of control bytes in undecodable input means binary.
MAX_CONTROL_BYTE_SHARE = 0.05

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[A-Za-z!/]")
# UTF-16 text without a mark: nearly every other byte is NUL (for Latin-script text).
MIN_UTF16_NUL_SHARE = 0.9


def decode_bytes(data: bytes, *, charset: str | None = None, what: str = "file") -> str:
    """Decode an article's bytes to text.

    Args:
        data: The raw bytes, at most `MAX_ARTICLE_BYTES`.
        charset: The charset a transport declared (an HTTP Content-Type
            parameter), if any; a byte-order mark overrides it, and an unknown
            name is ignored.
        what: How messages name the input ("file", "page").

    Returns:
        The decoded text, without a byte-order mark.

    Raises:
        IngestError: For empty, too large or binary data, or bytes that are not
            valid in the chosen encoding.
    """
    if not data:
        raise IngestError(f"the {what} is empty")
    if len(data) > MAX_ARTICLE_BYTES:
        raise too_large(what)
    encoding = _bom_encoding(data) or known_codec(charset)
    if encoding is None and b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise IngestError(f"the {what} looks like binary data, not text")
    encoding = encoding or _declared_charset(data) or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if len(_CONTROL_BYTES.findall(data)) > MAX_CONTROL_BYTE_SHARE * len(data):
            raise IngestError(f"the {what} looks like binary data, not text") from None
        raise IngestError(
            f"the {what} is not valid {encoding.upper()} text; save it as UTF-8 and try again"
        ) from None


def looks_like_html(text: str) -> bool:
    """Say whether text starts like an HTML document: a doctype, `<html>`, `<head>`, `<body>`."""
    return _HTML_START.match(text[:SNIFF_BYTES]) is not None


def parse_file(data: bytes, filename: str) -> Article:
    """Parse an uploaded `.txt` or `.html` file into an article.

    The extension says which kinds are allowed; the content decides between
    them, so a `.txt` file holding a saved web page is read as HTML and an
    `.html` file with no markup as plain text.

    Args:
        data: The file's bytes.
        filename: The file's name; only its extension is used, and it names the
            file in error messages.

    Returns:
        The parsed article, its source the file name.

    Raises:
        IngestError: With a one-line message naming the file, for an unsupported
            extension or any input `decode_bytes`, `parse_text` or `parse_html`
            refuses.
    """
    name = PurePath(filename).name or filename
    extension = PurePath(name).suffix.lower()
    try:
        if extension not in TEXT_EXTENSIONS | HTML_EXTENSIONS:
            raise IngestError("only .txt and .html files can be added")
        text = decode_bytes(data)
        if looks_like_html(text) or (
            extension in HTML_EXTENSIONS and _TAG.search(text[:SNIFF_BYTES])
        ):
            article = parse_html(text)
            return replace(article, source=article.source or name)
        return parse_text(text, source=name)
    except IngestError as error:
        raise IngestError(f"{name}: {error}") from None


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    half = len(data) // 2
    if half == 0 or len(data) % 2:
        return None
    if data[1::2].count(0) >= MIN_UTF16_NUL_SHARE * half and not data[0::2].count(0):
        return "utf-16-le"
    if data[0::2].count(0) >= MIN_UTF16_NUL_SHARE * half and not data[1::2].count(0):
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    return known_codec(match.group(1).decode("ascii")) if match else None


def known_codec(name: str | None) -> str | None:
    """The canonical name of the text encoding `name` names, or None.

    None also for codecs that are not text encodings (`base64`, `rot13`, `hex`):
    a Content-Type or `<meta charset>` naming one must not reach `bytes.decode`.
    """
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except LookupError:
        return None
    return info.name if info._is_text_encoding else None
