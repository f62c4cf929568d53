"""parse_file and decode_bytes: encodings, extensions, sniffing and every bad upload."""

from __future__ import annotations

import codecs
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import MAX_ARTICLE_BYTES, Article, IngestError, parse_file
from ingest.files import decode_bytes

TEXT = "Café reopens on the square\n\nThe café on the square reopened on Monday, its owner said.\n"
EXPECTED = Article(
    "Café reopens on the square",
    ("The café on the square reopened on Monday, its owner said.",),
    source="note.txt",
)
PAGE = (
    "<!DOCTYPE html><html lang='fr'><head><meta charset='{charset}'><title>Le café rouvre"
    "</title></head><body><article><h1>Le café rouvre</h1><p>Le café de la place a rouvert "
    "lundi après six mois de travaux, a indiqué son propriétaire, Jean Dupré.</p><p>Les "
    "habitués étaient nombreux dès l'ouverture, et la terrasse était pleine à midi, "
    "selon plusieurs témoins.</p></article></body></html>"
)


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with a BOM, in this machine's byte order
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no BOM: seen by its NUL bytes
        TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_text_file_encodings(data: bytes) -> None:
    assert parse_file(data, "note.txt") == EXPECTED


def test_path_and_upper_case_extension() -> None:
    article = parse_file(TEXT.encode(), "/tmp/uploads/note.TXT")
    assert (article.title, article.source) == (EXPECTED.title, "note.TXT")


def test_html_file_with_declared_charset() -> None:
    article = parse_file(PAGE.format(charset="iso-8859-1").encode("latin-1"), "cafe.htm")
    assert article.title == "Le café rouvre"
    assert article.language == "fr"
    assert article.source == "cafe.htm"
    assert "Jean Dupré" in article.body


def test_txt_file_holding_a_web_page_is_read_as_html() -> None:
    article = parse_file(PAGE.format(charset="utf-8").encode(), "saved.txt")
    assert article.title == "Le café rouvre"
    assert "<" not in article.body


def test_html_file_without_markup_is_read_as_text() -> None:
    assert parse_file(TEXT.encode(), "note.html") == Article(
        EXPECTED.title, EXPECTED.paragraphs, source="note.html"
    )


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (TEXT.encode(), "article.pdf", "article.pdf: only .txt and .html files can be added"),
        (TEXT.encode(), "README", "README: only .txt and .html files can be added"),
        (b"", "a.txt", "a.txt: the file is empty"),
        (b" \n\t\r\n", "a.txt", "a.txt: the text contains only whitespace"),
        (b"\xef\xbb\xbf  \n", "a.txt", "a.txt: the text contains only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt", "a.txt: the file looks like binary"),
        (bytes(range(256)) * 4, "a.txt", "a.txt: the file looks like binary data, not text"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x80\x81" * 20, "a.txt", "a.txt: the file looks like"),
        ("Café\nNo café today.".encode("cp1252"), "a.txt", "a.txt: the file is not valid UTF-8"),
        (
            PAGE.format(charset="utf-8").encode("latin-1"),
            "a.html",
            "a.html: the file is not valid UTF-8 text; save it as UTF-8 and try again",
        ),
        (b"Just a title\n", "a.txt", "a.txt: the text has a title but no body"),
        (
            b"<html><head><script>var s = 'lots of script text here';</script></head></html>",
            "a.html",
            "a.html: the page has no article text in it",
        ),
        (
            b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
            "a.html",
            "a.html: the page has no article text in it",
        ),
    ],
    ids=[
        "pdf",
        "no-extension",
        "empty",
        "whitespace",
        "bom-and-whitespace",
        "png",
        "all-bytes",
        "control-bytes",
        "cp1252",
        "lying-meta-charset",
        "title-only",
        "only-scripts",
        "no-article",
    ],
)
def test_bad_uploads_are_refused_with_one_line(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_file(data, filename)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_fifty_megabytes_are_refused_quickly() -> None:
    data = b"a" * (50 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(IngestError, match=r"^big\.txt: the file is larger than 5 MB$"):
        parse_file(data, "big.txt")
    assert time.perf_counter() - started < 0.5


def test_the_cap_is_exact() -> None:
    head = b"Title\n"
    line = b"Some words make a sentence here, " * 10 + b"and end it.\n"
    data = head + line * ((MAX_ARTICLE_BYTES - len(head)) // len(line))
    data += b" " * (MAX_ARTICLE_BYTES - len(data))
    assert len(data) == MAX_ARTICLE_BYTES
    assert parse_file(data, "a.txt").title == "Title"
    with pytest.raises(IngestError, match="larger than 5 MB"):
        parse_file(data + b" ", "a.txt")


def test_decode_bytes_prefers_bom_then_declared_charset_then_utf8() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "é".encode(), charset="latin-1") == "é"
    assert decode_bytes("é".encode("latin-1"), charset="latin-1") == "é"
    assert decode_bytes("é".encode(), charset="no-such-charset") == "é"
    with pytest.raises(IngestError, match="^the page is not valid UTF-8"):
        decode_bytes("é".encode("latin-1"), what="page")


def test_a_charset_that_names_no_text_encoding_is_ignored() -> None:
    # base64 and rot13 are codecs, but not text encodings: bytes.decode refuses them.
    assert decode_bytes("é".encode(), charset="base64") == "é"
    article = parse_file(PAGE.format(charset="rot13").encode(), "cafe.html")
    assert article.title.startswith("Le café rouvre")


@settings(max_examples=100, deadline=None)
@given(st.binary(), st.sampled_from(["a.txt", "a.html", "a.doc"]))
def test_any_bytes_give_an_article_or_an_ingest_error(data: bytes, filename: str) -> None:
    try:
        article = parse_file(data, filename)
    except IngestError as error:
        assert "\n" not in str(error)
        return
    assert article.title and article.paragraphs
