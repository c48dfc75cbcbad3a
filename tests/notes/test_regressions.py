"""Bugs found by the handouts work, each on the real pipeline with notes written for it."""

from __future__ import annotations

import pytest

from careexplain.notes.models import Entity, EntityLabel, NoteExtraction
from careexplain.notes.pipeline import NoteExtractor
from tests.notes.extractor import shared_extractor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor() -> NoteExtractor:
    return shared_extractor()


def find(extraction: NoteExtraction, text: str, label: EntityLabel | None = None) -> Entity:
    hits = [
        e
        for e in extraction.entities
        if e.text.lower() == text.lower() and (label is None or e.label is label)
    ]
    assert hits, f"{text!r} not found in {[e.text for e in extraction.entities]}"
    return hits[0]


@pytest.mark.parametrize(
    ("note", "target", "flag", "expected"),
    [
        # A blank line ends a negation or "if" scope.
        (
            "No history of bleeding.\n\nMedications:\n- Apixaban 5 mg by mouth twice daily",
            "Apixaban",
            "negated",
            False,
        ),
        (
            "3. If blood pressure stays high, consider adding amlodipine.\n\n"
            "Medications:\n- Metformin 500 mg by mouth twice daily",
            "Metformin",
            "hypothetical",
            False,
        ),
        (
            "No pneumonia on chest x-ray.\n\nFather had lung cancer.",
            "lung cancer",
            "negated",
            False,
        ),
        ("She denies chest pain\n\nasthma, stable", "asthma", "negated", False),
        # A section header ends one, even on the next line without a blank line.
        ("Denies chest pain\nMedications: aspirin 81 mg daily", "aspirin", "negated", False),
        ("Return if fever\nAssessment: asthma", "asthma", "hypothetical", False),
        # A list item ends one.
        ("No chest pain\n- Lisinopril 10 mg daily", "Lisinopril", "negated", False),
        ("1. No fever\n2. Asthma, stable.", "Asthma", "negated", False),
        ("* If wheezing, call.\n* Hypertension.", "Hypertension", "hypothetical", False),
        # One item a line: a line that starts with a capital starts a new scope.
        ("Problems:\nNo diabetes\nAsthma", "Asthma", "negated", False),
        ("Denies fever, chills\nDiabetes", "Diabetes", "negated", False),
        # Inside one item, sentence or wrapped line the scope still applies.
        ("No history of\nHTN", "HTN", "negated", True),
        ("Denies chest pain, dyspnea, or\nPND", "PND", "negated", True),
        ("No history of bleeding.\n\nMedications:", "bleeding", "negated", True),
        ("- No chest pain or\n  shortness of breath.", "shortness of breath", "negated", True),
        (
            "3. If blood pressure stays high, consider adding amlodipine.",
            "amlodipine",
            "hypothetical",
            True,
        ),
    ],
)
def test_context_scope_stops_at_layout(
    extractor: NoteExtractor, note: str, target: str, flag: str, expected: bool
) -> None:
    assert getattr(find(extractor.extract(note), target).context, flag) is expected


@pytest.mark.parametrize(
    ("note", "target", "section"),
    [
        ("No fever.\n\nProblems: Heart failure.", "Heart failure", "problem_list"),
        ("No fever.\nProblems:\n1. Heart failure.", "Heart failure", "problem_list"),
        (
            "Denies stroke symptoms. No history of bleeding.\n\nDiagnosis: Atrial fibrillation.",
            "Atrial fibrillation",
            "diagnoses",
        ),
    ],
)
def test_problem_after_a_negation_is_affirmed(
    extractor: NoteExtractor, note: str, target: str, section: str
) -> None:
    e = find(extractor.extract(note), target, EntityLabel.PROBLEM)
    assert e.context.active
    assert e.section == section


@pytest.mark.parametrize(
    ("note", "target", "historical"),
    [
        (
            "58-year-old man with type 2 diabetes and hypertension here for a routine visit",
            "type 2 diabetes",
            False,
        ),
        ("A 3 month old girl with asthma.", "asthma", False),
        ("72 years old, with heart failure.", "heart failure", False),
        # "old" meaning past still counts.
        ("Old MI on ECG.", "MI", True),
    ],
)
def test_age_is_not_history(
    extractor: NoteExtractor, note: str, target: str, historical: bool
) -> None:
    assert find(extractor.extract(note), target).context.historical is historical


