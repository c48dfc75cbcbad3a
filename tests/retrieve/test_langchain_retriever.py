"""Our retriever used as a LangChain component, inside a runnable chain."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document as LCDocument
from langchain_core.runnables import RunnableLambda

from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.retrieve.langchain_retriever import CareExplainRetriever

pytestmark = pytest.mark.integration


def test_invoke_returns_documents_with_citation_metadata(retriever: HybridRetriever) -> None:
    lc = CareExplainRetriever(retriever=retriever, k=3)
    docs = lc.invoke("signs of a heart attack")
    assert len(docs) == 3
    assert all(isinstance(d, LCDocument) for d in docs)
    assert docs[0].metadata["doc_id"] == "heart-attack"
    assert {"chunk_id", "title", "section", "source_url", "publisher", "score"} <= set(
        docs[0].metadata
    )


def test_retriever_composes_in_a_chain(retriever: HybridRetriever) -> None:
    numbered = RunnableLambda(
        lambda docs: "\n".join(f"[{i}] {d.metadata['title']}" for i, d in enumerate(docs, 1))
    )
    chain = CareExplainRetriever(retriever=retriever, k=2, mode="bm25") | numbered
    out = chain.invoke("statin muscle pain")
    assert out.startswith("[1] ")
    assert "Statin" in out
