"""Loading an index: clear numbered errors for missing, corrupted or mismatched indexes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careexplain.errors import IndexCorruptedError, IndexModelMismatchError, IndexNotFoundError
from careexplain.index import layout
from careexplain.index.embeddings import Embedder
from careexplain.index.faiss_index import FAISS_FILE
from careexplain.index.manifest import MANIFEST_NAME
from careexplain.index.reader import open_index
from careexplain.ingest.pipeline import ingest_path
from careexplain.settings import Settings
from tests.helpers import write_doc

pytestmark = pytest.mark.integration


@pytest.fixture
def built(tmp_path: Path, small_settings: Settings, embedder: Embedder) -> Path:
    write_doc(tmp_path / "src", "gout", "## What it is\nGout is painful swelling in a joint.")
    ingest_path(tmp_path / "src", small_settings, embedder)
    folder = layout.current_build(small_settings.index_root)
    assert folder is not None
    return folder


def test_no_index_says_how_to_build_one(small_settings: Settings, embedder: Embedder) -> None:
    with pytest.raises(IndexNotFoundError, match=r"\[E101\].*careexplain ingest"):
        open_index(small_settings.index_root, embedder)


@pytest.mark.parametrize("victim", [FAISS_FILE, "chunks.sqlite", "bm25_ids.npy"])
def test_corrupted_file_is_detected_by_checksum(
    built: Path, small_settings: Settings, embedder: Embedder, victim: str
) -> None:
    path = built / victim
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptedError, match=rf"\[E102\] Index file {victim} .*corrupted"):
        open_index(small_settings.index_root, embedder)


def test_missing_file_and_broken_manifest(
    built: Path, small_settings: Settings, embedder: Embedder
) -> None:
    (built / FAISS_FILE).unlink()
    with pytest.raises(IndexCorruptedError, match="is missing"):
        open_index(small_settings.index_root, embedder)
    (built / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptedError, match="not a valid manifest"):
        open_index(small_settings.index_root, embedder)


def test_index_built_by_another_model_is_refused(
    built: Path, small_settings: Settings, embedder: Embedder
) -> None:
    manifest = json.loads((built / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["embedding"]["name"] = "bge-small-en"
    manifest["embedding"]["digest"] = "0" * 64
    (built / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexModelMismatchError, match=r"\[E103\].*'bge-small-en'.*wrong results"):
        open_index(small_settings.index_root, embedder)
