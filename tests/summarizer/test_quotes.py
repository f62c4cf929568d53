"""Quote extraction (issue 4): tiny inputs with exact outputs, the sample, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.quotes import Quote, extract_quotes, key_quotes

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "putin-xi-call.txt"


def said(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker, q.cue) for q in extract_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We will win," Smith said.', ("We will win", "Smith", "said")),
        ("“We will win,” said Jane Smith.", ("We will win", "Jane Smith", "said")),
        (
            "Il a dit: «Nous gagnerons», said Pierre Dupont.",
            ("Nous gagnerons", "Pierre Dupont", "said"),
        ),
        ("Merkel said: „Wir schaffen das“.", ("Wir schaffen das", "Merkel", "said")),
        ('Ann Lee said "we are ready to go now."', ("we are ready to go now.", "Ann Lee", "said")),
        ('Ann Lee said, "we are ready."', ("we are ready.", "Ann Lee", "said")),
        ('"We are ready," Ann Lee told reporters.', ("We are ready", "Ann Lee", "told")),
        ('"We are ready," Ann Lee added.', ("We are ready", "Ann Lee", "added")),
        ('"We are ready," Ann Lee says.', ("We are ready", "Ann Lee", "says")),
        ('According to Ann Lee, "we are ready."', ("we are ready.", "Ann Lee", "according to")),
        ('"We are ready," according to Ann Lee.', ("We are ready", "Ann Lee", "according to")),
        ('Ann Lee wrote: "We are ready."', ("We are ready.", "Ann Lee", "wrote")),
        (
            'Ann Lee was quoted as saying "we are ready."',
            ("we are ready.", "Ann Lee", "quoted as saying"),
        ),
        (
            '"We are ready," Xinhua reported Xi Jinping as saying.',
            ("We are ready", "Xi Jinping", "reported"),
        ),
        (
            "\"He called it 'fake news' twice,\" said Ann Lee.",
            ("He called it 'fake news' twice", "Ann Lee", "said"),
        ),
        (
            '"He called it “fake news” twice," said Ann Lee.',
            ("He called it “fake news” twice", "Ann Lee", "said"),
        ),
    ],
)
def test_marks_and_cues(text: str, expected: tuple[str, str, str]) -> None:
    assert said(text) == [expected]


def test_split_quote_is_joined_with_one_span() -> None:
    text = 'Mary Jones arrived.\n"We will win," she said, "and then we rest."'
    assert extract_quotes(text) == [
        Quote("We will win, and then we rest.", "Mary Jones", "said", 20, 64, True)
    ]


def test_statement_continued_after_its_attribution_is_one_quote() -> None:
    text = 'Graham spoke.\n"We will win," Graham said. "Then we rest."\n"See you then."'
    assert extract_quotes(text) == [
        Quote("We will win. Then we rest.", "Graham", "said", 14, 57, True),
        Quote("See you then.", None, None, 58, 73, False),
    ]
    text = '"We will win," Graham said, calling Lee his "dear friend".'
    assert said(text) == [("We will win", "Graham", "said"), ("dear friend", "Graham", "said")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Trump told supporters to "go to your place and vote" and then "go sit there."',
            [
                ("go to your place and vote", "Trump", "told"),
                ("go sit there.", "Trump", "told"),
            ],
        ),
        (
            'Ann Lee spoke at a "Town Hall Forum" and said the job needs one thing: '
            '"Steadiness, an absolute rock steadiness."',
            [("Steadiness, an absolute rock steadiness.", "Ann Lee", "said")],
        ),
    ],
)
def test_quotes_later_in_a_sentence_share_its_speaker(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'PolitiFact claimed "Trump exaggerates" the rate through a '
            '"misleading use of statistics," in May.',
            [
                ("Trump exaggerates", "PolitiFact", "claimed"),
                ("misleading use of statistics", "PolitiFact", "claimed"),
            ],
        ),
        (
            '"Business leaders honored Trump yesterday," the article read.',
            [("Business leaders honored Trump yesterday", "the article", "read")],
        ),
        (
            "Keith Lamont Scott died on Tuesday; he was 43. Rakeyia Scott can be heard "
            'yelling that her husband was unarmed.\n"Do not shoot him," she says.',
            [("Do not shoot him", "Rakeyia Scott", "says")],
        ),
        (
            "Aparna Mathur, who studies tax policy, said Ivanka Trump's statement was vague."
            '\n"I see no details," she said.',
            [("I see no details", "Aparna Mathur", "said")],
        ),
        (
            "Douglas Brinkley, a historian who attended the session, recalled, "
            '"He said we must act."',
            [("He said we must act.", "Douglas Brinkley", "recalled")],
        ),
    ],
)
def test_sentence_context_and_family_names(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    """A quoted phrase mid-sentence does not cut the sentence's subject off; one
    Scott's pronouns are not another's; `said Ivanka Trump's statement` names no speaker."""
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We are angry!" ―\xa0Julie A. Diaz Martinez.',
            [("We are angry!", "Julie A. Diaz Martinez", "—")],
        ),
        (
            '"Trump is back," the article read. "He has erased his debt," it added.',
            [
                ("Trump is back", "the article", "read"),
                ("He has erased his debt", "the article", "added"),
            ],
        ),
        (
            'The New York Times endorsed Clinton on Saturday. "She is ready," it wrote.',
            [("She is ready", "New York Times", "wrote")],
        ),
    ],
)
def test_initials_and_it(text: str, expected: list[tuple[str, str, str]]) -> None:
    """Initials stay in a name; `it` is the organization or unnamed source before."""
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On July 6, 2015, Sanders made the following comment:\n\n"
            '"The rate is 51 percent for black youth."',
            [("The rate is 51 percent for black youth.", "Sanders", None)],
        ),
        (
            "Clinton restricted comments about breaking up big banks.\n\n"
            '"If any bank cannot be managed, it should be broken up."',
            [("If any bank cannot be managed, it should be broken up.", "Clinton", None)],
        ),
        (
            '"We are ready," Tom Lee said.\n\n"Nobody else is."',
            [("We are ready", "Tom Lee", "said"), ("Nobody else is.", "Tom Lee", "said")],
        ),
        (
            "In a panel this weekend in Washington, Marc H. Morial, the chief executive of "
            'the National Urban League, forcefully told a woman that "not voting is no plan."',
            [("not voting is no plan.", "Marc H. Morial", "told")],
        ),
    ],
)
def test_quote_paragraph_after_its_introduction(
    text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    """A quote standing alone in its paragraph belongs to the sentence before it; a
    name before `, the ...` is the subject however long the sentence."""
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Following a swiftly called, late-afternoon meeting, the Security Council issued "
            'a statement calling the test "a clear violation of resolutions."',
            [("a clear violation of resolutions.", "Security Council", "calling")],
        ),
        (
            'Jobs rose in New York on Monday.\n"We are ready," the mayor said.',
            [("We are ready", "the mayor", "said")],
        ),
    ],
)
def test_openers_and_descriptions_nobody_fits(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    """A lowercase phrase after an opener is not the subject; `the mayor` stays a
    description when the article names no person before it (`New York` is none)."""
    assert said(text) == expected


def test_a_surname_widens_to_the_latest_full_name_before_it() -> None:
    text = (
        "Frank Jordan spoke with his son. Louis Jordan, 37, took his boat out in January.\n"
        '"I was thankful," Jordan told CNN.'
    )
    assert said(text) == [("I was thankful", "Louis Jordan", "told")]


def test_an_interview_transcript_is_one_quote_a_turn() -> None:
    text = (
        "Gov. Mike Pence spoke to Chris Wallace.\n\n"
        '"WALLACE: Why would he do that?\n\n"PENCE: He was mocking them.\n\n'
        '"WALLACE: Thank you, Governor."'
    )
    assert said(text) == [
        ("Why would he do that?", "Chris Wallace", None),
        ("He was mocking them.", "Mike Pence", None),
        ("Thank you, Governor.", "Chris Wallace", None),
    ]


def test_a_short_title_is_no_quote_even_next_to_a_cue() -> None:
    text = 'Pence said on "Fox News Sunday" that "it was only to mock them."'
    assert said(text) == [("it was only to mock them.", "Pence", "said")]


def test_quote_over_paragraphs() -> None:
    text = 'Tom Hanks spoke.\n\n"The first paragraph.\n\n"The second paragraph," he said.'
    assert said(text) == [("The first paragraph. The second paragraph", "Tom Hanks", "said")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('President Vladimir Putin spoke. "We are ready," Putin says.', "Vladimir Putin"),
        (
            'President Vladimir Putin spoke. "We are ready," the Russian leader said.',
            "Vladimir Putin",
        ),
        (
            "The Kremlin's top foreign policy adviser Yury Ushakov spoke. "
            '"We are ready," he told reporters.',
            "Yury Ushakov",
        ),
        ('"We are ready," Rep. Gwen Moore (D-Wis.) said Friday.', "Gwen Moore"),
        ('"We are ready," Flynn, a top Trump surrogate, said.', "Flynn"),
    ],
)
def test_titles_descriptions_and_pronouns_resolve_to_the_name(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Mary Jones met John Smith.\n"We are ready," she said.', "Mary Jones"),
        ('John Smith met Mary Jones.\n"We are ready," he said.', "John Smith"),
        ('The NBC News anchor met Mary Jones. "We are ready," she said.', "Mary Jones"),
        (
            "Donald Trump said praise from Russian President Vladimir Putin would not change "
            'his policy. He said Putin has "been a leader far more than our president."',
            "Donald Trump",
        ),
        (
            "On Tuesday, Hillary Clinton criticized police officer Betty Shelby for the shooting."
            '\n"This is just unbearable," she said.',
            "Hillary Clinton",
        ),
        (
            "Debates rarely alter a race, noted NBC's Dante Chinni.\n"
            '"Remember that debates happen late," he wrote.',
            "Dante Chinni",
        ),
        (
            "The plan helps the rich, said Lily Batchelder.\n\nIt is an issue, with Hillary "
            'Clinton lambasting the plan.\n\n"It is trickle-down economics," she said.',
            "Hillary Clinton",
        ),
        (
            "Aaron Kall said it was easy on him.\n\nJo-Renee Formicola, a professor, described "
            'the approach.\n\n"He would deflect the questions," she said.',
            "Jo-Renee Formicola",
        ),
        (
            "Kerr Putney spoke first, and he was calm. Ann Lee followed.\n"
            '"We are ready," he said.',
            "Kerr Putney",
        ),
    ],
)
def test_pronouns_resolve_to_a_person_of_their_gender(text: str, speaker: str) -> None:
    """The subject of the last sentences, unless a later sentence names someone who
    fits; a pronoun before a name (`on him. Jo-Renee`) does not tell that name's gender."""
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_a_name_after_the_pronoun_in_its_sentence_is_not_its_antecedent() -> None:
    text = (
        'Chris Matthews praised Pence. "He was good," he said.\n\n'
        'However, he called Sen. Tim Kaine, D-Va., "a little desperate there."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Chris Matthews", "Chris Matthews"]


def test_a_subject_with_an_appositive_is_the_antecedent_of_he() -> None:
    """`Kwabena Walker, UK economist at a bank, said ... He said ... "..."`: the appositive
    does not hide the subject from a pronoun further on."""
    text = (
        "Paul Tucker voted for a rise. He argued that growth was picking up.\n\n"
        "Kwabena Walker, UK economist at a bank, said he was surprised. "
        'He said the minutes were "trying to get the market to focus on a rise".'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Kwabena Walker"]


def test_a_sentence_opening_with_the_pronoun_keeps_the_topic_over_a_name_in_passing() -> None:
    """`Lynch said. She met Bill Clinton, husband of Hillary Clinton. She said ...`: the
    pronoun subjects go on with Lynch; Hillary Clinton, named in passing, is not `she`."""
    text = (
        '"Own it," Lynch said.\n\n'
        "She has led the department for two years, through a long and difficult stretch "
        "of investigations, hearings, budget fights and public controversies of every kind. "
        "She has faced criticism for meeting Bill Clinton, husband of Hillary Clinton, "
        "on her plane in Phoenix while the department was looking into the email server. "
        "She said she was not aware of any backlash.\n\n"
        '"People tend not to say those things," she said.'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Lynch", "Lynch"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We are ready," Scott Pruitt, the attorney general of Oklahoma, '
            "one of the states suing the EPA, said.",
            ("We are ready", "Scott Pruitt", "said"),
        ),
        (
            "Michael Mulgrew, president of the union, which represents teachers, "
            'said he hopes "we are heard."',
            ("we are heard.", "Michael Mulgrew", "said"),
        ),
        (
            'Said Ellis: "I do not see it happening."',
            ("I do not see it happening.", "Ellis", "said"),
        ),
        (
            'During a speech, Trump attacked Clinton, saying, "She is unstable."',
            ("She is unstable.", "Trump", "saying"),
        ),
    ],
)
def test_appositives_relative_clauses_and_inverted_cues(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert said(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "With a week to go, Ann Lee, an adviser, called Mr. Obama's remarks "
            '"a true wake-up call" today.',
            [("a true wake-up call", "Ann Lee", None)],  # `called` counts only next to it
        ),
        (
            '"It is late," said Peter Morgan, a lawyer for the Sierra Club, who has been '
            'challenging the coal industry over water pollution issues for years. "I doubt it."',
            [("It is late. I doubt it.", "Peter Morgan", "said")],
        ),
        (
            'Clinton noted that he had paid no tax, and Trump boasted, "That makes me smart."',
            [("That makes me smart.", "Trump", "boasted")],
        ),
        (
            'Kerr Putney said the video did not give "absolute visual evidence of a gun," '
            'but he said that the footage "supports what we heard."',
            [
                ("absolute visual evidence of a gun", "Kerr Putney", "said"),
                ("supports what we heard.", "Kerr Putney", "said"),
            ],
        ),
        (
            '"The veto will be overridden," Senate Majority Leader Mitch McConnell, R-Ky., '
            "said Tuesday.",
            [("The veto will be overridden", "Mitch McConnell", "said")],
        ),
    ],
)
def test_attribution_sentence_bounds(text: str, expected: list[tuple[str, str, str]]) -> None:
    """`Mr.` ends no sentence; a quote after a long attribution still continues the
    statement; the cue next to the quote wins; `, but he said` after a quote starts a
    new clause."""
    assert said(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'In July, Gingrich dismissed Estonia as the "suburbs of St. Petersburg" on air.',
            ("suburbs of St. Petersburg", "Gingrich", None),
        ),
        (
            "Another critic, Laurence H. Tribe, likened the rules to "
            '"burning the Constitution" at once.',
            ("burning the Constitution", "Laurence H. Tribe", None),
        ),
    ],
)
def test_fragment_without_cue_goes_to_the_sentence_subject(
    text: str, expected: tuple[str, str, None]
) -> None:
    assert said(text) == [expected]
    assert key_quotes(text) == []  # no cue: paraphrase, not a key quote


