"""Dose and schedule statements are recognised, ordinary advice is not."""

from __future__ import annotations

import pytest

from careexplain.explain.doses import states_dose


@pytest.mark.parametrize(
    "sentence",
    [
        "Most adults take 500 mg with dinner.",
        "Use 2 puffs when you feel short of breath.",
        "Take it twice a day.",
        "Take one tablet every 6 hours.",
        "Inject 10 units before breakfast.",
    ],
)
def test_doses_and_schedules_are_found(sentence: str) -> None:
    assert states_dose(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Take metformin the way your care team told you.",
        "Call 911 if you have chest pain.",
        "A blood pressure reading has two numbers.",
        "Walk for 30 minutes most days.",
    ],
)
def test_other_sentences_are_not(sentence: str) -> None:
    assert not states_dose(sentence)
