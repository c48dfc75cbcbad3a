"""PHI spans and de-identified text: the contract for the notes API and logs."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class PhiType(StrEnum):
    """The PHI types we find; eval/data/phi_notes.jsonl uses the same names."""

    NAME = "NAME"
    DATE = "DATE"
    AGE_OVER_89 = "AGE_OVER_89"
    MRN = "MRN"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    ADDRESS = "ADDRESS"
    LOCATION = "LOCATION"
    ID = "ID"
    URL = "URL"


class DeidMode(StrEnum):
    REDACT = "redact"  # "[REDACTED]"
    TAG = "tag"  # "<NAME>", "<DATE>"
    FAKE = "fake"  # consistent fake values: the same input gets the same fake in one note


class PhiSpan(BaseModel):
    type: PhiType
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float = Field(ge=0.0, le=1.0)
    recognizer: str  # which recogniser found it; never the text itself


class Replacement(BaseModel):
    """Where one PHI span went: offsets in the original and in the de-identified text."""

    type: PhiType
    start: int
    end: int
    new_start: int
    new_end: int
    replacement: str


class DeidentifiedText(BaseModel):
    text: str
    mode: DeidMode
    replacements: list[Replacement]