def test_a_long_sentence_with_a_quoted_phrase_keeps_its_subject() -> None:
    """`X, ..., stressed ... a "Forum" ... and said: "..."`: the subject opening the
    sentence is the speaker, even more than CONTEXT_CHARS before the quote."""
    text = (
        "Clinton, the former secretary of state, stressed her support for the raid that "
        "killed the plotter of the attacks during a televised forum held on board an old "
        'aircraft carrier, the "Commander in Chief Forum" sponsored by NBC News and said '
        'that she had the quality it takes: "Steadiness and strength at all times."'
    )
    assert said(text) == [("Steadiness and strength at all times.", "Clinton", "stressed")]


def test_a_nickname_in_a_name_is_no_quote() -> None:
    """`Marcia "Cia" Price` is one name; the quote before it is hers."""
    text = '"We have his back!" his niece, Marcia "Cia" Price, shouted to the crowd.'
    assert said(text) == [("We have his back!", "Marcia Cia Price", "shouted")]


def test_del_is_a_title_not_a_sentence_end() -> None:
    text = '"It is a waste of time," said Del. Stacey Plaskett.'
    assert said(text) == [("It is a waste of time", "Stacey Plaskett", "said")]


def test_scare_quotes_titles_and_slogans_are_not_key() -> None:
    text = (
        'She appeared on "Meet the Press" and called him a "dear friend". '
        'Fans chanted "Make America Great Again" outside. '
        '"I think we can agree on many things," said Ann Lee.'
    )
    assert [q.text for q in extract_quotes(text)] == [
        "dear friend",
        "I think we can agree on many things",
    ]
    assert [q.text for q in key_quotes(text)] == ["I think we can agree on many things"]


