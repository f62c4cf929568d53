"""parse_feed and item_article: RSS 0.91/1.0/2.0 and Atom into items and articles (pure)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import MAX_FEED_BYTES, Article, Feed, FeedItem, IngestError, item_article, parse_feed
from ingest.markup import find_link, html_paragraphs

FEED_URL = "https://news.example/feeds/main.xml"

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour
     News</title>
  <link>https://news.example/</link>
  <description>News from the harbour</description>
  <item>
    <title>Ferry fares fall</title>
    <link>/2026/11/ferry-fares</link>
    <guid isPermaLink="false">news-4711</guid>
    <pubDate>Thu, 26 Nov 2026 09:30:00 +0100</pubDate>
    <dc:creator>Lena Holm</dc:creator>
    <description>The teaser, not the article.</description>
    <content:encoded><![CDATA[
      <p>The board cut ferry fares by a third on Thursday, the first cut in a decade.</p>
      <script>track("ferry")</script><style>p { color: red }</style>
      <p>Caf&eacute; owners &amp; commuters welcomed it.<br><br>Tickets go on sale
      <b>Monday</b>.<br>The timetable is unchanged.</p>
      <ul><li>Adults: 2 euros</li><li>Children: free</li></ul>
    ]]></content:encoded>
  </item>
  <item>
    <title>Storm closes the pier</title>
    <link>https://news.example/2026/11/pier</link>
    <description>&lt;p&gt;Waves &amp;amp; wind closed the pier.&lt;/p&gt;
      &lt;script&gt;alert(1)&lt;/script&gt;
      &lt;p&gt;It reopens &lt;i&gt;tomorrow&lt;/i&gt;.&lt;/p&gt;</description>
  </item>
</channel>
</rss>"""

RSS1 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Times</title>
    <link>https://rdf.example/</link>
    <description>Old school</description>
    <items><rdf:Seq><rdf:li resource="https://rdf.example/tram"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://rdf.example/tram">
    <title>Tram line opens</title>
    <link>https://rdf.example/tram</link>
    <description>The new tram line opened on Monday.</description>
    <dc:date>2026-11-23T08:00:00+02:00</dc:date>
    <dc:creator>Ola Berg</dc:creator>
  </item>
</rdf:RDF>"""

# Latin-1 bytes, the Netscape DOCTYPE and an HTML entity the XML parser does not know:
# feedparser's strict parser fails and its loose one recovers the items.
RSS091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
<channel>
<title>Caf&eacute; Weekly</title>
<link>http://cafe.example/</link>
<description>Coffee news</description>
<language>en</language>
<item>
<title>Café opens on the square</title>
<link>http://cafe.example/square</link>
<description>The café serves &amp;amp; sells beans.</description>
</item>
</channel>
</rss>""".encode("latin-1")

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/news/">
  <title type="html">Blog &lt;b&gt;News&lt;/b&gt;</title>
  <link rel="alternate" href="/"/>
  <link rel="self" href="feed.atom"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2026-11-26T10:00:00Z</updated>
  <entry xml:base="posts/">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Dock <em>strike</em>
      ends</div></title>
    <link rel="enclosure" href="strike.mp3"/>
    <link rel="alternate" href="strike.html"/>
    <id>tag:blog.example,2026:strike</id>
    <published>2026-11-25T18:00:00-05:00</published>
    <updated>2026-11-26T09:00:00Z</updated>
    <author><name>Ann  Lee</name><email>ann@blog.example</email></author>
    <summary>Short version.</summary>
    <content type="html">&lt;p&gt;Dockers voted to end the strike.&lt;/p&gt;
      &lt;p&gt;Ships sail again &lt;a href="ships"&gt;today&lt;/a&gt;.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain notes</title>
    <link href="../notes"/>
    <id>tag:blog.example,2026:notes</id>
    <updated>2026-11-24T12:00:00Z</updated>
    <content type="text">Use &lt;b&gt; for bold,
