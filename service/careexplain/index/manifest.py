"""The index manifest: what built the index, with checksums verified every time it loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from careexplain.checksums import sha256_file
from careexplain.errors import IndexCorruptedError, IndexModelMismatchError

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


class EmbeddingInfo(BaseModel):
    name: str
    digest: str = Field(description="SHA-256 of the model's weight files.")
    dimension: int
    dtype: str
    max_seq_length: int
    normalized: bool = True


class Manifest(BaseModel):
    """Everything needed to tell whether an index can be trusted and served."""

    format_version: int = FORMAT_VERSION
    build_id: str
    created_at: str
    embedding: EmbeddingInfo
    chunker: dict[str, Any]
    faiss: dict[str, Any]
    bm25: dict[str, Any]
    documents: int
    chunks: int
    files: dict[str, str] = Field(description="Relative path → SHA-256 of every index file.")

    def write(self, folder: Path) -> None:
        (folder / MANIFEST_NAME).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        if not path.exists():
            raise IndexCorruptedError(
                f"The index at {folder} has no {MANIFEST_NAME}. Rebuild it: careexplain ingest."
            )
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise IndexCorruptedError(
                f"{path} is not a valid manifest ({exc.__class__.__name__}). "
                "Rebuild the index: careexplain ingest."
            ) from exc

    def verify_files(self, folder: Path) -> None:
        """Fail with E102 when any index file is missing or its checksum differs."""
        for rel, expected in self.files.items():
            path = folder / rel
            if not path.exists():
                raise IndexCorruptedError(
                    f"Index file {rel} is missing from {folder}. Rebuild: careexplain ingest."
                )
            if sha256_file(path) != expected:
                raise IndexCorruptedError(
                    f"Index file {rel} in {folder} does not match its checksum: it is corrupted "
                    "or was changed by hand. Rebuild it: careexplain ingest."
                )

    def verify_embedding(self, name: str, digest: str) -> None:
        """Fail with E103 when the index was built with another embedding model."""
        if self.embedding.digest != digest:
            raise IndexModelMismatchError(
                f"The index was built with embedding model '{self.embedding.name}' "
                f"(digest {self.embedding.digest[:12]}…) but the service is configured with "
                f"'{name}' (digest {digest[:12]}…). Searching would give wrong results. "
                "Re-ingest with the configured model, or set CAREEXPLAIN_EMBEDDING_MODEL "
                "to the model that built the index."
            )


def checksum_folder(folder: Path) -> dict[str, str]:
    """Checksums of every file under ``folder`` except the manifest itself."""
    return {
        str(p.relative_to(folder)): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }
