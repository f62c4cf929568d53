"""summarize(): tiny articles with exact summaries, bad input, and the eval data when present."""

from __future__ import annotations

import json
from pathlib import Path
from string import ascii_lowercase

import pytest

from summarizer.ranking import STEMMER
from summarizer.summarize import ALGORITHM_VERSION, Summary, summarize

EVAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval"

ARTICLE = (
    "(CNN)The city council approved a new budget for schools on Monday. "
    "Scroll down for video. "
    "The budget adds 200 teachers and repairs old school buildings. "
    "Do you think the plan will work? "
    "Parents had asked the council for more teachers for years. "
    '"It is a great day." '
    "The mayor said the budget for schools would be paid by a new tax on hotels. "
    "The weather was sunny."
)


def test_summarize_picks_content_sentences_in_article_order() -> None:
    assert summarize(ARTICLE) == Summary(
        [
            "The city council approved a new budget for schools on Monday.",
            "The budget adds 200 teachers and repairs old school buildings.",
            "Parents had asked the council for more teachers for years.",
        ]
    )


def test_summarize_drops_redundant_sentences() -> None:
    text = (
        "The storm closed every road in the county on Friday morning. "
        "Every road in the county was closed by the storm on Friday morning. "
        "Schools stayed shut while crews cleared fallen trees from the main streets."
    )
    assert summarize(text, sentences=2).sentences == [
        "The storm closed every road in the county on Friday morning.",
        "Schools stayed shut while crews cleared fallen trees from the main streets.",
    ]


def test_summarize_title_favours_matching_sentences() -> None:
    text = (
        "Officials met in the capital on Tuesday to discuss several issues. "
        "Many topics were raised during the long and tiring meeting of officials. "
        "Officials also talked about taxes and about the weather. "
        "A new railway line to the airport will open next spring, they agreed."
    )
    first = "Officials met in the capital on Tuesday to discuss several issues."
    assert summarize(text, sentences=2).sentences == [
        first,
        "Many topics were raised during the long and tiring meeting of officials.",
    ]
    assert summarize(text, title="Airport railway line to open next spring", sentences=2) == (
        Summary([first, "A new railway line to the airport will open next spring, they agreed."])
    )


def test_summarize_strips_datelines() -> None:
    text = "LONDON (Reuters) - Shares fell sharply on Monday across Europe."
    assert summarize(text).sentences == ["Shares fell sharply on Monday across Europe."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("  \n ", []),
        ("Just one sentence here.", ["Just one sentence here."]),
        ("no punctuation at all in this text", ["no punctuation at all in this text"]),
        ("BREAKING NEWS\nMARKETS CRASH", ["BREAKING NEWS", "MARKETS CRASH"]),
        ("今天下雨。明天晴。", ["今天下雨。明天晴。"]),
    ],
)
def test_summarize_bad_input_never_raises(text: str, expected: list[str]) -> None:
    assert summarize(text).sentences == expected


def test_summarize_list_of_headlines() -> None:
    text = "Storm hits the coast\nMarkets fall again\nElection called for June\nTeam wins cup"
    result = summarize(text, sentences=3).sentences
    assert len(result) == 3
    assert all(line in text.splitlines() for line in result)


def test_summarize_non_english() -> None:
    text = "Der Hund bellt laut. Die Katze schläft im Garten. Das Wetter ist schön heute."
    assert len(summarize(text, sentences=2).sentences) == 2


def test_summarize_two_megabyte_article() -> None:
    sentences = [
        f"Council meeting number {i} discussed road {i % 97} repairs." for i in range(40_000)
    ]
    result = summarize(" ".join(sentences)).sentences
    # Near-identical sentences are redundant, so fewer than three may come back.
    assert 1 <= len(result) <= 3
    assert all(s in sentences for s in result)


def test_summarize_zero_sentences() -> None:
    assert summarize(ARTICLE, sentences=0).sentences == []


def test_no_word_stems_to_nothing() -> None:
    # The ranking drops falsy terms as stop words; an empty stem would vanish with them.
    short = [a + b for a in ascii_lowercase for b in ["", *ascii_lowercase]]
    suffixes = ["ies", "ing", "ed", "ly", "sses", "eed", "ational", "ousness", "ingly"]
    assert all(STEMMER(word) for word in short + suffixes)


def test_algorithm_version_is_a_string() -> None:
    assert isinstance(ALGORITHM_VERSION, str) and ALGORITHM_VERSION


@pytest.mark.skipif(not EVAL.is_dir(), reason="no ../shared/eval")
def test_summaries_are_article_sentences_on_cnndm() -> None:
    with (EVAL / "cnndm-dev.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:20]
    for row in rows:
        summary = summarize(row["text"]).sentences
        assert len(summary) == 3
        assert all(s in row["text"] for s in summary)
