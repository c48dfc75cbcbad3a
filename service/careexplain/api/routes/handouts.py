"""Routes: handout drafts (create, read, edit with optimistic concurrency, render)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from careexplain.api.deps import HandoutsDep, StateDep
from careexplain.api.errors import ApiError, error_response
from careexplain.explain.inputs import resolve_profile
from careexplain.explain.models import ExplainRequest
from careexplain.handouts.models import Handout, HandoutUpdate, Revision, RevisionDetail
from careexplain.handouts.service import HandoutService
from careexplain.handouts.store import HandoutEditConflictError

router = APIRouter(prefix="/v1/handouts", tags=["handouts"])

__all__ = ["HandoutService", "router"]  # runtime import for FastAPI's type hints


def _etag(version: int) -> str:
    return f'"{version}"'


def _json(handout: Handout, status: int = 200) -> JSONResponse:
    headers = {"ETag": _etag(handout.version)}
    if status == 201:
        headers["Location"] = f"/v1/handouts/{handout.id}"
    return JSONResponse(handout.model_dump(mode="json"), status_code=status, headers=headers)


def _if_match(value: str | None) -> int | None:
    if value is None:
        return None
    tag = value.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ApiError(400, "E400", 'If-Match must be a handout version, e.g. If-Match: "3".')
    return int(tag)


@router.post("", status_code=201, response_model=Handout, summary="Create a handout draft")
async def create(body: ExplainRequest, state: StateDep, handouts: HandoutsDep) -> JSONResponse:
    """A draft from a note or a profile: explained, composed, checked and stored (version 1)."""

    def run() -> Handout:
        profile, _ = resolve_profile(
            body, lambda: state.note_extractor().extract, state.settings.max_note_bytes
        )
        return handouts.create(profile, body.topics, body.reading_level)

    return _json(await run_in_threadpool(run), 201)


@router.get("/{handout_id}.html", response_class=HTMLResponse, summary="Print view")
async def html(handout_id: str, handouts: HandoutsDep) -> HTMLResponse:
    return HTMLResponse(await run_in_threadpool(handouts.html, handout_id))


@router.get(
    "/{handout_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="PDF",
)
async def pdf(handout_id: str, handouts: HandoutsDep) -> Response:
    data = await run_in_threadpool(handouts.pdf, handout_id)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="handout-{handout_id}.pdf"'},
    )


@router.get("/{handout_id}/revisions", response_model=list[Revision])
async def revisions(handout_id: str, handouts: HandoutsDep) -> list[Revision]:
    """Every edit, accepted (a version) or rejected as stale (kept, never lost)."""
    return await run_in_threadpool(handouts.store.revisions, handout_id)


@router.get("/{handout_id}/revisions/{revision}", response_model=RevisionDetail)
async def revision(handout_id: str, revision: int, handouts: HandoutsDep) -> RevisionDetail:
    return await run_in_threadpool(handouts.store.revision, handout_id, revision)


@router.get("/{handout_id}", response_model=Handout)
async def get(handout_id: str, handouts: HandoutsDep) -> JSONResponse:
    return _json(await run_in_threadpool(handouts.get, handout_id))


@router.put(
    "/{handout_id}",
    response_model=Handout,
    responses={409: {"description": "Stale version (E602); the edit is kept as a revision"}},
)
async def put(
    handout_id: str,
    body: HandoutUpdate,
    handouts: HandoutsDep,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Save an edit made from ``version`` (or If-Match); a stale version gets 409."""
    based_on = body.version if body.version is not None else _if_match(if_match)
    if based_on is None:
        raise ApiError(
            428, "E428", "Say which version you edited: a 'version' field or an If-Match header."
        )
    try:
        updated = await run_in_threadpool(handouts.update, handout_id, body.content, based_on)
    except HandoutEditConflictError as exc:
        return error_response(
            exc.http_status,
            exc.code,
            exc.message,
            details=[
                {
                    "current_version": exc.current_version,
                    "rejected_revision": exc.rejected_revision,
                    "revision_url": f"/v1/handouts/{handout_id}/revisions/{exc.rejected_revision}",
                }
            ],
        )
    return _json(updated)
