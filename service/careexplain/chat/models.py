"""Chat request, response and stream events."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from careexplain.generate.grounding import GroundingReport
from careexplain.safety.gate import SafetyAssessment

MAX_MESSAGE_CHARS = 4000

Language = Literal["en", "es"]


class ChatRequest(BaseModel):
    """A patient's message."""

    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS)
    ]
    session_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="Continue a conversation; omit to start one.",
    )
    reading_level: int = Field(default=6, ge=3, le=12, description="US school grade, 3 to 12.")
    language: Language = "en"
    patient_context: str | None = Field(
        default=None,
        max_length=2000,
        description="What the care team wants the answer to take into account.",
    )


class Citation(BaseModel):
    n: int
    title: str
    section: str
    source_url: str
    snippet: str = Field(description="The start of the passage, for display.")
    text: str = Field(description="The whole cited passage, so any reader can check the claim.")


class ChatResponse(BaseModel):
    answer: str
    citations: list[Citation]
    grounding: GroundingReport
    safety: SafetyAssessment
    session_id: str
    query: str = Field(description="The question as searched (follow-ups made self-contained).")
    prompt_version: str | None = None
    model: str | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)


class ChatEvent(BaseModel):
    """One server-sent event: ``token`` (text that passed the guard) or ``done``."""

    event: Literal["token", "done"]
    data: Any
