"""Routes: replace the PHI in a note (redact, type tags or consistent fakes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from careexplain.api.deps import DeidentifierDep, SettingsDep
from careexplain.notes.input import NoteInput, note_options, read_note
from careexplain.phi.deidentifier import Deidentifier
from careexplain.phi.models import DeidMode, PhiType

router = APIRouter(prefix="/v1/notes", tags=["notes"])

__all__ = ["Deidentifier", "router"]  # runtime import for FastAPI's type hints

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "The note: text/plain, JSON {text, mode?, include_phi?}, or FHIR R4 "
        "DocumentReference / Bundle JSON with text attachments.",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string"},
                        "mode": {"type": "string", "enum": [m.value for m in DeidMode]},
                        "include_phi": {"type": "boolean"},
                    },
                }
            },
            "application/fhir+json": {"schema": {"type": "object"}},
        },
    }
}


class ReplacementOut(BaseModel):
    """One replaced span: offsets in the submitted note and in the returned text."""

    type: PhiType
    start: int
    end: int
    new_start: int
    new_end: int
    replacement: str
    original: str | None = None  # only with include_phi (nurse-level access)


class DeidentifyResponse(BaseModel):
    text: str  # the note with every PHI span replaced
    mode: DeidMode
    source_format: str
    fhir_ids: list[str] = Field(default_factory=list)  # only with include_phi: record ids
    phi_found: dict[str, int] = Field(default_factory=dict)  # spans replaced, by type
    replacements: list[ReplacementOut] = Field(default_factory=list)


@router.post(
    "/deidentify",
    response_model=DeidentifyResponse,
    response_model_exclude_none=True,
    openapi_extra=_BODY_DOC,
    summary="The note with names, dates, ids and other PHI replaced",
)
async def deidentify(
    request: Request,
    settings: SettingsDep,
    deidentifier: DeidentifierDep,
    mode: Annotated[
        DeidMode | None,
        Query(description="redact ([REDACTED]), tag (<NAME>) or fake (consistent fake values)."),
    ] = None,
    include_phi: Annotated[
        bool,
        Query(description="Also return each replaced original (nurse-level access; roles later)."),
    ] = False,
) -> DeidentifyResponse:
    """Replace PHI; the response holds no PHI unless ``include_phi`` is set."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    note = read_note(body, content_type, settings.max_note_bytes)
    options = note_options(body, content_type)
    chosen = mode or options.mode or DeidMode.TAG
    keep = include_phi or options.include_phi
    return await run_in_threadpool(_deidentify, note, deidentifier, chosen, keep)


def _deidentify(
    note: NoteInput, deidentifier: Deidentifier, mode: DeidMode, include_phi: bool
) -> DeidentifyResponse:
    result = deidentifier.deidentify(note.text, mode)
    counts: dict[str, int] = {}
    for r in result.replacements:
        counts[r.type.value] = counts.get(r.type.value, 0) + 1
    return DeidentifyResponse(
        text=result.text,
        mode=mode,
        source_format=note.source_format.value,
        fhir_ids=note.fhir_ids if include_phi else [],
        phi_found=counts,
        replacements=[
            ReplacementOut(
                **r.model_dump(),
                original=note.text[r.start : r.end] if include_phi else None,
            )
            for r in result.replacements
        ],
    )
