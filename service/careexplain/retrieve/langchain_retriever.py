"""LangChain ``BaseRetriever`` over our hybrid retriever, for LangChain chains and apps."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.retrieve.models import Mode, RetrievedChunk, SearchFilters


def to_langchain(hit: RetrievedChunk) -> LCDocument:
    """One retrieved chunk as a LangChain document, with citation metadata."""
    c = hit.chunk
    return LCDocument(
        page_content=c.text,
        id=str(c.chunk_id),
        metadata={
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "section": c.section,
            "source_url": c.source_url,
            "publisher": c.publisher,
            "score": hit.score,
        },
    )


class CareExplainRetriever(BaseRetriever):
    """``retriever.invoke("question")`` → LangChain documents from the CareExplain index."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: HybridRetriever
    k: int = 5
    mode: Mode = "hybrid"
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[LCDocument]:
        hits = self.retriever.search(query, self.k, mode=self.mode, filters=self.filters)
        return [to_langchain(h) for h in hits]