@pytest.mark.parametrize(
    ("note", "target", "normalized", "code"),
    [
        ("- Depression, improving.", "Depression", "depression", "F32.A"),
        ("- Depression. Her mood is better.", "Depression", "depression", "F32.A"),
        ("Assessment:\n- Anxiety, stable.", "Anxiety", "anxiety", "F41.9"),
        ("Major depression, stable.", "major depression", "major depressive disorder", "F32.9"),
        ("Mild dementia.", "dementia", "dementia", "F03.90"),
    ],
)
def test_mental_health_problems_are_found(
    extractor: NoteExtractor, note: str, target: str, normalized: str, code: str
) -> None:
    e = find(extractor.extract(note), target, EntityLabel.PROBLEM)
    assert (e.normalized, e.code) == (normalized, code)
    assert e.context.active


def _problems(extraction: NoteExtraction) -> list[str]:
    return [e.text for e in extraction.entities if e.label is EntityLabel.PROBLEM]


@pytest.mark.parametrize(
    ("note", "drug", "reason"),
    [
        (
            "Medications:\n- Albuterol 2 puffs inhaled every 4 hours as needed for wheezing",
            "Albuterol",
            "wheezing",
        ),
        (
            "- Ondansetron 4 mg by mouth every 8 hours as needed for nausea or vomiting",
            "Ondansetron",
            "nausea or vomiting",
        ),
        ("- Oxycodone 5 mg PO q6h prn pain", "Oxycodone", "pain"),
        ("- Acetaminophen 650 mg PO q6h prn for fever.", "Acetaminophen", "fever"),
        (
            "Albuterol 90 mcg 2 puffs inhaled as needed for shortness of breath",
            "Albuterol",
            "shortness of breath",
        ),
    ],
)
def test_prn_reason_is_part_of_the_medication(
    extractor: NoteExtractor, note: str, drug: str, reason: str
) -> None:
    ex = extractor.extract(note)
    med = find(ex, drug, EntityLabel.MEDICATION).medication
    assert med is not None
    assert (med.prn, med.prn_reason) == (True, reason)
    start, end = med.spans["prn"]
    assert note[start:end].endswith(reason)
    assert _problems(ex) == []


def test_a_problem_after_a_prn_line_is_still_a_problem(extractor: NoteExtractor) -> None:
    ex = extractor.extract("- Ibuprofen 400 mg prn\n\nNausea today.")
    med = find(ex, "Ibuprofen", EntityLabel.MEDICATION).medication
    assert med is not None
    assert (med.prn, med.prn_reason) == (True, None)
    assert _problems(ex) == ["Nausea"]


@pytest.mark.parametrize(
    ("note", "substances"),
    [
        ("Allergies: Penicillin (hives)", {"Penicillin": "hives"}),
        (
            "Allergies:\n- Penicillin (hives and rash)\n- Codeine - nausea",
            {"Penicillin": "hives and rash", "Codeine": "nausea"},
        ),
        (
            "Allergies: penicillin (hives), sulfa (rash), codeine: nausea and vomiting.",
            {"penicillin": "hives", "sulfa": "rash", "codeine": "nausea and vomiting"},
        ),
        ("She is allergic to penicillin which causes hives.", {"penicillin": "hives"}),
        ("Allergies: Aspirin (wheezing).", {"Aspirin": "wheezing"}),
    ],
)
def test_allergy_reaction_is_part_of_the_allergy(
    extractor: NoteExtractor, note: str, substances: dict[str, str]
) -> None:
    ex = extractor.extract(note)
    for substance, reaction in substances.items():
        allergy = find(ex, substance, EntityLabel.ALLERGY).allergy
        assert allergy is not None
        assert allergy.reaction == reaction
    assert _problems(ex) == []
    assert [e.text for e in ex.entities if e.label is EntityLabel.MEDICATION] == []


@pytest.mark.parametrize(
    ("note", "drug"),
    [
        ("Medications:\n- If needed, ibuprofen 400 mg by mouth", "ibuprofen"),
        (
            "Plan: If blood pressure stays high, consider amlodipine.\n"
            "Medications:\n- Metformin 500 mg by mouth twice daily\n- Lisinopril 10 mg daily",
            "Lisinopril",
        ),
    ],
)
def test_medication_list_lines_are_not_hypothetical(
    extractor: NoteExtractor, note: str, drug: str
) -> None:
    e = find(extractor.extract(note), drug, EntityLabel.MEDICATION)
    assert e.section == "medications"
    assert e.context.active


def test_a_conditional_plan_is_still_hypothetical(extractor: NoteExtractor) -> None:
    e = find(extractor.extract("Plan: if needed, start lisinopril."), "lisinopril")
    assert e.context.hypothetical
