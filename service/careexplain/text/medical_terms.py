"""Drug and condition mentions, normalised to canonical names (packaged vocabularies)."""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|\d+")
# Vocabulary entries that are no condition ("lifestyle"), and words that name one only in
# some senses: "strain on your heart" is no muscle strain.
_NOT_CONDITIONS = frozenset({"life style", "healthy lifestyle"})
_OTHER_SENSES = {"sprains and strains": frozenset({"strain", "strains"})}
_BITE_OF_FOOD = re.compile(
    r"\bbites?\s+of\s+(?=(?:your\s+)?(?:food|bread|toast|crackers?|fruit|meal|dinner|lunch|"
    r"breakfast|snack|something)\b)"
    # "two hours after your last bite before you lie down" is the last of a meal.
    r"|(?<=\blast\s)bite\b(?=\s+before\b)",
    re.IGNORECASE,
)
_lock = threading.Lock()


@cache
def _finders() -> tuple[Any, Any]:
    # The vocabularies take several seconds to load: once per process, on first use.
    with _lock:
        from drug_named_entity_recognition import find_drugs
        from medical_named_entity_recognition import find_diseases

        return find_drugs, find_diseases


def load() -> None:
    """Load the vocabularies now (for start-up warm-up)."""
    _finders()


def drugs(text: str) -> set[str]:
    """Canonical (generic) names of the drugs mentioned in ``text``."""
    return set(drug_mentions(text))


def conditions(text: str) -> set[str]:
    """Canonical (MeSH) names of the diseases and conditions mentioned in ``text``."""
    return set(condition_mentions(text))


def drug_mentions(text: str) -> dict[str, str]:
    """Canonical drug name → the words of ``text`` that named it ("2-propanol" → "rubbing
    alcohol")."""
    find_drugs, _ = _finders()
    tokens = _TOKEN.findall(text)
    return _mentions(find_drugs(tokens, is_ignore_case=True))


def condition_mentions(text: str) -> dict[str, str]:
    """Canonical condition name → the words of ``text`` that named it."""
    _, find_diseases = _finders()
    # "Your last bite of food" names no bite wound (but "the bite of a tick" does).
    text = _BITE_OF_FOOD.sub("piece of ", text)
    return {
        name: words
        for name, words in _mentions(find_diseases(_TOKEN.findall(text))).items()
        if name not in _NOT_CONDITIONS and words not in _OTHER_SENSES.get(name, ())
    }


def _mentions(matches: list[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in matches:
        info = match[0]
        out.setdefault(str(info["name"]).lower(), str(info.get("matching_string", "")).lower())
    return out
