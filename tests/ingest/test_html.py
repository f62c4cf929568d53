"""parse_html: main text only, metadata read, and pages with no article refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import IngestError, parse_html
from ingest.html import find_language

PARAGRAPHS = (
    "The city council voted 7-2 on Tuesday to build twelve kilometres of protected bike "
    "lanes along the river, ending a debate that lasted more than two years.",
    '"This is a safer city starting today," said Mayor Ana Ruiz after the vote. She said '
    "construction would begin in the spring and finish by autumn.",
    "Opponents argued that the lanes would remove parking spaces that small shops depend on, "
    "and two councillors voted against the plan.",
)

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<title>Council approves bike lanes | City Times</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-11-20T10:00:00Z">
<meta property="og:title" content="Council approves bike lanes">
<meta property="og:site_name" content="City Times">
<meta name="description" content="Twelve kilometres of lanes by autumn.">
<script>var tracking = "SCRIPT_IN_HEAD";</script>
<style>.ad {{ color: red }}</style>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sports">Sports section</a></li></ul></nav>
<div class="ad advertisement">BUY CHEAP WATCHES NOW</div>
<article>
<h1>Council approves bike lanes</h1>
<p class="byline">By Jane Doe</p>
<p>{}</p>
<figure><img src="lanes.jpg" alt="lanes">
<figcaption>Photo: John Roe/City Times</figcaption></figure>
<p>{}</p>
<div class="advert">Advertisement</div>
<script>document.write("SCRIPT_IN_BODY")</script>
<p>{}</p>
<p>Read more: Council delays budget vote</p>
</article>
<aside class="related"><h3>Related stories</h3>
<ul><li><a href="/a">Harbour ferry fares to fall next year</a></li></ul></aside>
<section id="comments">
<div class="comment"><p>COMMENT_TEXT finally, great news!!</p></div></section>
<footer>Copyright 2026 City Times</footer>
</body>
</html>
""".format(*PARAGRAPHS)


def test_article_page_gives_main_text_and_metadata() -> None:
    article = parse_html(PAGE, url="https://www.citytimes.example/news/bike-lanes")
    assert article.title == "Council approves bike lanes"
    assert article.paragraphs == PARAGRAPHS
    assert article.author == "Jane Doe"
    assert article.published == "2026-11-20"
    assert article.language == "en"
    assert article.source == "City Times"
    assert article.url == "https://www.citytimes.example/news/bike-lanes"
    assert article.extra == {"description": "Twelve kilometres of lanes by autumn."}


def test_navigation_ads_comments_related_links_and_scripts_are_left_out() -> None:
    text = parse_html(PAGE).body
    for junk in (
        "Sports section",
        "WATCHES",
        "SCRIPT_IN",
        "COMMENT_TEXT",
        "Harbour ferry",
        "Related",
        "Read more",
        "Photo:",
        "Copyright",
        "Advertisement",
        ".ad",
    ):
        assert junk not in text


def test_page_without_metadata_takes_the_first_line_as_title() -> None:
    page = "<html><body><article><h2>Plain headline</h2>{}</article></body></html>".format(
        "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    )
    article = parse_html(page)
    assert article.title == "Plain headline"
    assert article.paragraphs == PARAGRAPHS
    assert (article.author, article.published, article.language) == (None, None, None)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("", "the page is empty"),
        ("  \n ", "the page contains only whitespace"),
        (
            "<html><head><script>var a = 'x'.repeat(500);</script></head>"
            "<body><script>document.write('hello world, this is script text')</script>"
            "</body></html>",
            "the page has no article text in it",
        ),
        (
            "<html><head><title>Home | Site</title></head><body><nav><a href='/a'>World</a> "
            "<a href='/b'>Sports</a></nav><ul><li><a href='/x'>Headline one about the vote</a>"
            "</li><li><a href='/y'>Headline two about the storm</a></li></ul></body></html>",
            "the page has no article text in it",
        ),
        (
            "<html><head><title>Page not found</title></head><body><h1>Page not found</h1>"
            "<p>Sorry, the page you were looking for does not exist.</p></body></html>",
            "the page has no article text in it",
        ),
        ("<html><body></body></html>", "the page has no article text in it"),
    ],
    ids=["empty", "whitespace", "only-scripts", "link-list", "not-found", "empty-body"],
)
def test_page_without_an_article_is_refused(page: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_html(page)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("page", "language"),
    [
        ('<html lang="de-AT"><body>', "de"),
        ("<HTML LANG=fr>", "fr"),
        ('<html><head><meta http-equiv="Content-Language" content="es">', "es"),
        ('<html><head><meta property="og:locale" content="pt_BR">', "pt"),
        ("<html><body>", None),
    ],
)
def test_find_language(page: str, language: str | None) -> None:
    assert find_language(page) == language


def test_lone_surrogate_loses_no_text() -> None:
    # lxml stops at a lone surrogate; a caller's broken str must not cut the article short.
    page = PAGE.replace("voted 7-2", "voted\ud800 7-2")
    assert parse_html(page).paragraphs == PARAGRAPHS


@settings(max_examples=50, deadline=None)
@given(st.text(), st.sampled_from(["", "<html><body><article><p>", "<title>T</title><p>"]))
def test_any_page_gives_an_article_or_an_ingest_error(text: str, prefix: str) -> None:
    try:
        article = parse_html(prefix + text)
    except IngestError as error:
        assert "\n" not in str(error)
        return
    assert article.title and article.paragraphs
