"""Routes: extract entities with clinical context from a note, PHI removed by default."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from careexplain.api.deps import DeidentifierDep, NoteExtractorDep, SettingsDep
from careexplain.notes.input import NoteInput, note_options, read_note
from careexplain.notes.models import NoteExtraction
from careexplain.notes.pipeline import NoteExtractor
from careexplain.phi.deidentifier import Deidentifier
from careexplain.phi.models import DeidMode

router = APIRouter(prefix="/v1/notes", tags=["notes"])

__all__ = ["Deidentifier", "NoteExtractor", "router"]  # runtime imports for FastAPI's hints

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "The note: text/plain, JSON {text, include_phi?}, or FHIR R4 "
        "DocumentReference / Bundle JSON with text attachments.",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "include_phi": {"type": "boolean"},
                    },
                }
            },
            "application/fhir+json": {"schema": {"type": "object"}},
        },
    }
}


class NoteExtractResponse(NoteExtraction):
    """The extraction plus where the note came from and what PHI handling was applied."""

    source_format: str
    fhir_ids: list[str] = Field(default_factory=list)
    deid_mode: DeidMode | None = None  # None when the caller asked for the original text
    phi_found: dict[str, int] = Field(default_factory=dict)  # PHI spans replaced, by type
    timings_ms: dict[str, float] = Field(default_factory=dict)


@router.post(
    "/extract",
    response_model=NoteExtractResponse,
    openapi_extra=_BODY_DOC,
    summary="Problems, medications, allergies, labs, vitals and procedures in a note",
)
async def extract(
    request: Request,
    settings: SettingsDep,
    extractor: NoteExtractorDep,
    deidentifier: DeidentifierDep,
    include_phi: Annotated[
        bool,
        Query(description="Return the original text (nurse-level access; roles come later)."),
    ] = False,
    mode: Annotated[
        DeidMode, Query(description="How PHI is replaced: redact, tag or fake.")
    ] = DeidMode.TAG,
) -> NoteExtractResponse:
    """Entities with offsets into the returned text; PHI is replaced unless asked otherwise."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    note = read_note(body, content_type, settings.max_note_bytes)
    keep_phi = include_phi or note_options(body, content_type).include_phi
    return await run_in_threadpool(_extract, note, extractor, deidentifier, keep_phi, mode)


def _extract(
    note: NoteInput,
    extractor: NoteExtractor,
    deidentifier: Deidentifier,
    include_phi: bool,
    mode: DeidMode,
) -> NoteExtractResponse:
    timings: dict[str, float] = {}
    text = note.text
    phi_found: dict[str, int] = {}
    if not include_phi:
        # Extract from the de-identified text: every offset and entity text is PHI-free.
        started = time.perf_counter()
        deid = deidentifier.deidentify(text, mode)
        timings["deidentify"] = round((time.perf_counter() - started) * 1000, 1)
        text = deid.text
        for r in deid.replacements:
            phi_found[r.type.value] = phi_found.get(r.type.value, 0) + 1
    started = time.perf_counter()
    extraction = extractor.extract(text)
    timings["extract"] = round((time.perf_counter() - started) * 1000, 1)
    return NoteExtractResponse(
        **extraction.model_dump(exclude={"redacted"}),
        redacted=not include_phi,
        source_format=note.source_format.value,
        fhir_ids=note.fhir_ids,
        deid_mode=None if include_phi else mode,
        phi_found=phi_found,
        timings_ms=timings,
    )
