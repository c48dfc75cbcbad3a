"""Liveness and what the service is serving."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from careexplain import __version__
from careexplain.api.deps import StateDep
from careexplain.errors import CareExplainError

router = APIRouter(tags=["health"])


class IndexStatus(BaseModel):
    build_id: str
    documents: int
    chunks: int
    embedding_model: str


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    index: IndexStatus | None = None
    support_judge: str = Field(
        default="off", description="The grounding guard's support judge: off, a model, or why not."
    )
    problem: str | None = None


@router.get("/health", response_model=Health)
def health(state: StateDep) -> Health:
    """``ok`` when an index is loaded and verified; ``degraded`` says why not."""
    judge = state.support_judge
    problem = None
    if judge is not None and judge.error is not None:
        problem = f"not loaded, the rules decide alone: {judge.error}"
    judge_status = problem or ("off" if judge is None else state.settings.support_judge_model)
    try:
        index = state.index.get()
    except CareExplainError as exc:
        return Health(
            status="degraded", version=__version__, support_judge=judge_status, problem=str(exc)
        )
    m = index.manifest
    return Health(
        status="degraded" if problem else "ok",
        version=__version__,
        support_judge=judge_status,
        problem=problem,
        index=IndexStatus(
            build_id=m.build_id,
            documents=m.documents,
            chunks=m.chunks,
            embedding_model=m.embedding.name,
        ),
    )
