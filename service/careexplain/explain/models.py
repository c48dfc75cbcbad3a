"""Explanation requests and results."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from careexplain.generate.grounding import GroundingReport
from careexplain.profile.models import PatientProfile, Preferences

FacetKey = Literal["what_it_is", "why_it_matters", "what_to_do", "when_to_call", "emergency"]
# The guidance section each facet is taken from, and the heading patients see.
FACETS: dict[FacetKey, tuple[str, str]] = {
    "what_it_is": ("What it is", "What it is"),
    "why_it_matters": ("Why it matters", "Why it matters for you"),
    "what_to_do": ("What you can do", "What to do"),
    "when_to_call": ("When to call your care team", "When to call your care team"),
    "emergency": ("When to get emergency help", "When to get emergency help"),
}


class ExplainRequest(BaseModel):
    """A note (text) or a profile, optional topics and reading level."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, description="Clinical note text.")
    profile: PatientProfile | None = None
    topics: list[str] | None = Field(
        default=None, max_length=30, description="Only these problems/medicines (names)."
    )
    reading_level: float | None = Field(default=None, ge=3, le=12)
    preferences: Preferences | None = None


class SourceRef(BaseModel):
    """A numbered guidance passage cited as [n]."""

    n: int
    doc_id: str
    title: str
    section: str
    source_url: str = ""
    publisher: str = ""


class Facet(BaseModel):
    """One short part of a topic: cited sentences (each ends with its [n])."""

    key: FacetKey
    heading: str
    sentences: list[str] = Field(default_factory=list)


class TopicExplanation(BaseModel):
    """What one problem or medicine means for this patient."""

    name: str
    kind: Literal["problem", "medicine"]
    covered: bool
    doc_id: str | None = None
    guidance_title: str | None = None
    facets: list[Facet] = Field(default_factory=list)
    not_covered: str | None = Field(default=None, description="Said when guidance is missing.")


class MedicineRow(BaseModel):
    """One row of the patient's medicine table: every value is copied from the note."""

    name: str
    strength: str | None = None
    dose: str | None = None
    route: str | None = None
    frequency: str | None = None
    duration: str | None = None
    as_needed: str | None = None
    status: str = "continued"


class Explanation(BaseModel):
    """The personalised explanation (also the raw material of a handout)."""

    profile: PatientProfile
    reading_level: float
    language: str
    topics: list[TopicExplanation]
    medicines: list[MedicineRow]
    emergency_message: str = Field(description="Fixed safety text, never generated.")
    language_note: str | None = None
    sources: list[SourceRef]
    grounding: GroundingReport
    dropped_dose_sentences: int = 0
