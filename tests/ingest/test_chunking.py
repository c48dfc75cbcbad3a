"""Section-aware chunking with token limits from the embedding model's tokenizer."""

from __future__ import annotations

from careexplain.documents import Document, Section, SourceRef
from careexplain.index.embeddings import Embedder
from careexplain.ingest.chunking import SectionChunker


def _doc(*sections: Section) -> Document:
    return Document(
        doc_id="d1",
        title="Asthma",
        sections=list(sections),
        sources=[SourceRef(publisher="NHLBI", url="https://www.nhlbi.nih.gov/asthma")],
        icd10=["J45.909"],
    )


def test_short_sections_stay_whole_and_keep_metadata(embedder: Embedder) -> None:
    chunker = SectionChunker(embedder.count_tokens, 120, 0)
    doc = _doc(
        Section(title="What it is", text="Asthma affects your airways."),
        Section(title="What you can do", text="Use your inhaler as told."),
    )
    (chunks,) = chunker.chunk_documents([doc])
    assert [c.section for c in chunks] == ["What it is", "What you can do"]
    assert [c.ordinal for c in chunks] == [0, 1]
    first = chunks[0]
    assert (first.doc_id, first.title, first.publisher) == ("d1", "Asthma", "NHLBI")
    assert first.source_url == "https://www.nhlbi.nih.gov/asthma"
    assert first.metadata["icd10"] == ["J45.909"]


def test_long_sections_split_within_the_token_limit(embedder: Embedder) -> None:
    chunker = SectionChunker(embedder.count_tokens, 64, 0)
    sentences = [
        f"Sentence number {i} explains one more thing about your lungs." for i in range(60)
    ]
    doc = _doc(Section(title="Details", text=" ".join(sentences)))
    (chunks,) = chunker.chunk_documents([doc])
    assert len(chunks) > 5
    assert all(n <= 64 for n in embedder.count_tokens([c.text for c in chunks]))
    assert all(c.section == "Details" for c in chunks)
    # Nothing is lost: every sentence number appears in some chunk.
    joined = " ".join(c.text for c in chunks)
    assert all(f"number {i} " in joined for i in range(60))
