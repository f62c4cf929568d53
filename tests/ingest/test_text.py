"""parse_text: tiny inputs, exact outputs, for each boilerplate shape and each bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest import MAX_ARTICLE_BYTES, Article, IngestError, parse_text

CORPUS = Path(__file__).parent / "corpus"
SHARED_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
BUNDLED_SAMPLES = Path(__file__).resolve().parents[2] / "bot" / "samples"


def body(text: str) -> tuple[str, ...]:
    return parse_text(text).paragraphs


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda path: path.stem)
def test_corpus(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = parse_text(path.read_text(encoding="utf-8"))
    assert article.title == expected["title"]
    assert list(article.paragraphs) == expected["paragraphs"]
    assert article.author == expected["author"]


def test_putin_sample_keeps_title_and_body_and_drops_the_16_footer_headlines() -> None:
    path = SHARED_SAMPLES / "putin-xi-call.txt"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    text = path.read_text(encoding="utf-8")
    article = parse_text(text)
    assert article.title == "Putin hails ‘model’ Russia-China relations in Xi call"
    assert "whole-process people’s democracy" in article.paragraphs[-1]
    footer = text.splitlines()[text.splitlines().index("-") + 1 :]
    assert len(footer) == 16
    stored = article.title + "\n" + article.body
    for headline in footer:
        assert headline.removesuffix(" -") not in stored
    assert len(article.paragraphs) == 9


@pytest.mark.parametrize("path", sorted(BUNDLED_SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_bundled_samples_parse_clean(path: Path) -> None:
    article = parse_text(path.read_text(encoding="utf-8"))
    assert 6 <= len(article.paragraphs) <= 12
    assert (
        sum(paragraph.count("“") + paragraph.count('"') for paragraph in article.paragraphs) >= 4
    )
    for paragraph in article.paragraphs:
        assert not paragraph.startswith(("Photo:", "Read more", "By ", "(Getty", "Related"))
        assert not paragraph.endswith(" -")


# --- paragraphs -------------------------------------------------------------------------------


def test_one_paragraph_a_line() -> None:
    assert parse_text("Title\nFirst.\nSecond\nThird.") == Article(
        "Title", ("First.", "Second", "Third.")
    )


def test_blank_line_separated_paragraphs_with_hard_wrapping() -> None:
    text = "Title\n\nThe first paragraph\nwraps here. And\ngoes on.\n\nSecond one.\nThird one.\n"
    assert body(text) == (
        "The first paragraph wraps here. And goes on.",
        "Second one.",
        "Third one.",
    )


def test_lower_case_start_continues_the_line_before() -> None:
    assert body("T\n\nIt rose 5 percent.\nand then fell.\n\nEnd.") == (
        "It rose 5 percent. and then fell.",
        "End.",
    )


def test_windows_line_endings_bom_and_odd_spaces() -> None:
    text = "\ufeffTitle\r\n\r\nOne\u00a0 two.\r\nThree\u200b four.\r\n"
    assert parse_text(text) == Article("Title", ("One two.", "Three four."))


def test_leading_blank_lines_and_a_cookie_banner_before_the_title() -> None:
    text = "\n\nThis site uses cookies to measure traffic.\nTitle\nBody."
    assert parse_text(text) == Article("Title", ("Body.",))


def test_source_defaults_to_the_url_host() -> None:
    article = parse_text("T\nB.", url="https://www.example.org/a")
    assert (article.url, article.source) == ("https://www.example.org/a", "example.org")
    assert parse_text("T\nB.", source="stdin").source == "stdin"


# --- boilerplate shapes -----------------------------------------------------------------------

KEPT = "Real paragraph."


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Council delays budget vote",
        "READ MORE: Council delays budget vote",
        "Read more",
        "See also: Five things to know",
        "Related: Council delays budget vote",
        "Related",
        "Related articles",
        "Share this article",
        "Share on Facebook",
        "Share",
        "Facebook Twitter Email",
        "Subscribe now",
        "Subscribe to our newsletter",
        "Sign up for our morning briefing",
        "Get our free daily newsletter",
        "Newsletter: the day's news at 7 a.m.",
        "Thank you for subscribing!",
        "We use cookies to improve your experience. Accept all",
        "This website uses cookies.",
        "By continuing to use this site you agree to our cookie policy.",
        "Accept all cookies",
        "Cookie settings",
        "Photo: Jane Doe/City Times",
        "Photograph: Jane Doe",
        "Photo by Jane Doe",
        "Image: Reuters",
        "Image copyright Getty Images Image caption The mayor at the vote",
        "Picture credit: City Times",
        "Credit: Jane Doe",
        "(Getty Images)",
        "(AP Photo/Jane Doe)",
        "[Photo: Reuters]",
        "AFP via Getty Images",
        "Jane Doe/Getty Images",
        "Advertisement",
        "Story continues below advertisement",
        "Continue reading",
        "Click here to subscribe",
        "Follow us on Twitter",
        "Copyright 2026 City Times",
        "© 2026 City Times. All rights reserved.",
        "Reporting by Jane Doe; Editing by John Roe",
        "Most read",
        "You may also like:",
    ],
)
def test_boilerplate_line_is_dropped(line: str) -> None:
    assert body(f"Title\n{line}\n{KEPT}") == (KEPT,)
    assert body(f"Title\n{KEPT}\n{line}") == (KEPT,)


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe, Reuters", "Jane Doe"),
        ("By JANE DOE | City Times", "JANE DOE"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("By Ana de la Cruz for The Ledger", "Ana de la Cruz"),
        ("Written by Jane Doe", "Jane Doe"),
        ("By Jane Doe - City Times, 27 November 2026", "Jane Doe"),
    ],
)
def test_byline_is_dropped_and_becomes_the_author(line: str, author: str) -> None:
    assert parse_text(f"Title\n{line}\n{KEPT}") == Article("Title", (KEPT,), author=author)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Related to the vote, the council also approved a new library.",
        "Related-party loans rose 4 percent.",
        "By Tuesday evening, the river had risen two metres.",
        "By 2030 the city wants half of all trips made by bike.",
        "By the time the polls closed, turnout had passed 60 percent.",
        "Share prices fell 3 percent on Monday.",
        "Subscribers will pay 2 euros more a month, the company said.",
        "Picture this: a city without cars, the mayor said.",
        "Photographers were kept behind a fence.",
        "Imagery from the satellite showed the damage.",
        "We use cookies only where the law allows, the publisher said.",
        "Cookies from sites that track users will be banned, the regulator said.",
        "Read the full report before judging, the minister urged.",
        "Copyright lawyers say the ruling will be appealed.",
        "More than 300 people attended the meeting.",
        "Advertising revenue rose 8 percent.",
        "Follow-up talks are planned for March.",
        "Getty Images, the picture agency, said it would appeal the ruling in court.",
        "The mayor smiled. (She had expected to lose.)",
    ],
)
def test_content_that_looks_like_boilerplate_is_kept(paragraph: str) -> None:
    assert body(f"Title\n{paragraph}\nEnd.") == (paragraph, "End.")


def test_trailing_picture_credit_is_cut_from_a_line() -> None:
    assert body("T\nThe mayor at the vote. (Photo: Jane Doe/City Times)\nEnd (Getty Images)") == (
        "The mayor at the vote.",
        "End",
    )


def test_dash_footer_with_unterminated_last_headline() -> None:
    text = "T\nBody.\n-\nOne Headline Here -\nAnother One -\nLast Without Dash"
    assert body(text) == ("Body.",)


def test_dash_footer_separated_by_blank_lines() -> None:
    assert body("T\n\nBody.\n\n-\n\nOne Headline -\n\nTwo Headline -\n") == ("Body.",)


def test_lone_dash_at_the_end_is_dropped() -> None:
    assert body("T\nBody.\n-") == ("Body.",)


def test_two_dash_ended_headlines_without_a_separator_are_a_footer() -> None:
    assert body("T\nBody.\nOne Headline -\nTwo Headline -") == ("Body.",)


def test_one_dash_ended_line_without_a_separator_is_kept() -> None:
    assert body("T\nBody.\nThe score at half-time was 2 -") == (
        "Body.",
        "The score at half-time was 2 -",
    )


def test_unpunctuated_last_line_after_a_paragraph_is_kept() -> None:
    assert body("T\nBody.\nWhat happens next") == ("Body.", "What happens next")


def test_related_section_at_the_end_is_dropped_with_its_links() -> None:
    text = "T\nBody.\nRelated stories\nCouncil delays vote\nFive things to know\n© 2026 Ledger."
    assert body(text) == ("Body.",)


def test_section_heading_followed_by_prose_drops_only_the_heading() -> None:
    assert body("T\nBody.\nMost read\nThe last paragraph ends here.") == (
        "Body.",
        "The last paragraph ends here.",
    )


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the text is empty"),
        (" \n\t\r\n ", "the text contains only whitespace"),
        ("Title\x00\x00body", "the text looks like binary data, not text"),
        ("T\n" + "\x01\x02\x03abc" * 50, "the text looks like binary data, not text"),
        ("Just a title", "the text has a title but no body"),
        ("Title\n\nRead more: elsewhere\nPhoto: X", "the text has a title but no body"),
        ("Read more: elsewhere\nAdvertisement", "the text has nothing but boilerplate in it"),
    ],
)
def test_bad_text_is_refused_with_one_line(text: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_text(text)
    assert str(caught.value) == message


def test_text_over_the_size_cap_is_refused() -> None:
    with pytest.raises(IngestError, match="larger than 5 MB"):
        parse_text("T\n" + "x" * MAX_ARTICLE_BYTES)
    # Under the cap in characters, over it in UTF-8 bytes.
    with pytest.raises(IngestError, match="larger than 5 MB"):
        parse_text("T\n" + "é" * (MAX_ARTICLE_BYTES // 2))


def test_text_just_under_the_size_cap_is_accepted() -> None:
    text = "T\n" + ("word " * 60 + ".\n") * (MAX_ARTICLE_BYTES // 310)
    assert len(text.encode()) <= MAX_ARTICLE_BYTES
    assert parse_text(text).title == "T"


@given(st.text())
def test_any_string_gives_an_article_or_an_ingest_error(text: str) -> None:
    try:
        article = parse_text(text)
    except IngestError as error:
        assert "\n" not in str(error)
        return
    assert article.title
    assert article.paragraphs
    assert all(paragraph.strip() == paragraph and paragraph for paragraph in article.paragraphs)


WORDS = st.sampled_from(["river", "council", "vote", "budget", "tram", "Mayor", "said", "2026"])
SENTENCES = st.lists(WORDS, min_size=1, max_size=12).map(lambda words: " ".join(words) + ".")


@given(st.lists(SENTENCES, min_size=2, max_size=8), st.sampled_from(["\n", "\n\n"]))
def test_plain_sentences_lose_no_text(lines: list[str], separator: str) -> None:
    article = parse_text(separator.join(lines))
    assert article.title == lines[0]
    assert article.paragraphs == tuple(lines[1:])
