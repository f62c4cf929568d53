"""Telegram HTML parsing: entities and UTF-16 offsets, and the errors Telegram gives."""

from __future__ import annotations

import pytest

from tests.fakebot.tghtml import HTMLParseError, parse_html, utf16_length


def test_nested_tags_become_entities_with_utf16_offsets() -> None:
    parsed = parse_html("😀 <b>bold <i>it</i></b>")
    assert parsed.text == "😀 bold it"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 7},
        {"type": "italic", "offset": 8, "length": 2},
    ]


def test_entities_are_unescaped_and_count_once() -> None:
    parsed = parse_html("&lt;a&gt; &amp; &quot;q&quot; &#128512; &#x41;")
    assert parsed.text == '<a> & "q" 😀 A'
    assert utf16_length(parsed.text) == len(parsed.text) + 1 == 14


def test_links_mentions_code_quotes_spoilers() -> None:
    html = (
        '<a href="https://e.com/?a=1&amp;b=2">link</a> <a href="tg://user?id=42">Ann</a> '
        '<pre><code class="language-py">x = 1</code></pre> <code>c</code> '
        '<blockquote expandable>q</blockquote> <span class="tg-spoiler">s</span> '
        "<tg-spoiler>t</tg-spoiler> <u>u</u> <s>s</s>"
    )
    types = [(e["type"], e.get("url") or e.get("language")) for e in parse_html(html).entities]
    assert types == [
        ("text_link", "https://e.com/?a=1&b=2"),
        ("text_mention", None),
        ("pre", "py"),
        ("code", None),
        ("expandable_blockquote", None),
        ("spoiler", None),
        ("spoiler", None),
        ("underline", None),
        ("strikethrough", None),
    ]


def test_empty_tags_give_no_entity() -> None:
    assert parse_html("a<b></b>b").entities == []


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("a & b", "Character '&' is reserved"),
        ("&nbsp;", "Character '&' is reserved"),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="x>y', "Unclosed start tag"),
        ("<b", "Unclosed start tag"),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),
    ],
)
def test_invalid_html_is_refused_like_telegram(html: str, error: str) -> None:
    with pytest.raises(HTMLParseError) as raised:
        parse_html(html)
    assert error in str(raised.value)


def test_lenient_mode_passes_a_bare_ampersand_like_tdlib() -> None:
    assert parse_html("a & b", strict=False).text == "a & b"


def test_a_bare_greater_than_is_text() -> None:
    assert parse_html("a > b").text == "a > b"
