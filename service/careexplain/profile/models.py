"""The patient profile: active problems and medicines, allergies and preferences."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from careexplain.notes.models import MedicationDetails


class ProfileProblem(BaseModel):
    """A health problem the patient has now."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="As written or normalised.")
    code: str | None = Field(default=None, max_length=16, description="ICD-10-CM code.")


class ProfileMedicine(BaseModel):
    """A medicine the patient takes now; dose and schedule exactly as the note gives them."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Generic name when known.")
    as_written: str | None = Field(default=None, max_length=200)
    details: MedicationDetails = Field(default_factory=MedicationDetails)


class ProfileAllergy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    substance: str = Field(min_length=1, max_length=200)
    reaction: str | None = Field(default=None, max_length=200)


class Preferences(BaseModel):
    """How the patient wants to read: grade level, language and the name to use."""

    model_config = ConfigDict(extra="forbid")

    reading_level: float | None = Field(
        default=None, ge=3, le=12, description="Target grade; the service default when absent."
    )
    language: Literal["en", "es"] = "en"
    preferred_name: str | None = Field(default=None, max_length=80)

    @field_validator("preferred_name")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class PatientProfile(BaseModel):
    """What explanations and handouts are personalised with (from a note or given as JSON)."""

    model_config = ConfigDict(extra="forbid")

    problems: list[ProfileProblem] = Field(default_factory=list, max_length=50)
    medicines: list[ProfileMedicine] = Field(default_factory=list, max_length=50)
    allergies: list[ProfileAllergy] = Field(default_factory=list, max_length=50)
    preferences: Preferences = Field(default_factory=Preferences)

    def is_empty(self) -> bool:
        """True when there is nothing to explain."""
        return not (self.problems or self.medicines)