def test_key_quotes_skip_what_the_summary_says() -> None:
    text = '"I think we can agree on many things," said Ann Lee.'
    assert key_quotes(text, exclude=["Ann Lee said: I think we can agree on many things."]) == []


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/samples is absent")
def test_sample_quotes_and_speakers() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    got = {(q.text, q.speaker) for q in extract_quotes(text)}
    assert {
        ("In February we will finally be able to meet in person in Beijing", "Vladimir Putin"),
        (
            "China-Russia relations have withstood all kinds of stern tests, "
            "and are showing new dynamism and vitality",
            "Xi Jinping",
        ),
        (
            "I consider these relations to be a real model for inter-state cooperation "
            "in the 21st century",
            "Vladimir Putin",
        ),
        (
            "Both stated that the relationship had reached an unprecedented high level",
            "Yury Ushakov",
        ),
    } <= got
    keys = [q.text for q in key_quotes(text, n=4)]
    assert "model" not in keys and "dear friend" not in keys


@pytest.mark.parametrize(
    "text",
    [
        'He said "no and then left',
        'It ended." And then',
        '"' + "one long quote without an end " * 2000,
        "I don't think the Smiths' house is 'nice', he said.",
        '“«„"»”' * 50,
    ],
)
def test_bad_input_gives_no_exception(text: str) -> None:
    for q in extract_quotes(text):
        assert 0 <= q.start < q.end <= len(text)


def test_apostrophes_are_not_quotes() -> None:
    assert extract_quotes("I don't think the Smiths' house is 'nice', he said.") == []


def test_two_megabytes_of_quotes() -> None:
    text = '"a" "bb, " he said. ' * (2_000_000 // 20)
    assert len(extract_quotes(text)) > 100_000


PIECES = [*"ab .,\n'\"“”«»„-—", "said", "He", " Ann Lee", "According to"]


@given(st.lists(st.sampled_from(PIECES)).map("".join) | st.text())
def test_any_text_gives_spans_inside_it(text: str) -> None:
    for q in extract_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        key_quotes(text)
