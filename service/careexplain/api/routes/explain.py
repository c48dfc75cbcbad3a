"""Routes: personalised explanations of a patient's own problems and medicines."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from careexplain.api.deps import ExplainerDep, StateDep
from careexplain.explain.builder import Explainer
from careexplain.explain.inputs import resolve_profile
from careexplain.explain.models import ExplainRequest, Explanation

router = APIRouter(prefix="/v1", tags=["explain"])

__all__ = ["Explainer", "router"]  # runtime import for FastAPI's type hints


@router.post(
    "/explain",
    response_model=Explanation,
    summary="Explain each active problem and medicine from a note or a profile, cited",
    responses={
        413: {"description": "Note too large (E501)"},
        422: {"description": "Empty note (E203), nothing to explain (E503), bad profile (E603)"},
    },
)
async def explain(body: ExplainRequest, state: StateDep, explainer: ExplainerDep) -> Explanation:
    """Sections per topic (what it is, why it matters, what to do, when to call, emergency),
    every sentence cited; doses only in the medicine table, copied from the note."""

    def run() -> Explanation:
        profile, _ = resolve_profile(
            body, lambda: state.note_extractor().extract, state.settings.max_note_bytes
        )
        return explainer.explain(profile, body.topics, body.reading_level)

    return await run_in_threadpool(run)