as before.

A second paragraph.</content>
  </entry>
</feed>"""


def parse(data: bytes, content_type: str | None = "application/rss+xml") -> Feed:
    return parse_feed(data, url=FEED_URL, content_type=content_type)


def rss(items: str, channel: str = "<title>T</title>") -> bytes:
    return f'<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def parse_error(data: bytes, content_type: str | None = None) -> str:
    with pytest.raises(IngestError) as caught:
        parse(data, content_type)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_rss2_with_content_encoded() -> None:
    assert parse(RSS2) == Feed(
        title="Harbour News",
        link="https://news.example/",
        items=(
            FeedItem(
                guid="news-4711",
                link="https://news.example/2026/11/ferry-fares",
                title="Ferry fares fall",
                published=datetime(2026, 11, 26, 8, 30, tzinfo=timezone.utc),
                author="Lena Holm",
                paragraphs=(
                    "The board cut ferry fares by a third on Thursday, the first cut in a decade.",
                    "Café owners & commuters welcomed it.",
                    "Tickets go on sale Monday. The timetable is unchanged.",
                    "Adults: 2 euros",
                    "Children: free",
                ),
            ),
            FeedItem(
                guid="https://news.example/2026/11/pier",
                link="https://news.example/2026/11/pier",
                title="Storm closes the pier",
                published=None,
                author=None,
                paragraphs=("Waves & wind closed the pier.", "It reopens tomorrow."),
            ),
        ),
    )


def test_rss1_rdf() -> None:
    feed = parse(RSS1, "application/rdf+xml")
    assert (feed.title, feed.link) == ("RDF Times", "https://rdf.example/")
    assert feed.items == (
        FeedItem(
            guid="https://rdf.example/tram",
            link="https://rdf.example/tram",
            title="Tram line opens",
            # RSS 1.0 has only dc:date, which feedparser calls "updated".
            published=datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc),
            author="Ola Berg",
            paragraphs=("The new tram line opened on Monday.",),
        ),
    )


def test_rss091_in_latin1_with_an_html_entity_is_recovered() -> None:
    feed = parse(RSS091, "text/xml")
    assert (feed.title, feed.link) == ("Café Weekly", "http://cafe.example/")
    [item] = feed.items
    assert (item.title, item.link) == ("Café opens on the square", "http://cafe.example/square")
    assert item.paragraphs == ("The café serves & sells beans.",)


def test_atom_with_xml_base_and_relative_links() -> None:
    feed = parse(ATOM, "application/atom+xml")
    assert (feed.title, feed.link) == ("Blog News", "https://blog.example/")
    strike, notes = feed.items
    assert strike == FeedItem(
        guid="tag:blog.example,2026:strike",
        link="https://blog.example/news/posts/strike.html",
        title="Dock strike ends",
        published=datetime(2026, 11, 25, 23, 0, tzinfo=timezone.utc),
        author="Ann Lee",
        paragraphs=("Dockers voted to end the strike.", "Ships sail again today."),
    )
    assert notes.link == "https://blog.example/notes"
    assert notes.published == datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    # type="text" content is text: a "<b>" in it is kept, not taken for markup.
    assert notes.paragraphs == ("Use <b> for bold, as before.", "A second paragraph.")


def test_relative_links_resolve_against_the_feed_url() -> None:
    feed = parse(rss("<item><title>A</title><link>../a.html</link></item>", "<link>/</link>"))
    assert feed.link == "https://news.example/"
    assert feed.items[0].link == "https://news.example/a.html"


def test_entry_without_guid_is_known_by_its_link() -> None:
    [item] = parse(rss("<item><title>A</title><link>https://x.example/a</link></item>")).items
    assert (item.guid, item.link) == ("https://x.example/a", "https://x.example/a")


def test_entry_without_guid_or_link_is_known_by_a_hash_of_its_text() -> None:
    items = rss(
        "<item><title>Quiet day</title><description>Nothing happened.</description></item>"
        "<item><description>No title here.</description></item>"
        "<item><title></title><description>  </description></item>"
    )
    first, second = parse(items).items  # the empty third one is left out
    assert first.guid == hashlib.sha1(b"Quiet day\nNothing happened.").hexdigest()
    assert second.guid == hashlib.sha1(b"\nNo title here.").hexdigest()
    assert (first.link, second.link, second.title) == (None, None, "")
    assert parse(items).items[0].guid == first.guid  # the same on the next poll


def test_guid_that_is_no_url_is_resolved_unless_marked_not_a_permalink() -> None:
    # feedparser's reading of RSS 2.0: a guid is a permalink unless isPermaLink="false".
    feed = parse(
        rss(
            "<item><title>A</title><guid>1234</guid><link>https://x.example/a</link></item>"
            '<item><title>B</title><guid isPermaLink="false">1235</guid></item>'
            "<item><title>C</title><guid>https://x.example/c</guid></item>"
        )
    )
    a, b, c = feed.items
    assert (a.guid, a.link) == ("https://news.example/feeds/1234", "https://x.example/a")
    assert (b.guid, b.link) == ("1235", None)
    assert (c.guid, c.link) == ("https://x.example/c", "https://x.example/c")


def test_links_that_are_not_http_are_dropped() -> None:
    feed = parse(
        rss(
            "<item><title>A</title><link>javascript:alert(1)</link></item>"
            "<item><title>B</title><link>mailto:desk@news.example</link></item>",
            "<title>T</title><link>ftp://news.example/</link>",
        )
    )
    assert feed.link is None
    assert [item.link for item in feed.items] == [None, None]


def test_missing_and_unreadable_dates_are_none() -> None:
    feed = parse(
        rss(
            "<item><title>A</title></item>"
            "<item><title>B</title><pubDate>sometime last week</pubDate></item>"
            "<item><title>C</title><pubDate>2026-11-26</pubDate></item>"
        )
    )
    assert [item.published for item in feed.items] == [
        None,
        None,
        datetime(2026, 11, 26, tzinfo=timezone.utc),
    ]


def test_published_wins_over_updated() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b"<entry><title>A</title><id>urn:a</id><updated>2026-11-26T10:00:00Z</updated>"
        b"<published>2026-11-20T10:00:00Z</published></entry></feed>"
    )
    [item] = parse(atom, "application/atom+xml").items
    assert item.published == datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Tom &amp;amp; Jerry&amp;#8217;s day", "Tom & Jerry’s day"),
        ("&lt;i&gt;Hamlet&lt;/i&gt; returns", "Hamlet returns"),
        ("<![CDATA[<b>Bold</b> move]]>", "Bold move"),
        ("a &lt; b", "a < b"),
        ("  two\n   lines  ", "two lines"),
        ("", ""),
    ],
)
def test_titles_are_plain_text(title: str, expected: str) -> None:
    [item] = parse(rss(f"<item><title>{title}</title><guid>g</guid></item>")).items
    assert item.title == expected


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("lena@news.example (Lena Holm)", "Lena Holm"),
        ("lena@news.example", None),
    ],
)
def test_rss_author_is_a_name_never_a_bare_address(author: str, expected: str | None) -> None:
    [item] = parse(rss(f"<item><title>A</title><author>{author}</author></item>")).items
    assert item.author == expected


def test_feed_without_title_or_items_is_an_empty_feed() -> None:
    assert parse(rss("", "<title>Quiet</title>")) == Feed("Quiet", None, ())
    # Without a Content-Type feedparser flags the feed "bozo"; the XML is fine all the same.
    assert parse(b'<rss version="2.0"><channel></channel></rss>', None) == Feed(None, None, ())


def test_charset_from_the_content_type() -> None:
    data = '<rss version="2.0"><channel><title>Smörgåsbord</title></channel></rss>'
    feed = parse(data.encode("latin-1"), "application/rss+xml; charset=ISO-8859-1")
    assert feed.title == "Smörgåsbord"


def test_broken_xml_with_items_is_accepted() -> None:
    feed = parse(rss("<item><title>A</title></item><item><title>B & C</title></item>")[:-16])
    assert [item.title for item in feed.items] == ["A", "B & C"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the feed is empty"),
        (b" \r\n\t", "the feed is empty"),
        (b"<rss version='2.0'><chan", "the feed is not valid XML (unclosed token)"),
        (
            b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'><entry></feed>",
            "the feed is not valid XML (mismatched tag)",
        ),
        (
            b"<!doctype html><html><head><title>Harbour News</title></head>"
            b"<body><h1>Harbour News</h1><p>Welcome.</p></body></html>",
            "not an RSS or Atom feed",
        ),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
            "not an RSS or Atom feed",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not an RSS or Atom feed"),
        (b"<?xml version='1.0'?><note><to>Tove</to></note>", "not an RSS or Atom feed"),
    ],
)
def test_what_is_not_a_feed_is_refused(data: bytes, message: str) -> None:
    assert parse_error(data) == message


def test_too_large_is_refused() -> None:
    data = rss("<item><title>A</title></item>") + b" " * MAX_FEED_BYTES
    assert parse_error(data) == "the feed is larger than 10 MB"


def test_bytes_naming_a_file_are_not_read(tmp_path: Path) -> None:
    # feedparser opens a file whose name it is given; parse_feed hands it a stream.
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS2)
    assert parse_error(str(path).encode()) == "not an RSS or Atom feed"


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(),
        st.lists(
            st.sampled_from(
                [
                    "<rss version='2.0'>",
                    "<channel>",
                    "<item>",
                    "</item>",
                    "<title>",
                    "</title>",
                    "<description>",
                    "</description>",
                    "&lt;p&gt;",
                    "&amp;",
                    "<![CDATA[",
                    "]]>",
                    "<guid>",
                    "</guid>",
                    "<link>",
                    "</link>",
                    "<pubDate>",
                    "</pubDate>",
                    "x",
                    " ",
                    "<feed xmlns='http://www.w3.org/2005/Atom'>",
                    "<entry>",
                    "</entry>",
                    "\x00",
                ]
            )  # fmt: skip
        ).map(lambda parts: "".join(parts).encode()),
    ),
    st.sampled_from([None, "application/rss+xml", "text/html; charset=no-such-charset"]),
)
def test_any_bytes_give_a_feed_or_an_ingest_error(data: bytes, content_type: str | None) -> None:
    try:
        feed = parse_feed(data, url=FEED_URL, content_type=content_type)
    except IngestError as error:
        assert "\n" not in str(error)
        return
    for item in feed.items:
        assert item.guid
        assert all(paragraph and "\n" not in paragraph for paragraph in item.paragraphs)


def item(**fields: object) -> FeedItem:
    values: dict[str, object] = {
        "guid": "g",
        "link": "https://www.news.example/2026/11/ferry",
        "title": "Ferry fares fall",
        "published": datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc),
        "author": "Lena Holm",
        "paragraphs": ("The board cut fares by a third.", "Tickets go on sale on Monday."),
    }
    values.update(fields)
    return FeedItem(**values)  # type: ignore[arg-type]


def test_item_article() -> None:
    assert item_article(item()) == Article(
        title="Ferry fares fall",
        paragraphs=("The board cut fares by a third.", "Tickets go on sale on Monday."),
        url="https://www.news.example/2026/11/ferry",
        source="news.example",
        author="Lena Holm",
        published="2026-11-26",
    )
    assert item_article(item(), source="Harbour News").source == "Harbour News"


def test_item_article_drops_boilerplate_like_pasted_text() -> None:
    paragraphs = (
        "By Ola Berg",
        "The board cut fares by a third.",
        "Photo: Jo Lind/Harbour News",
        "Tickets go on sale on Monday.",
        "Continue reading",
        "The post Ferry fares fall appeared first on Harbour News.",
    )
    article = item_article(item(paragraphs=paragraphs, author=None))
    assert article.paragraphs == (
        "The board cut fares by a third.",
        "Tickets go on sale on Monday.",
    )
    assert article.author == "Ola Berg"


def test_item_article_without_a_title_takes_the_first_sentence() -> None:
    article = item_article(item(title="", paragraphs=("Fares fall. The board said so.",)))
    assert article.title == "Fares fall."
    assert article.paragraphs == ("Fares fall. The board said so.",)
    long_sentence = "The board " + "and the council " * 10 + "cut the fares"
    title = item_article(item(title="", paragraphs=(long_sentence,))).title
    assert title == "The board " + "and the council " * 6 + "and the…"
    assert len(title) <= 120


@pytest.mark.parametrize("paragraphs", [(), ("Continue reading", "Share this")])
def test_item_article_without_text_is_refused(paragraphs: tuple[str, ...]) -> None:
    with pytest.raises(IngestError, match="^the feed item has no text$"):
        item_article(item(paragraphs=paragraphs))


def test_item_article_from_a_parsed_feed() -> None:
    article = item_article(parse(RSS2).items[1], source="Harbour News")
    assert (article.title, article.url, article.published) == (
        "Storm closes the pier",
        "https://news.example/2026/11/pier",
        None,
    )
    assert article.body == "Waves & wind closed the pier.\n\nIt reopens tomorrow."


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>One</p><p>Two</p>", ["One", "Two"]),
        ("One<br>same<br/><br />Two<br>\n <br>Three", ["One same", "Two", "Three"]),
        ("<div>Out<div>In</div>Out again</div>", ["Out", "In", "Out again"]),
        ("<h2>Head</h2>Text <b>bold</b>and<i> more</i>", ["Head", "Text boldand more"]),
        ("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", ["a b", "c"]),
        ("<p>Kept</p><script>var x = '<p>no</p>';</script><style>p {}</style>", ["Kept"]),
        ("<noscript><p>no</p></noscript><svg><text>no</text></svg><svg/>after", ["after"]),
        ("&lt;tag&gt; &amp; &eacute; &#8217; &nbsp;x&zz;", ["<tag> & é ’ x&zz;"]),
        ("a<!-- hidden -->b<![CDATA[c]]>d<![bogus[ e ]]>f", ["abdf"]),
        ("zero\u200bwidth\x07", ["zerowidth"]),
        ("", []),
    ],
)
def test_html_paragraphs(fragment: str, expected: list[str]) -> None:
    assert html_paragraphs(fragment) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="<&")))
def test_html_paragraphs_lose_no_text(text: str) -> None:
    assert " ".join(html_paragraphs(text)).split() == text.split()


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '<link rel="alternate" type="application/rss+xml" href="/feed">',
            "https://s.example/feed",
        ),
        (
            "<head><link rel=stylesheet href=a.css><link rel='Alternate Feed' "
            "type='Application/Atom+XML; charset=utf-8' href='atom.xml'>",
            "https://s.example/news/atom.xml",
        ),
        (
            '<base href="https://cdn.example/b/"><link rel=alternate type=application/rss+xml '
            "href=rss>",
            "https://cdn.example/b/rss",
        ),
        ('<link rel="alternate" type="text/html" hreflang="de" href="/de">', None),
        ('<link rel="alternate" type="application/rss+xml">', None),
        ('<body><link rel="alternate" type="application/rss+xml" href="/late"></body>', None),
        ("not html at all", None),
    ],
)
def test_find_link(page: str, expected: str | None) -> None:
    types = {"application/rss+xml", "application/atom+xml"}
    found = find_link(page, "https://s.example/news/", rel="alternate", types=types)
    assert found == expected
