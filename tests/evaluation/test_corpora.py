"""Corpus readers on the real third-party data (skipped when ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.evaluation import corpora
from careexplain.evaluation.entity_accuracy import CorpusScores, evaluate_corpus
from tests.helpers import shared_data

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def data_dir() -> Path:
    return shared_data("ncbi_disease").parent


def _offsets_hold(docs: list[corpora.GoldDocument], expected: dict[str, str]) -> None:
    """Every gold span lies inside its text, and named spans read as the corpus says."""
    by_id = {d.doc_id: d for d in docs}
    for doc in docs:
        for s in doc.spans:
            assert 0 <= s.start < s.end <= len(doc.text)
    for key, text in expected.items():
        doc_id, start, end = key.split(":")
        assert by_id[doc_id].text[int(start) : int(end)] == text


def test_ncbi_disease_test_split(data_dir: Path) -> None:
    docs = corpora.ncbi_disease(data_dir, "test")
    assert len(docs) == 100
    assert sum(len(d.spans) for d in docs) == 960
    _offsets_hold(docs, {"9949209:346:360": "Wilson disease", "9949209:362:364": "WD"})


def test_bc5cdr_test_split(data_dir: Path) -> None:
    docs = corpora.bc5cdr(data_dir, "test")
    assert len(docs) == 500
    first = next(d for d in docs if d.doc_id == "8701013")
    assert first.text[0:10] == "Famotidine"
    assert {s.label for d in docs for s in d.spans} == {"Disease"}
    assert {s.label for d in docs for s in d.chemical_mentions} == {"Chemical"}
    _offsets_hold(docs, {"8701013:22:30": "delirium", "8701013:156:162": "ulcers"})


def test_phee_test_split(data_dir: Path) -> None:
    docs = corpora.phee(data_dir, "test")
    assert len(docs) == 968
    labels = {s.label for d in docs for s in d.spans}
    assert labels == {"Drug", "Dosage", "Route", "Freq", "Duration"}
    _offsets_hold(docs, {"10082597_1:58:66": "naproxen", "10082597_1:71:80": "oxaprozin"})


def test_medextractr_labelled_notes(data_dir: Path) -> None:
    docs = corpora.medextractr(data_dir)
    assert [d.doc_id for d in docs] == ["tune_note1", "tune_note2", "tune_note3"]
    # The labels are a few characters off in these files; every one is realigned.
    assert [len(d.spans) for d in docs] == [8, 9, 7]
    _offsets_hold(
        docs,
        {
            "tune_note1:1222:1229": "Prograf",
            "tune_note1:1230:1234": "1 mg",
            "tune_note2:808:810": "qd",
        },
    )


@pytest.mark.slow
def test_evaluate_corpus_scores_real_predictions(data_dir: Path) -> None:
    from tests.notes.extractor import shared_extractor

    scores = evaluate_corpus("ncbi_disease", shared_extractor(), data_dir, limit=10, split="dev")
    assert isinstance(scores, CorpusScores)
    assert scores.documents == 10
    overall = scores.overlap["ALL"]
    assert overall.gold > 0
    assert overall.predicted > 0
    # Overlap matching is never stricter than exact offsets.
    assert overall.recall >= scores.strict["ALL"].recall
    assert 0.3 < overall.f1 <= 1.0
