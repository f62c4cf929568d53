"""Splitting Telegram HTML within the 4096-character limit."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import esc, link
from bot.split import split_message, visible_length

ALLOWED = {"b", "i", "a", "code", "blockquote"}


def _balanced(part: str) -> bool:
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z]+)[^>]*>", part):
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            if name not in ALLOWED:
                return False
            stack.append(name)
    return not stack


def _text(part: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", part))


def test_short_message_is_one_part() -> None:
    assert split_message("<b>Hi</b> &amp; bye") == ["<b>Hi</b> &amp; bye"]


def test_splits_between_blocks_first() -> None:
    blocks = [f"<b>Title {i}</b>\n" + "word " * 150 for i in range(10)]
    parts = split_message("\n\n".join(blocks), limit=2000)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<b>Title ")
        assert visible_length(part) <= 2000


def test_long_tag_is_closed_and_reopened() -> None:
    url = "https://example.org/?a=1&b=2"
    message = link(url, "x" * 50 + " " + "y" * 50)
    parts = split_message(message, limit=60)
    assert len(parts) == 2
    assert all(p.startswith('<a href="https://example.org/?a=1&amp;b=2">') for p in parts)
    assert all(p.endswith("</a>") for p in parts)


def test_entities_are_never_cut_and_count_once() -> None:
    message = esc("<&>" * 100)
    parts = split_message(message, limit=7)
    assert all(visible_length(p) <= 7 for p in parts)
    assert "".join(_text(p) for p in parts) == "<&>" * 100


def test_emoji_count_two_utf16_units() -> None:
    assert visible_length("😀a") == 3
    parts = split_message("😀" * 10, limit=4)
    assert parts == ["😀😀"] * 5


def test_character_wider_than_the_limit_still_goes_alone() -> None:
    # Regression: limit 1 and a two-unit emoji used to loop forever.
    assert split_message("a😀b", limit=1) == ["a", "😀", "b"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", "b", "i", "a"]), st.text(min_size=1, max_size=300)),
        min_size=1,
        max_size=30,
    ),
    st.integers(min_value=20, max_value=400),
)
def test_any_message_splits_within_limit_without_losing_text(
    pieces: list[tuple[str, str]], limit: int
) -> None:
    rendered = []
    for tag, text in pieces:
        if tag == "a":
            rendered.append(link("https://example.org/x?q=<1>", text))
        elif tag:
            rendered.append(f"<{tag}>{esc(text)}</{tag}>")
        else:
            rendered.append(esc(text))
    message = "\n".join(rendered)
    parts = split_message(message, limit=limit)
    for part in parts:
        assert 0 < visible_length(part) <= limit
        assert _balanced(part)
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze("".join(_text(p) for p in parts)) == squeeze(_text(message))
