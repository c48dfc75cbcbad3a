"""Ingest a real MedQuAD collection from ../shared/data and find answers to its questions."""

from __future__ import annotations

import pytest

from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle
from careexplain.ingest.formats import read_documents
from careexplain.ingest.pipeline import ingest_path
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings
from tests.helpers import shared_data

pytestmark = [pytest.mark.integration, pytest.mark.data]


def test_cdc_collection_is_indexed_with_metadata_and_answers_its_questions(
    small_settings: Settings, embedder: Embedder
) -> None:
    folder = shared_data("medquad", "9_CDC_QA")
    report = ingest_path(folder, small_settings, embedder, fmt="medquad")
    assert report.documents_total == 270
    assert report.chunks_total >= 270

    handle = IndexHandle(small_settings.index_root, embedder)
    chunk = next(handle.get().store.iter_chunks())
    assert chunk.metadata["collection"] == "9_CDC_QA"
    assert chunk.metadata["focus"]
    assert chunk.metadata["qtype"]
    assert chunk.metadata["question"]
    assert chunk.publisher == "CDC"
    assert chunk.source_url.startswith("http")

    retriever = HybridRetriever(handle, embedder, small_settings)
    docs = list(read_documents(folder, "medquad"))[::9]
    found = sum(
        d.doc_id in [h.chunk.doc_id for h in retriever.search(d.extra["question"], 5)] for d in docs
    )
    # Many CDC pairs share a focus and near-identical wording; most still rank in the top 5.
    assert found / len(docs) >= 0.8
