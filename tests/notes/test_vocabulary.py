"""The concept vocabulary: junk synonyms filtered, real names kept, confident ICD-10 codes."""

from __future__ import annotations

import pytest

from careexplain.notes.vocabulary import Vocabulary
from tests.notes.extractor import shared_extractor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return shared_extractor().vocab


@pytest.mark.parametrize(
    ("term", "label", "normalized"),
    [
        ("metformin", "MEDICATION", "metformin"),
        ("tylenol", "MEDICATION", "acetaminophen"),
        ("adenosine", "MEDICATION", "adenosine"),
        ("penicillin", "MEDICATION", "penicillins"),
        ("asthma", "PROBLEM", "asthma"),
        ("colonoscopy", "PROCEDURE", "colonoscopy"),
    ],
)
def test_real_names_are_kept(vocab: Vocabulary, term: str, label: str, normalized: str) -> None:
    concept = vocab.terms[term]
    assert (concept.label, concept.normalized) == (label, normalized)


@pytest.mark.parametrize("term", ["sits", "today", "fargo", "mops", "hana", "coping skills", "the"])
def test_junk_is_dropped(vocab: Vocabulary, term: str) -> None:
    assert term not in vocab.terms


def test_filter_counts_what_it_dropped(vocab: Vocabulary) -> None:
    assert vocab.filtered
    assert vocab.dropped["common_word"] > 10
    assert vocab.dropped["not_a_disease"] > 1000


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("hypertension", "I10"),
        ("Essential (primary) hypertension", "I10"),
        ("gout", "M10.9"),
        ("congestive heart failure", "I50.9"),
        ("something vague", None),
    ],
)
def test_icd10_codes_only_when_confident(vocab: Vocabulary, name: str, code: str | None) -> None:
    assert vocab.icd10_code(name) == code


def test_abbreviations_are_case_sensitive(vocab: Vocabulary) -> None:
    assert vocab.abbreviations["HTN"].normalized == "hypertension"
    assert "htn" not in vocab.abbreviations
    assert "PO" not in vocab.abbreviations
