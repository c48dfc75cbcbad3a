"""Drug and condition mentions from the packaged vocabularies."""

from __future__ import annotations

import pytest

from careexplain.text.medical_terms import condition_mentions, conditions, drugs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Polycythemia vera is rare.", {"polycythemia vera", "polycythemia"}),
        ("Watch for signs of infection.", {"infections"}),
        # Entries that are no condition, or a word in another sense, are not mentions.
        ("A healthy lifestyle helps your medicines work.", set()),
        ("High blood pressure puts strain on your heart.", {"hypertension"}),
        # A bite of food is no bite wound; the bite of a tick is.
        ("Wait after your last bite of food.", set()),
        ("Wait two hours after your last bite before you lie down.", set()),
        ("A dog bite can get infected.", {"bites and stings"}),
        ("Watch the bite of a tick for a rash.", {"bites and stings", "exanthema"}),
        ("Bites of infected mosquitoes spread it.", {"bites and stings"}),
    ],
)
def test_condition_mentions(text: str, expected: set[str]) -> None:
    assert conditions(text) == expected


def test_a_mention_keeps_the_words_that_named_it() -> None:
    assert condition_mentions("Look for injuries.") == {"wounds and injuries": "injuries"}


def test_drug_mentions_are_generic_names() -> None:
    assert "metformin" in drugs("She takes Glucophage every morning.")
