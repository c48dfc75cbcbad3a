"""The grounded plain-language rewrite: swaps words, never facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from careexplain.text.plain_language import (
    Rewriter,
    drop_parentheticals,
    glossary,
    plain_terms,
    simplify_checked,
    split_long,
)
from careexplain.text.readability import fk_grade
from careexplain.text.sentences import citations, split_sentences
from tests.helpers import GUIDANCE

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# "in the absence of" becomes "without": both are negations.
_NEGATION = re.compile(
    r"\b(?:not|no|never|without|none|nor|cannot|absence|absent|free of)\b|n't\b", re.IGNORECASE
)


def _negations(text: str) -> int:
    return len(_NEGATION.findall(text))


def test_glossary_has_at_least_300_entries() -> None:
    assert len(glossary()) >= 300


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Hypertension can damage the kidneys [1].", "High blood pressure (hypertension) can"),
        ("It raises the risk of myocardial infarction.", "heart attack (myocardial infarction)"),
        ("Renal problems are common [1].", "Kidney problems are common [1]."),
        ("An abdominal aortic aneurysm can burst [1].", "A bulging aorta in the belly"),
    ],
)
def test_swaps_terms_and_teaches_the_first_use(sentence: str, expected: str) -> None:
    assert expected in " ".join(p.text for p in Rewriter().rewrite(sentence))


def test_a_term_is_taught_once_per_answer() -> None:
    rewriter = Rewriter()
    first = rewriter.rewrite("Hypertension is common [1].")[0].text
    second = rewriter.rewrite("Hypertension has no symptoms [1].")[0].text
    assert "(hypertension)" in first
    assert "(hypertension)" not in second
    assert second.startswith("High blood pressure has no symptoms")


def test_longest_term_wins() -> None:
    assert plain_terms("orthostatic hypotension") == "low blood pressure on standing"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A term that starts a longer name is left alone: no "high red blood cell count vera".
        ("Polycythemia vera is a rare blood cancer.", "Polycythemia vera is a rare blood cancer."),
        ("Renal cell carcinoma grows in the kidney.", "Renal cell carcinoma grows in the kidney."),
        ("idiopathic pulmonary fibrosis", "idiopathic pulmonary fibrosis"),
        # Where the rest of the name is a plain word, or the term ends the name, it is swapped.
        ("Renal failure can follow.", "Kidney failure can follow."),
        ("chronic obstructive pulmonary disease", "chronic obstructive lung disease"),
        ("Type 2 diabetes mellitus", "Type 2 diabetes"),
        (
            "People with polycythemia feel tired.",
            "People with high red blood cell count feel tired.",
        ),
    ],
)
def test_condition_names_are_swapped_whole_or_not_at_all(text: str, expected: str) -> None:
    assert plain_terms(text) == expected


def test_parentheticals_go_unless_they_hold_a_number_or_negation() -> None:
    assert drop_parentheticals("Statins (a kind of medicine) lower cholesterol.") == (
        "Statins lower cholesterol."
    )
    kept = "Take it with food (about 2 hours before bed)."
    assert drop_parentheticals(kept) == kept
    assert drop_parentheticals("Use it daily (not twice).") == "Use it daily (not twice)."


def test_long_sentences_split_at_a_clause_with_its_own_subject() -> None:
    long = (
        "High blood pressure often causes no symptoms for many years in most adults, "
        "and it can slowly damage the heart, kidneys, eyes and brain."
    )
    parts = split_long(long)
    assert len(parts) == 2
    assert parts[1].startswith("It can slowly damage")
    # A list joined by ", and" is not a clause: no split.
    listing = (
        "Eat more vegetables, fruit, whole grains, beans, nuts, fish, low-fat dairy, and lean meat."
    )
    assert split_long(listing) == [listing]


def test_citations_follow_every_part() -> None:
    parts = Rewriter().rewrite(
        "High blood pressure often causes no symptoms for many years in most adults, and it "
        "can slowly damage the heart, kidneys, eyes and brain [2, 3]."
    )
    assert len(parts) == 2
    assert all(citations(p.text) == [2, 3] for p in parts)


def _guidance_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(Path(GUIDANCE).glob("*.md")):
        body = path.read_text("utf-8").split("---", 2)[-1]
        out.extend(s for s in split_sentences(body) if not s.startswith("#"))
    return out


MEDICAL_SENTENCES = [
    "Patients with hypertension should not exceed 2,300 mg of sodium per day.",
    "Do not take more than 4 g of acetaminophen (Tylenol) in 24 hours.",
    "Hypoglycemia (blood glucose below 70 mg/dL) requires 15 g of fast-acting carbohydrate.",
    "Myocardial infarction is not always painful; some patients have no chest pain at all.",
    "In the absence of symptoms, renal function is checked every 6 to 12 months.",
    "Never stop anticoagulants abruptly, since the risk of thrombosis increases.",
    "Take 1 tablet (500 mg) twice daily with meals for 10 days, but not with antacids.",
]


@pytest.mark.parametrize("sentence", MEDICAL_SENTENCES)
def test_never_changes_a_number_dose_or_negation(sentence: str) -> None:
    out = " ".join(p.text for p in Rewriter().rewrite(sentence))
    assert sorted(_NUMBER.findall(out)) == sorted(_NUMBER.findall(sentence))
    assert _negations(out) == _negations(sentence)


def test_whole_glossary_keeps_numbers_and_negations() -> None:
    """Every entry, used in a sentence with a dose and a negation, keeps both."""
    for term, entry in glossary().entries.items():
        sentence = f"Do not give 2.5 mg if {term} is present."
        out = " ".join(p.text for p in Rewriter().rewrite(sentence))
        assert _NUMBER.findall(out) == ["2.5"], term
        assert _negations(out) == _negations(sentence) + _negations(entry.plain) - _negations(
            term
        ), term


def test_guidance_rewrites_keep_numbers_and_negations() -> None:
    for sentence in _guidance_sentences():
        out = " ".join(p.text for p in Rewriter().rewrite(sentence))
        assert sorted(_NUMBER.findall(out)) == sorted(_NUMBER.findall(sentence)), sentence
        assert _negations(out) >= _negations(sentence) - len(re.findall(r"\([^)]*\)", sentence)), (
            sentence
        )


def test_rewrite_lowers_the_grade_of_technical_text() -> None:
    text = " ".join(MEDICAL_SENTENCES)
    plain = " ".join(p.text for s in MEDICAL_SENTENCES for p in Rewriter().rewrite(s))
    assert fk_grade(plain) < fk_grade(text)


def test_simplify_checked_keeps_the_original_when_the_check_fails() -> None:
    original = "Hypertension is common [1]."
    assert simplify_checked([original], lambda s: False) == [original]
    assert simplify_checked([original], lambda s: True) == [
        "High blood pressure (hypertension) is common [1]."
    ]


def test_each_sentence_of_a_statement_keeps_its_own_citation() -> None:
    parts = Rewriter().rewrite("This lets blood flow more easily [3]. It also lowers it [2].")
    assert [p.text for p in parts] == [
        "This lets blood flow more easily [3].",
        "It also lowers it [2].",
    ]
