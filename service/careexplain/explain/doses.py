"""Dose and schedule statements: only the note may tell a patient how much or how often."""

from __future__ import annotations

import re

_UNITS = (
    r"mg|mcg|µg|g|grams?|milligrams?|micrograms?|units?|iu|tablets?|pills?|capsules?|caps?|"
    r"ml|mls|milliliters?|teaspoons?|tablespoons?|tsp|tbsp|puffs?|drops?|patch(?:es)?|doses?|sprays?"
)
_DOSE = re.compile(rf"\b\d+(?:[.,/]\d+)?\s*(?:{_UNITS})\b", re.IGNORECASE)
_SCHEDULE = re.compile(
    r"\b(?:once|twice|\d+|one|two|three|four)\s+(?:times?\s+)?(?:a|per|each|every)\s+"
    r"(?:day|night|week|morning|evening)\b|\bevery\s+\d+\s*(?:to\s*\d+\s*)?hours?\b",
    re.IGNORECASE,
)


def states_dose(sentence: str) -> bool:
    """True when the sentence gives an amount or a schedule of a medicine."""
    return bool(_DOSE.search(sentence) or _SCHEDULE.search(sentence))
