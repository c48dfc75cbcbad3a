"""Liveness and what the service is serving."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

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
    problem: str | None = None


@router.get("/health", response_model=Health)
def health(state: StateDep) -> Health:
    """``ok`` when an index is loaded and verified; ``degraded`` says why not."""
    try:
        index = state.index.get()
    except CareExplainError as exc:
        return Health(status="degraded", version=__version__, problem=str(exc))
    m = index.manifest
    return Health(
        status="ok",
        version=__version__,
        index=IndexStatus(
            build_id=m.build_id,
            documents=m.documents,
            chunks=m.chunks,
            embedding_model=m.embedding.name,
        ),
    )
