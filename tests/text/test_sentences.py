"""Sentence splitting, citations and standalone statements."""

from __future__ import annotations

import pytest

from careexplain.text.sentences import (
    citations,
    cite,
    dangling_lead_ins,
    split_sentences,
    statements,
    strip_citations,
)


def test_split_keeps_citations_with_their_sentence() -> None:
    text = "Dr. Lee said take 2.5 mg. Call 911 if you pass out. [2] Then rest!\n- Check again."
    assert split_sentences(text) == [
        "Dr. Lee said take 2.5 mg.",
        "Call 911 if you pass out. [2]",
        "Then rest!",
        "Check again.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It is approved by the U.S. Food and Drug Administration for lice. Ask a doctor.",
            [
                "It is approved by the U.S. Food and Drug Administration for lice.",
                "Ask a doctor.",
            ],
        ),
        (
            "It is rare in the U.S. The disease is common in Asia.",
            ["It is rare in the U.S.", "The disease is common in Asia."],
        ),
        ("Dr. Lee saw you. Take 2.5 mg daily.", ["Dr. Lee saw you.", "Take 2.5 mg daily."]),
    ],
)
def test_abbreviations_end_a_sentence_only_where_one_ends(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("sentence", "numbers", "claim"),
    [
        ("Eat 15 grams of sugar [1].", [1], "Eat 15 grams of sugar."),
        ("Check it [1][2].", [1, 2], "Check it."),
        ("Check it [2, 3] now [2].", [2, 3], "Check it now."),
        ("No citation.", [], "No citation."),
    ],
)
def test_citations(sentence: str, numbers: list[int], claim: str) -> None:
    assert citations(sentence) == numbers
    assert strip_citations(sentence) == claim


def test_cite_places_the_mark_before_the_end() -> None:
    assert cite("Eat 15 grams of sugar.", 1) == "Eat 15 grams of sugar [1]."
    assert cite("Call 911 now!", 2) == "Call 911 now [2]!"
    assert cite('Some call it "blood poisoning."', 1) == 'Some call it "blood poisoning" [1].'
    assert cite("Many medicines matter. This includes vitamins.", 3) == (
        "Many medicines matter [3]. This includes vitamins [3]."
    )


def test_statements_give_list_items_their_lead_in() -> None:
    text = (
        "Low blood sugar can be dangerous. It can make you pass out.\n"
        "Call your care team soon if:\n- You have low blood sugar often.\n"
        "Signs include:\n- A fast heartbeat.\nUse BE FAST to spot a stroke:\n- B is for balance."
    )
    assert statements(text) == [
        "Low blood sugar can be dangerous.",
        "Low blood sugar can be dangerous. It can make you pass out.",
        "Call your care team soon if you have low blood sugar often.",
        "Signs include a fast heartbeat.",
        "Use BE FAST to spot a stroke: B is for balance.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A passage cut before its list keeps its last lead-in.
        (
            "Over time, high blood pressure makes your heart work harder. It can damage your "
            "blood vessels and lead to other health problems:",
            ["It can damage your blood vessels and lead to other health problems:"],
        ),
        # A lead-in with its items is no dangling one.
        ("Call 911 if you have:\n- chest pain\n- trouble breathing", []),
        # One whose condition was cut off says nothing on its own.
        ("Call 911 if you have:\n\n- chest pain\nSee a doctor if:", []),
        ("Stop taking it and call your doctor if you have:", []),
    ],
)
def test_dangling_lead_ins(text: str, expected: list[str]) -> None:
    assert dangling_lead_ins(text) == expected
