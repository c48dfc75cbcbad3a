"""Hybrid retrieval over the real bundled guidance index."""

from __future__ import annotations

import pytest

from careexplain.errors import EmptyInputError
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.retrieve.models import SearchFilters

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("What are the warning signs of a stroke?", "stroke"),
        ("my blood sugar is 60 what should I do", "low-blood-sugar"),
        ("how do I get ready for a colonoscopy", "colonoscopy-preparation"),
        ("can I eat spinach while taking warfarin", "warfarin"),
        ("what is AFib", "atrial-fibrillation"),
        ("how to stop smoking", "quitting-smoking"),
        ("burning when I pee", "urinary-tract-infection"),
        ("keeping my surgery cut clean", "wound-care-after-surgery"),
    ],
)
def test_questions_find_their_guidance(
    retriever: HybridRetriever, question: str, doc_id: str
) -> None:
    hits = retriever.search(question, 3)
    assert doc_id in [h.chunk.doc_id for h in hits[:3]], [h.chunk.doc_id for h in hits]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_returns_cited_chunks(retriever: HybridRetriever, mode: str) -> None:
    hits = retriever.search("heart failure swelling in legs", 5, mode=mode)  # type: ignore[arg-type]
    assert 0 < len(hits) <= 5
    assert hits[0].chunk.doc_id == "heart-failure"
    assert all(h.chunk.source_url.startswith("https://") for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_at_most_n_chunks_per_document(retriever: HybridRetriever) -> None:
    for cap in (1, 2):
        hits = retriever.search("insulin", 10, max_per_doc=cap)
        per_doc = [h.chunk.doc_id for h in hits]
        assert max(per_doc.count(d) for d in per_doc) <= cap


def test_filters_restrict_results(retriever: HybridRetriever) -> None:
    hits = retriever.search("medicine", 10, filters=SearchFilters(icd10="E11"))
    assert hits
    assert all(any(c.startswith("E11") for c in h.chunk.metadata["icd10"]) for h in hits)
    assert retriever.search("medicine", 5, filters=SearchFilters(language="es")) == []
    only = retriever.search("medicine", 5, filters=SearchFilters(doc_ids=["statins"]))
    assert {h.chunk.doc_id for h in only} == {"statins"}


def test_empty_query_is_an_error(retriever: HybridRetriever) -> None:
    with pytest.raises(EmptyInputError, match="query is empty"):
        retriever.search("   \n ", 5)


def test_nonsense_query_does_not_crash(retriever: HybridRetriever) -> None:
    assert len(retriever.search("zzqx vrrp", 3, mode="bm25")) == 0
    assert len(retriever.search("zzqx vrrp", 3)) == 3  # dense always returns neighbours
