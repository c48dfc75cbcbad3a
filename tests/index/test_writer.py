"""Incremental, atomic index writes with the real model and real FAISS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from careexplain.errors import IndexLockedError, UnknownDocumentError
from careexplain.index import layout
from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle, open_index
from careexplain.index.writer import IndexWriter
from careexplain.ingest.pipeline import delete_documents, ingest_path
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings
from tests.helpers import write_doc

pytestmark = pytest.mark.integration


def _docs(folder: Path) -> Path:
    write_doc(
        folder, "gout", "## What it is\nGout is painful swelling in a joint, often the big toe."
    )
    write_doc(folder, "shingles", "## What it is\nShingles is a painful rash caused by a virus.")
    write_doc(folder, "hives", "## What it is\nHives are itchy welts on the skin.")
    return folder


def _chunk_ids(settings: Settings, embedder: Embedder) -> dict[str, list[int]]:
    index = open_index(settings.index_root, embedder)
    out: dict[str, list[int]] = {}
    for chunk in index.store.iter_chunks():
        out.setdefault(chunk.doc_id, []).append(chunk.chunk_id)
    index.close()
    return out


def test_reingest_skips_unchanged_replaces_changed_and_prunes(
    tmp_path: Path, small_settings: Settings, embedder: Embedder
) -> None:
    src = _docs(tmp_path / "src")
    first = ingest_path(src, small_settings, embedder)
    assert (first.added, first.documents_total) == (3, 3)
    before = _chunk_ids(small_settings, embedder)

    again = ingest_path(src, small_settings, embedder)
    assert (again.added, again.updated, again.unchanged, again.chunks_embedded) == (0, 0, 3, 0)
    assert again.build_id == first.build_id, "nothing changed, so no new build"

    write_doc(src, "gout", "## What it is\nGout is a kind of arthritis from uric acid crystals.")
    changed = ingest_path(src, small_settings, embedder)
    assert (changed.updated, changed.unchanged, changed.chunks_embedded) == (1, 2, 1)
    after = _chunk_ids(small_settings, embedder)
    assert after["shingles"] == before["shingles"], "ids of unchanged documents are stable"
    assert set(after["gout"]).isdisjoint(before["gout"]), "the changed document got new chunks"
    index = open_index(small_settings.index_root, embedder)
    texts = [c.text for c in index.store.iter_chunks() if c.doc_id == "gout"]
    assert texts == ["Gout is a kind of arthritis from uric acid crystals."]
    assert index.faiss.ntotal == index.manifest.chunks == 3

    (src / "hives.md").unlink()
    pruned = ingest_path(src, small_settings, embedder, prune=True)
    assert (pruned.deleted, pruned.documents_total) == (1, 2)


def test_delete_removes_document_from_every_part(
    tmp_path: Path, small_settings: Settings, embedder: Embedder
) -> None:
    ingest_path(_docs(tmp_path / "src"), small_settings, embedder)
    report = delete_documents(["shingles"], small_settings, embedder)
    assert (report.deleted, report.documents_total, report.chunks_total) == (1, 2, 2)
    retriever = HybridRetriever(
        IndexHandle(small_settings.index_root, embedder), embedder, small_settings
    )
    for mode in ("dense", "bm25", "hybrid"):
        hits = retriever.search("painful rash virus shingles", 5, mode=mode)  # type: ignore[arg-type]
        assert all(h.chunk.doc_id != "shingles" for h in hits), mode
    with pytest.raises(UnknownDocumentError, match="Not in the index: nope"):
        delete_documents(["nope"], small_settings, embedder)


def test_crash_mid_ingest_leaves_the_last_good_index_serving(
    tmp_path: Path, small_settings: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _docs(tmp_path / "src")
    good = ingest_path(src, small_settings, embedder)
    write_doc(src, "gout", "## What it is\nA new text that will never be published.")

    def crash(*args: object, **kwargs: object) -> None:
        raise MemoryError("simulated crash while embedding")

    monkeypatch.setattr(Embedder, "encode", crash)
    with pytest.raises(MemoryError):
        ingest_path(src, small_settings, embedder)
    monkeypatch.undo()

    index = open_index(small_settings.index_root, embedder)
    assert index.build_id == good.build_id
    texts = [c.text for c in index.store.iter_chunks() if c.doc_id == "gout"]
    assert texts == ["Gout is painful swelling in a joint, often the big toe."]
    builds = list((small_settings.index_root / layout.BUILDS).iterdir())
    assert not [b for b in builds if b.name.endswith(layout.PARTIAL_SUFFIX)]


def test_killed_ingest_leftovers_are_ignored_then_cleaned(
    tmp_path: Path, small_settings: Settings, embedder: Embedder
) -> None:
    src = _docs(tmp_path / "src")
    good = ingest_path(src, small_settings, embedder)
    # What a process killed mid-build leaves behind: a half-written folder, no pointer change.
    partial = (
        small_settings.index_root / layout.BUILDS / f"20990101T000000-dead{layout.PARTIAL_SUFFIX}"
    )
    partial.mkdir()
    (partial / "chunks.sqlite").write_bytes(b"half a database")
    assert open_index(small_settings.index_root, embedder).build_id == good.build_id
    write_doc(src, "acne", "## What it is\nAcne is pimples on the skin.")
    ingest_path(src, small_settings, embedder)
    assert not partial.exists()


def test_only_one_writer_at_a_time(small_settings: Settings, embedder: Embedder) -> None:
    with (
        IndexWriter(small_settings.index_root, embedder),
        pytest.raises(IndexLockedError, match="Another ingest"),
        IndexWriter(small_settings.index_root, embedder),
    ):
        pass


def test_publish_swaps_the_pointer_atomically(
    tmp_path: Path, small_settings: Settings, embedder: Embedder
) -> None:
    src = _docs(tmp_path / "src")
    first = ingest_path(src, small_settings, embedder).build_id
    write_doc(src, "acne", "## What it is\nAcne is pimples on the skin.")
    second = ingest_path(src, small_settings, embedder).build_id
    pointer = small_settings.index_root / layout.CURRENT
    assert pointer.is_symlink()
    assert Path(os.readlink(pointer)).name == second != first
    # The previous build is kept for readers that still hold it.
    assert (small_settings.index_root / layout.BUILDS / first).is_dir()


def test_hnsw_index_option_searches_and_survives_deletes(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = Settings(data_dir=tmp_path / "data", faiss_index_type="hnsw", hnsw_m=16)
    ingest_path(_docs(tmp_path / "src"), settings, embedder)
    index = open_index(settings.index_root, embedder)
    assert index.manifest.faiss["type"] == "hnsw"
    retriever = HybridRetriever(IndexHandle(settings.index_root, embedder), embedder, settings)
    assert retriever.search("itchy welts", 1, mode="dense")[0].chunk.doc_id == "hives"
    delete_documents(["hives"], settings, embedder)
    hits = retriever.search("itchy welts", 3, mode="dense")
    assert "hives" not in [h.chunk.doc_id for h in hits]
    assert len(hits) == 2
