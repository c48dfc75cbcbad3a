"""Profiles keep only what is about the patient now; doses come from the note."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from careexplain.api.state import AppState
from careexplain.notes.models import (
    AllergyDetails,
    ContextFlags,
    Entity,
    EntityLabel,
    MedicationDetails,
    MedicationStatus,
    NoteExtraction,
)
from careexplain.profile.builder import profile_from_extraction
from careexplain.profile.models import PatientProfile, Preferences
from tests.profile.notes import INACTIVE, MIXED_NOTE, NOTE_DOSES


def _entity(label: EntityLabel, text: str, **kw: object) -> Entity:
    return Entity(label=label, text=text, start=0, end=len(text), **kw)


def test_only_active_problems_and_medicines_are_kept() -> None:
    extraction = NoteExtraction(
        text="",
        entities=[
            _entity(EntityLabel.PROBLEM, "diabetes", normalized="diabetes mellitus", code="E11.9"),
            _entity(
                EntityLabel.PROBLEM, "T2DM", normalized="type 2 diabetes mellitus", code="E11.9"
            ),
            _entity(EntityLabel.PROBLEM, "asthma", context=ContextFlags(negated=True)),
            _entity(EntityLabel.PROBLEM, "stroke", context=ContextFlags(family=True)),
            _entity(EntityLabel.PROBLEM, "sepsis", context=ContextFlags(hypothetical=True)),
            _entity(EntityLabel.PROBLEM, "pneumonia", context=ContextFlags(historical=True)),
            _entity(EntityLabel.MEDICATION, "metformin", normalized="metformin"),
            _entity(
                EntityLabel.MEDICATION,
                "Metformin",
                normalized="metformin",
                # The list entry carries the signature even if a rule marked it hypothetical.
                context=ContextFlags(hypothetical=True),
                medication=MedicationDetails(strength="500 mg", frequency="twice daily"),
            ),
            _entity(
                EntityLabel.MEDICATION,
                "warfarin",
                medication=MedicationDetails(status=MedicationStatus.STOPPED),
            ),
            _entity(EntityLabel.MEDICATION, "amlodipine", context=ContextFlags(hypothetical=True)),
            _entity(
                EntityLabel.ALLERGY,
                "penicillin",
                allergy=AllergyDetails(substance="penicillin", reaction="rash"),
            ),
            _entity(EntityLabel.ALLERGY, "latex", context=ContextFlags(negated=True)),
        ],
    )
    profile = profile_from_extraction(extraction, Preferences(preferred_name=" Ann "))
    assert [(p.name, p.code) for p in profile.problems] == [("type 2 diabetes mellitus", "E11.9")]
    assert [m.name for m in profile.medicines] == ["metformin"]
    assert profile.medicines[0].details.strength == "500 mg"
    assert profile.medicines[0].details.frequency == "twice daily"
    assert [(a.substance, a.reaction) for a in profile.allergies] == [("penicillin", "rash")]
    assert profile.preferences.preferred_name == "Ann"


def test_profile_as_json_is_validated() -> None:
    profile = PatientProfile.model_validate(
        {
            "problems": [{"name": "asthma"}],
            "medicines": [{"name": "albuterol", "details": {"dose": "2 puffs", "prn": True}}],
            "preferences": {"reading_level": 5, "language": "es"},
        }
    )
    assert not profile.is_empty()
    assert profile.medicines[0].details.prn
    with pytest.raises(ValidationError):
        PatientProfile.model_validate({"problems": [{"name": ""}]})
    with pytest.raises(ValidationError):
        PatientProfile.model_validate({"preferences": {"reading_level": 30}})
    with pytest.raises(ValidationError):
        PatientProfile.model_validate({"problems": [], "unknown": 1})


@pytest.mark.integration
def test_profile_from_a_real_note(app_state: AppState) -> None:
    extraction = app_state.note_extractor().extract(MIXED_NOTE)
    profile = profile_from_extraction(extraction)
    names = {p.name for p in profile.problems} | {m.name for m in profile.medicines}
    assert names == {"type 2 diabetes mellitus", "hypertension", "metformin", "lisinopril"}
    assert not any(term in name for name in names for term in INACTIVE)
    for medicine in profile.medicines:
        strength, frequency = NOTE_DOSES[medicine.name]
        assert medicine.details.strength == strength
        assert medicine.details.frequency == frequency


def test_symptoms_named_as_reasons_are_not_problems() -> None:
    extraction = NoteExtraction(
        text="",
        entities=[
            _entity(EntityLabel.PROBLEM, "asthma"),
            _entity(EntityLabel.PROBLEM, "wheezing"),
            _entity(EntityLabel.PROBLEM, "hives"),
            _entity(
                EntityLabel.MEDICATION,
                "albuterol",
                medication=MedicationDetails(dose="2 puffs", prn=True, prn_reason="wheezing"),
            ),
            _entity(
                EntityLabel.ALLERGY,
                "sulfa",
                allergy=AllergyDetails(substance="sulfa", reaction="hives"),
            ),
        ],
    )
    profile = profile_from_extraction(extraction)
    assert [p.name for p in profile.problems] == ["asthma"]
    assert profile.medicines[0].details.prn_reason == "wheezing"
