"""Chunk and document metadata in SQLite: the durable record every other index part derives from."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from careexplain.documents import Chunk, Document, PendingChunk
from careexplain.index.embeddings import Vectors

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fmt TEXT NOT NULL,
    origin TEXT NOT NULL,
    language TEXT NOT NULL,
    publisher TEXT NOT NULL,
    source_url TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    source_url TEXT NOT NULL,
    publisher TEXT NOT NULL,
    language TEXT NOT NULL,
    metadata TEXT NOT NULL,
    embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
"""

_CHUNK_COLUMNS = (
    "chunk_id, doc_id, ordinal, title, section, text, source_url, publisher, language, metadata"
)


def _row_to_chunk(row: sqlite3.Row | tuple[Any, ...]) -> Chunk:
    (chunk_id, doc_id, ordinal, title, section, text, url, publisher, language, metadata) = row
    return Chunk(
        chunk_id=chunk_id,
        doc_id=doc_id,
        ordinal=ordinal,
        title=title,
        section=section,
        text=text,
        source_url=url,
        publisher=publisher,
        language=language,
        metadata=json.loads(metadata),
    )


class ChunkStore:
    """SQLite file with documents, chunks and their embeddings (float32 blobs, never pickles)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        if not readonly:
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._conn:
            yield self._conn

    # -- documents -------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        with self._lock:
            rows = self._conn.execute("SELECT doc_id, content_hash FROM documents").fetchall()
        return dict(rows)

    def document_origins(self) -> dict[str, str]:
        with self._lock:
            rows = self._conn.execute("SELECT doc_id, origin FROM documents").fetchall()
        return dict(rows)

    def count_documents(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def delete_documents(self, doc_ids: Iterable[str]) -> int:
        ids = list(doc_ids)
        with self.transaction() as conn:
            conn.executemany("DELETE FROM chunks WHERE doc_id = ?", [(d,) for d in ids])
            cur = conn.executemany("DELETE FROM documents WHERE doc_id = ?", [(d,) for d in ids])
            return cur.rowcount

    def add_documents(
        self, docs: Sequence[Document], chunks: Sequence[Sequence[PendingChunk]], vectors: Vectors
    ) -> None:
        """Insert documents with their chunks; ``vectors`` rows follow the flattened chunks."""
        rows = []
        flat = [c for per_doc in chunks for c in per_doc]
        if len(flat) != len(vectors):
            raise ValueError("one vector per chunk is required")
        for chunk, vec in zip(flat, vectors, strict=True):
            rows.append(
                (
                    chunk.doc_id,
                    chunk.ordinal,
                    chunk.title,
                    chunk.section,
                    chunk.text,
                    chunk.source_url,
                    chunk.publisher,
                    chunk.language,
                    json.dumps(chunk.metadata, ensure_ascii=False),
                    np.ascontiguousarray(vec, dtype=np.float32).tobytes(),
                )
            )
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        d.doc_id,
                        d.title,
                        d.content_hash(),
                        d.fmt,
                        d.origin,
                        d.language,
                        d.publisher,
                        d.source_url,
                        json.dumps(
                            {
                                "icd10": d.icd10,
                                "drugs": d.drugs,
                                "summary": d.summary,
                                "last_reviewed": d.last_reviewed,
                                **d.extra,
                            },
                            ensure_ascii=False,
                        ),
                    )
                    for d in docs
                ],
            )
            conn.executemany(
                "INSERT INTO chunks (doc_id, ordinal, title, section, text, source_url, publisher,"
                " language, metadata, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    # -- chunks ----------------------------------------------------------------------------
    def get_chunks(self, chunk_ids: Sequence[int]) -> dict[int, Chunk]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})",
                [int(i) for i in chunk_ids],
            ).fetchall()
        return {row[0]: _row_to_chunk(row) for row in rows}

    def iter_chunks(self) -> Iterator[Chunk]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY chunk_id"
            ).fetchall()
        for row in rows:
            yield _row_to_chunk(row)

    def all_embeddings(self, dimension: int) -> tuple[np.ndarray, Vectors]:
        """Every chunk id and its vector, ordered by id."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT chunk_id, embedding FROM chunks ORDER BY chunk_id"
            ).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
        return ids, vecs.reshape(len(rows), dimension).copy()

    def matching_chunk_ids(
        self,
        *,
        language: str | None = None,
        publisher: str | None = None,
        icd10: str | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Ids of chunks that pass the metadata filters (used to restrict search)."""
        clauses, params = [], []
        if language:
            clauses.append("language = ?")
            params.append(language)
        if publisher:
            clauses.append("lower(publisher) = lower(?)")
            params.append(publisher)
        if icd10:
            # Codes match on prefix: E11 selects E11.9, E11.65 …
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(chunks.metadata, '$.icd10') "
                "WHERE upper(json_each.value) LIKE upper(?) || '%')"
            )
            params.append(icd10)
        if doc_ids is not None:
            clauses.append(f"doc_id IN ({','.join('?' * len(doc_ids))})")
            params.extend(doc_ids)
        where = " AND ".join(clauses) or "1"
        with self._lock:
            rows = self._conn.execute(f"SELECT chunk_id FROM chunks WHERE {where}", params)
            return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def backup_to(self, target: Path) -> None:
        """Copy the whole database consistently (SQLite's online backup)."""
        dest = sqlite3.connect(target)
        with self._lock:
            self._conn.backup(dest)
        dest.close()
