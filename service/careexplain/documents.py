"""Data models shared by ingest, index and retrieval: documents, sources, chunks."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SourceRef(BaseModel):
    """Where a document's facts come from."""

    model_config = ConfigDict(frozen=True)

    publisher: str = ""
    title: str = ""
    url: str = ""


class Section(BaseModel):
    """A titled part of a document."""

    title: str
    text: str


class Document(BaseModel):
    """One unit of guidance as ingested: a markdown file, a MedQuAD answer, a web page."""

    doc_id: str = Field(min_length=1, max_length=300)
    title: str
    sections: list[Section]
    sources: list[SourceRef] = Field(default_factory=list)
    language: str = "en"
    icd10: list[str] = Field(default_factory=list)
    drugs: list[str] = Field(default_factory=list)
    summary: str = ""
    last_reviewed: str = ""
    origin: str = Field(default="", description="File the document came from.")
    fmt: str = Field(default="md", description="The ingest format that produced it.")
    extra: dict[str, str] = Field(default_factory=dict, description="Format-specific metadata.")

    def content_hash(self) -> str:
        """Hash of everything that changes what gets indexed; unchanged documents are skipped."""
        payload = self.model_dump_json(exclude={"origin"})
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def source_url(self) -> str:
        return self.sources[0].url if self.sources else ""

    @property
    def publisher(self) -> str:
        return self.sources[0].publisher if self.sources else ""


class PendingChunk(BaseModel):
    """A passage cut from a document, before the index gives it an id."""

    doc_id: str
    ordinal: int = Field(description="Position of the chunk within its document.")
    title: str
    section: str
    text: str
    source_url: str = ""
    publisher: str = ""
    language: str = "en"
    metadata: dict[str, Any] = Field(default_factory=dict)

    def embedding_text(self) -> str:
        """What the embedder and BM25 see: title and section give the passage its context."""
        return f"{self.title} — {self.section}\n{self.text}"


class Chunk(PendingChunk):
    """A retrievable passage with everything needed to cite it."""

    chunk_id: int = Field(description="Stable integer id, also the FAISS id.")
