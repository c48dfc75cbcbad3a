"""Handout content (what the nurse edits), stored handouts, revisions and the quality check."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from careexplain.explain.models import MedicineRow, SourceRef

MAX_ITEMS = 20
MAX_TEXT = 1000


class HandoutSection(BaseModel):
    """One problem or medicine: short cited paragraphs, a checklist and the two boxes."""

    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=200)
    kind: Literal["problem", "medicine"]
    heading: str = Field(min_length=1, max_length=200)
    what_it_is: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    why_it_matters: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    what_to_do: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    when_to_call: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    emergency: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    not_covered: str | None = Field(default=None, max_length=MAX_TEXT)


class HandoutContent(BaseModel):
    """Everything printed on a handout; the nurse may edit any of it."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(default="", max_length=MAX_TEXT)
    summary: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    sections: list[HandoutSection] = Field(default_factory=list, max_length=60)
    medicines: list[MedicineRow] = Field(default_factory=list, max_length=60)
    allergies: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    emergency_message: str = Field(default="", max_length=MAX_TEXT)
    language_note: str | None = Field(default=None, max_length=MAX_TEXT)
    teach_back: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    sources: list[SourceRef] = Field(default_factory=list, max_length=200)
    reading_level: float = Field(default=6.0, ge=1, le=16)
    language: Literal["en", "es"] = "en"


class QualityItem(BaseModel):
    """One automatable PEMAT-P item (or the reading grade): pass or warn, and why."""

    key: str
    label: str
    status: Literal["pass", "warn"]
    reason: str


class QualityReport(BaseModel):
    fk_grade: float
    target_grade: float
    items: list[QualityItem]

    @property
    def warnings(self) -> int:
        return sum(i.status == "warn" for i in self.items)


class Handout(BaseModel):
    """A stored handout at its current version, with its quality self-check."""

    id: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    content: HandoutContent
    quality: QualityReport


class Revision(BaseModel):
    """Every edit ever sent: accepted ones became a version; rejected ones are kept too."""

    revision: int
    status: Literal["accepted", "rejected"]
    version: int | None = Field(description="The version it created (accepted only).")
    based_on: int | None = Field(description="The version the editor started from.")
    created_at: dt.datetime


class RevisionDetail(Revision):
    content: HandoutContent


class HandoutUpdate(BaseModel):
    """An edit: the new content and the version it was made from (or send If-Match)."""

    model_config = ConfigDict(extra="forbid")

    content: HandoutContent
    version: int | None = Field(default=None, ge=1)
