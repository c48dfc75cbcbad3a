"""Routes: the nurse page (server-rendered) and its note preview."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from careexplain.api.deps import StateDep
from careexplain.explain.inputs import note_text
from careexplain.handouts.render import environment
from careexplain.notes.render import entities_html
from careexplain.profile.builder import profile_from_extraction

router = APIRouter(tags=["nurse"])

SCRIPT = Path(__file__).resolve().parents[2] / "handouts" / "templates" / "nurse" / "nurse.js"


class PreviewRequest(BaseModel):
    note: str


class PreviewTopic(BaseModel):
    name: str
    kind: str


class Preview(BaseModel):
    """The note with its entities highlighted, and the topics a handout can cover."""

    entities_html: str
    topics: list[PreviewTopic] = Field(default_factory=list)


@router.get("/nurse", response_class=HTMLResponse, include_in_schema=False)
async def page(state: StateDep) -> HTMLResponse:
    html = (
        environment()
        .get_template("nurse/page.html.j2")
        .render(default_level=round(state.settings.reading_grade), script_url="/nurse/nurse.js")
    )
    return HTMLResponse(html)


@router.get("/nurse/nurse.js", include_in_schema=False)
async def script() -> Response:
    return Response(SCRIPT.read_text(encoding="utf-8"), media_type="text/javascript")


@router.post("/nurse/preview", response_model=Preview, include_in_schema=False)
async def preview(body: PreviewRequest, state: StateDep) -> Preview:
    """Entities highlighted (active ones and the others, with their context shown)."""

    def run() -> Preview:
        text = note_text(body.note, state.settings.max_note_bytes)
        extraction = state.note_extractor().extract(text)
        profile = profile_from_extraction(extraction)
        topics = [PreviewTopic(name=p.name, kind="problem") for p in profile.problems]
        topics += [PreviewTopic(name=m.name, kind="medicine") for m in profile.medicines]
        return Preview(entities_html=entities_html(extraction), topics=topics)

    return await run_in_threadpool(run)
