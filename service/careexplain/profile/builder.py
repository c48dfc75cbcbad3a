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
    # "as needed for wheezing" and "aspirin (wheezing)" name a symptom, not a problem to teach.
    reasons = {
        r.lower()
        for e in extraction.entities
        for r in (
            e.medication.prn_reason if e.medication else None,
            e.allergy.reaction if e.allergy else None,
        )
        if r
    }
    for entity in extraction.active(EntityLabel.PROBLEM):
        if entity.text.lower() in reasons:
            continue
        name = entity.normalized or entity.text
        # One problem per ICD-10 code: "diabetes" and "type 2 diabetes" (both E11.9) are one,
        # named by the more specific mention.
        key = entity.code or _key(entity)
        known = problems.get(key)
        if known is None or len(name) > len(known.name):
            problems[key] = ProfileProblem(name=name, code=entity.code)
    # Signatures: any mention of the drug about this patient may carry it (the medicines list
    # usually does, while the plan just names the drug).
    signatures: dict[str, MedicationDetails] = {}
    for entity in extraction.entities:
        ctx = entity.context
        if entity.label != EntityLabel.MEDICATION or ctx.negated or ctx.family:
            continue
        if entity.medication and _richness(entity.medication) > _richness(
            signatures.get(_key(entity))
        ):
            signatures[_key(entity)] = entity.medication
    medicines: dict[str, ProfileMedicine] = {}
    for entity in extraction.active(EntityLabel.MEDICATION):
        details = signatures.get(_key(entity)) or entity.medication or MedicationDetails()
        if details.status == MedicationStatus.STOPPED or (
            entity.medication and entity.medication.status == MedicationStatus.STOPPED
        ):
            continue
        key = _key(entity)
        if key not in medicines:
            medicines[key] = ProfileMedicine(
                name=entity.normalized or entity.text, as_written=entity.text, details=details
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
