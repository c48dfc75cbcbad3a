"""Section-aware chunking: sections stay whole when they fit, long ones split on token counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from langchain_text_splitters import RecursiveCharacterTextSplitter

from careexplain.documents import Document, PendingChunk

TokenCounter = Callable[[Sequence[str]], list[int]]

# Prefer to break between paragraphs, then list items, then sentences.
SEPARATORS = ["\n\n", "\n- ", "\n", ". ", "; ", ", ", " ", ""]


class SectionChunker:
    """Split documents into passages of at most ``chunk_tokens`` embedding-model tokens."""

    def __init__(self, count_tokens: TokenCounter, chunk_tokens: int, overlap_tokens: int) -> None:
        self.count_tokens = count_tokens
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self._splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_tokens,
            chunk_overlap=overlap_tokens,
            length_function=lambda text: self.count_tokens([text])[0],
            separators=SEPARATORS,
            keep_separator="start",
            strip_whitespace=True,
        )

    def settings(self) -> dict[str, int | str]:
        """What the manifest records so that an index and its chunker stay matched."""
        return {
            "splitter": "langchain RecursiveCharacterTextSplitter over markdown sections",
            "chunk_tokens": self.chunk_tokens,
            "overlap_tokens": self.overlap_tokens,
        }

    def chunk_documents(self, docs: Sequence[Document]) -> list[list[PendingChunk]]:
        """Chunks for each document, in document order."""
        sections = [(d, s) for d in docs for s in d.sections]
        # One batched tokenizer call decides which sections need splitting at all.
        counts = self.count_tokens([s.text for _, s in sections]) if sections else []
        out: dict[str, list[PendingChunk]] = {d.doc_id: [] for d in docs}
        for (doc, section), n_tokens in zip(sections, counts, strict=True):
            pieces = (
                [section.text]
                if n_tokens <= self.chunk_tokens
                else (self._splitter.split_text(section.text))
            )
            bucket = out[doc.doc_id]
            for piece in pieces:
                text = piece.strip()
                if not text:
                    continue
                bucket.append(
                    PendingChunk(
                        doc_id=doc.doc_id,
                        ordinal=len(bucket),
                        title=doc.title,
                        section=section.title,
                        text=text,
                        source_url=doc.source_url,
                        publisher=doc.publisher,
                        language=doc.language,
                        metadata={
                            "icd10": doc.icd10,
                            "drugs": doc.drugs,
                            "source_title": doc.sources[0].title if doc.sources else "",
                            **doc.extra,
                        },
                    )
                )
        return [out[d.doc_id] for d in docs]
