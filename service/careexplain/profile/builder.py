"""Build a patient profile from a note's extraction: only what is about the patient now."""

from __future__ import annotations

from careexplain.notes.models import (
    Entity,
    EntityLabel,
    MedicationDetails,
    MedicationStatus,
    NoteExtraction,
)
from careexplain.profile.models import (
    PatientProfile,
    Preferences,
    ProfileAllergy,
    ProfileMedicine,
    ProfileProblem,
)


def _key(entity: Entity) -> str:
    return (entity.normalized or entity.text).strip().lower()


def profile_from_extraction(
    extraction: NoteExtraction, preferences: Preferences | None = None
) -> PatientProfile:
    """Active problems and medicines (not negated, family, hypothetical or past), allergies."""
    problems: dict[str, ProfileProblem] = {}
    for entity in extraction.active(EntityLabel.PROBLEM):
        problems.setdefault(
            _key(entity),
            ProfileProblem(name=entity.normalized or entity.text, code=entity.code),
        )
    medicines: dict[str, ProfileMedicine] = {}
    for entity in extraction.active(EntityLabel.MEDICATION):
        details = entity.medication
        if details is not None and details.status == MedicationStatus.STOPPED:
            continue
        key = _key(entity)
        known = medicines.get(key)
        # The mention that carries the most signature (usually the medicines list) wins.
        if known is None or _richness(details) > _richness(known.details):
            medicines[key] = ProfileMedicine(
                name=entity.normalized or entity.text,
                as_written=entity.text,
                details=details or MedicationDetails(),
            )
    allergies: dict[str, ProfileAllergy] = {}
    for entity in extraction.entities:
        # Allergies count even when a rule marks them hypothetical ("allergic to X, may cause…"):
        # only an explicit negation ("no known allergies") removes one.
        if entity.label != EntityLabel.ALLERGY or entity.context.negated:
            continue
        substance = entity.allergy.substance if entity.allergy else entity.text
        allergies.setdefault(
            substance.lower(),
            ProfileAllergy(
                substance=substance, reaction=entity.allergy.reaction if entity.allergy else None
            ),
        )
    return PatientProfile(
        problems=list(problems.values()),
        medicines=list(medicines.values()),
        allergies=list(allergies.values()),
        preferences=preferences or Preferences(),
    )


def _richness(details: MedicationDetails | None) -> int:
    if details is None:
        return -1
    parts = (details.strength, details.dose, details.route, details.frequency, details.duration)
    return sum(p is not None for p in parts)
