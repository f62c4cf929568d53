"""The sentence splitter: hard cases of news text, bad input, and no lost text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.sentences import NewsTokenizer, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. economy grew. Mr. Smith spoke on Sept. 11 and Jan. 5. It ended.",
            ["The U.S. economy grew.", "Mr. Smith spoke on Sept. 11 and Jan. 5.", "It ended."],
        ),
        (
            "He moved to the U.S. The move paid off.",
            ["He moved to the U.S.", "The move paid off."],
        ),
        (
            "Shares rose 3.5% to $1.13bn. Profit fell.",
            ["Shares rose 3.5% to $1.13bn.", "Profit fell."],
        ),
        (
            "J. K. Rowling wrote it. George W. Bush read it.",
            ["J. K. Rowling wrote it.", "George W. Bush read it."],
        ),
        (
            '"We will win," he said. "Next year..." she said... Then nothing.',
            ['"We will win," he said.', '"Next year..." she said...', "Then nothing."],
        ),
        ("Wait... what? Yes!", ["Wait... what?", "Yes!"]),
        (
            'Beijing’s crackdowns "In February we will finally act," he said.',
            ["Beijing’s crackdowns", '"In February we will finally act," he said.'],
        ),
        (
            "His mother died descending from its peak A climber has set his sights on K2.",
            ["His mother died descending from its peak", "A climber has set his sights on K2."],
        ),
        (
            "He took vitamin A and slept. England A beat France.",
            ["He took vitamin A and slept.", "England A beat France."],
        ),
        ("He left at 7:30 p.m. Jordan stayed.", ["He left at 7:30 p.m.", "Jordan stayed."]),
        (
            "Storm hits coast\nMarkets fall\nElection called",
            ["Storm hits coast", "Markets fall", "Election called"],
        ),
        (
            "A headline without a period\n\nThe story starts here.",
            ["A headline without a period", "The story starts here."],
        ),
        ("lines that are\nhard wrapped go on.", ["lines that are hard wrapped go on."]),
        # Spaces before a line break: the character before them decides.
        ("He said, \nThe end came fast.", ["He said, The end came fast."]),
        ("Storm hits coast  \nMarkets fall", ["Storm hits coast", "Markets fall"]),
        (
            "Rescuers searched the valley The search was called off. So I believe it.",
            ["Rescuers searched the valley", "The search was called off.", "So I believe it."],
        ),
    ],
)
def test_split_sentences_hard_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n\n ", []),
        ("One sentence only.", ["One sentence only."]),
        ("no punctuation at all here", ["no punctuation at all here"]),
        ("Der Hund bellt. Die Katze schläft.", ["Der Hund bellt.", "Die Katze schläft."]),
        ("今天下雨。明天晴。", ["今天下雨。明天晴。"]),
    ],
)
def test_split_sentences_bad_input(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_two_megabytes() -> None:
    text = "The council met again on Monday. " * 64_000
    sentences = split_sentences(text)
    assert len(sentences) == 64_000
    assert sentences[0] == "The council met again on Monday."


@given(st.text())
def test_split_sentences_keeps_every_character(text: str) -> None:
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    assert all(s and s == s.strip() for s in sentences)


@given(st.text(alphabet=st.sampled_from("aB .!?\"'\n”“A1")))
def test_split_sentences_keeps_every_character_of_punctuation_soup(text: str) -> None:
    assert "".join("".join(split_sentences(text)).split()) == "".join(text.split())


def test_tokenizer_serves_sumy() -> None:
    tokenizer = NewsTokenizer("english")
    assert tokenizer.language == "english"
    assert tokenizer.to_sentences("Mr. Lee won. He smiled.") == ("Mr. Lee won.", "He smiled.")
    assert tokenizer.to_words("Lee's well-known 3 goals, again!") == (
        "Lee's",
        "well-known",
        "goals",
        "again",
    )
