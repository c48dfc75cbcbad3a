"""Search the knowledge base."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from careexplain.api.deps import RetrieverDep
from careexplain.api.errors import ApiError
from careexplain.retrieve.models import Mode, SearchFilters, SearchHit

router = APIRouter(prefix="/v1", tags=["search"])

MAX_QUERY_CHARS = 2000


@router.get("/search", response_model=list[SearchHit])
def search(
    retriever: RetrieverDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="The question.")],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 5,
    mode: Annotated[Mode, Query(description="hybrid, dense or bm25.")] = "hybrid",
    language: Annotated[str | None, Query(max_length=16)] = None,
    source: Annotated[str | None, Query(max_length=200, description="Publisher.")] = None,
    icd10: Annotated[
        str | None, Query(max_length=16, description="ICD-10-CM code or prefix.")
    ] = None,
) -> list[SearchHit]:
    """The best passages for a question, each with its source."""
    if not q.strip():
        raise ApiError(422, "E422", "Invalid request. q: the query is only whitespace.")
    filters = SearchFilters(language=language, source=source, icd10=icd10)
    return [SearchHit.from_retrieved(h) for h in retriever.search(q, k, mode=mode, filters=filters)]
