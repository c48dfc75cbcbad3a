"""What the notes pipeline finds in a note: the contract for profiles, handouts and the API."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EntityLabel(StrEnum):
    PROBLEM = "PROBLEM"
    MEDICATION = "MEDICATION"
    ALLERGY = "ALLERGY"
    LAB = "LAB"
    VITAL = "VITAL"
    PROCEDURE = "PROCEDURE"


class MedicationStatus(StrEnum):
    NEW = "new"
    CONTINUED = "continued"
    CHANGED = "changed"
    STOPPED = "stopped"


class ContextFlags(BaseModel):
    """Clinical context of a mention; an entity with no flag set is current and affirmed."""

    model_config = ConfigDict(frozen=True)

    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False
    uncertain: bool = False

    @property
    def active(self) -> bool:
        """True when the mention is about this patient now: not negated, family or hypothetical."""
        return not (self.negated or self.family or self.hypothetical or self.historical)


class MedicationDetails(BaseModel):
    """Signature parts of a medication mention, each as written in the note."""

    strength: str | None = None  # "40 mg", "500 mg/5 mL"
    dose: str | None = None  # "2 tablets", "20 units", "40 mg"
    unit: str | None = None  # "mg", "units", "tablet"
    route: str | None = None  # "PO", "IV", "subcutaneous"
    frequency: str | None = None  # "BID", "at bedtime", "every 6 hours"
    duration: str | None = None  # "for 7 days"
    prn: bool = False
    prn_reason: str | None = None
    status: MedicationStatus = MedicationStatus.CONTINUED
    # Where each part was read: part name -> [start, end) offsets in the extracted text.
    spans: dict[str, list[int]] = Field(default_factory=dict)


class AllergyDetails(BaseModel):
    substance: str
    reaction: str | None = None


class MeasurementDetails(BaseModel):
    """A lab or vital sign value as written (``value`` is text: "158/92", "7.9", "negative")."""

    name: str
    value: str | None = None
    unit: str | None = None
    flag: str | None = None  # "high", "low", "abnormal" when the note says so


class Entity(BaseModel):
    """One mention in the note, with offsets into the text the extractor was given."""

    label: EntityLabel
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: str | None = None  # normalised section name, e.g. "past_medical_history"
    normalized: str | None = None  # generic drug name, preferred problem name
    code: str | None = None  # ICD-10-CM code for problems, when confident
    code_system: str | None = None  # "ICD-10-CM", "DrugBank", "MeSH"
    context: ContextFlags = Field(default_factory=ContextFlags)
    medication: MedicationDetails | None = None
    allergy: AllergyDetails | None = None
    measurement: MeasurementDetails | None = None


class Section(BaseModel):
    name: str  # normalised: "chief_complaint", "medications", "review_of_systems", …
    title: str  # as written
    start: int
    end: int


class NoteExtraction(BaseModel):
    """Everything found in one note. ``text`` is what the offsets point into."""

    text: str
    entities: list[Entity]
    sections: list[Section] = Field(default_factory=list)
    redacted: bool = False  # True when ``text`` and entity texts had PHI replaced

    def active(self, label: EntityLabel) -> list[Entity]:
        """Entities of ``label`` about the patient now (see ContextFlags.active)."""
        return [e for e in self.entities if e.label == label and e.context.active]
