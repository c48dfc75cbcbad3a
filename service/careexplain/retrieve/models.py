"""Retrieval results and filters."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from careexplain.documents import Chunk

Mode = Literal["hybrid", "dense", "bm25"]


class SearchFilters(BaseModel):
    """Optional metadata filters; all given filters must match."""

    language: str | None = Field(default=None, max_length=16)
    source: str | None = Field(default=None, max_length=200, description="Publisher, e.g. CDC")
    icd10: str | None = Field(default=None, max_length=16, description="Code or prefix, e.g. E11")
    doc_ids: list[str] | None = None

    def is_empty(self) -> bool:
        return not (self.language or self.source or self.icd10 or self.doc_ids is not None)


class RetrievedChunk(BaseModel):
    """A chunk with the scores that ranked it."""

    chunk: Chunk
    score: float
    dense_score: float | None = None
    bm25_score: float | None = None


class SearchHit(BaseModel):
    """The public shape of one search result (CLI ``--json`` and ``GET /v1/search``)."""

    chunk_id: int
    doc_id: str
    title: str
    section: str
    text: str
    source_url: str
    score: float

    @classmethod
    def from_retrieved(cls, hit: RetrievedChunk) -> SearchHit:
        c = hit.chunk
        return cls(
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            title=c.title,
            section=c.section,
            text=c.text,
            source_url=c.source_url,
            score=round(hit.score, 6),
        )
