"""Strict and overlap P/R/F1 by type of the notes extractor on the annotated corpora."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from careexplain.errors import EvalConfigError
from careexplain.evaluation import corpora
from careexplain.evaluation.corpora import GoldDocument, Split
from careexplain.evaluation.spans import Scores, Span, score_by_label
from careexplain.notes.models import EntityLabel, NoteExtraction

if TYPE_CHECKING:
    from careexplain.notes.pipeline import NoteExtractor

CORPORA = ("ncbi_disease", "bc5cdr_disease", "bc5cdr_drug", "phee", "medextractr")

# How each corpus is read, stated in the results so a number is never read without it.
METHOD = {
    "ncbi_disease": "All NCBI-disease mention types are Disease; predicted PROBLEM spans.",
    "bc5cdr_disease": "BC5CDR Disease mentions; predicted PROBLEM spans.",
    "bc5cdr_drug": (
        "Gold: BC5CDR Chemical mentions whose lower-cased text is a name in the unfiltered "
        "drug-named-entity-recognition dictionary (20k drugs, 107k names) or our curated "
        "medication list; other chemicals (metals, toxins, reagents) are not drugs. "
        "Predicted: MEDICATION and ALLERGY spans."
    ),
    "phee": (
        "PHEE Drug/Dosage/Route/Freq/Duration spans. Predicted Drug: MEDICATION spans; "
        "Dosage: strength and dose parts; Route, Freq, Duration: those parts of medications."
    ),
    "medextractr": (
        "Three labelled medExtractR notes; only tacrolimus is annotated there, so only "
        "medications normalised to tacrolimus are scored. Strength = Strength + DoseStrength."
    ),
}


class LabelScores(BaseModel):
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int

    @classmethod
    def of(cls, s: Scores) -> LabelScores:
        return cls(
            precision=round(s.precision, 4),
            recall=round(s.recall, 4),
            f1=round(s.f, 4),
            gold=s.gold,
            predicted=s.pred,
        )


class CorpusScores(BaseModel):
    """Scores for one corpus: by label and ``ALL``, strict and overlap."""

    corpus: str
    split: str
    documents: int
    strict: dict[str, LabelScores]
    overlap: dict[str, LabelScores]
    seconds: float
    method: str


def _disease_spans(doc_id: str, ex: NoteExtraction) -> list[Span]:
    return [
        Span(doc_id, e.start, e.end, "Disease")
        for e in ex.entities
        if e.label is EntityLabel.PROBLEM
    ]


def _drug_spans(doc_id: str, ex: NoteExtraction) -> list[Span]:
    return [
        Span(doc_id, e.start, e.end, "Drug")
        for e in ex.entities
        if e.label in (EntityLabel.MEDICATION, EntityLabel.ALLERGY)
    ]


_PHEE_PARTS = {
    "strength": "Dosage",
    "dose": "Dosage",
    "route": "Route",
    "frequency": "Freq",
    "duration": "Duration",
}
_MXR_PARTS = {"strength": "Strength", "route": "Route", "frequency": "Frequency"}


def _medication_part_spans(
    doc_id: str,
    ex: NoteExtraction,
    drug_label: str,
    parts: dict[str, str],
    only: str | None = None,
) -> list[Span]:
    out: list[Span] = []
    for e in ex.entities:
        if e.label is not EntityLabel.MEDICATION or e.medication is None:
            continue
        if only is not None and e.normalized != only:
            continue
        out.append(Span(doc_id, e.start, e.end, drug_label))
        for part, (start, end) in ((k, tuple(v)) for k, v in e.medication.spans.items()):
            if part in parts:
                out.append(Span(doc_id, start, end, parts[part]))
        dose = e.medication.spans.get("dose")
        if only is not None and dose and e.medication.dose != e.medication.strength:
            # medExtractR's DoseAmt is the count of units ("3" of "3 capsules").
            out.append(Span(doc_id, dose[0], dose[1], "DoseAmt"))
    return list(set(out))


def _drug_names() -> frozenset[str]:
    from careexplain.notes import lexicon, vocabulary

    return vocabulary.drug_names() | frozenset(lexicon.MEDICATIONS)


def load_corpus(
    name: str, data_dir: Path, split: Split = "test"
) -> tuple[list[GoldDocument], Callable[[str, NoteExtraction], list[Span]]]:
    """Gold documents of a corpus and how predictions are turned into comparable spans."""
    if name == "ncbi_disease":
        return corpora.ncbi_disease(data_dir, split), _disease_spans
    if name == "bc5cdr_disease":
        return corpora.bc5cdr(data_dir, split), _disease_spans
    if name == "bc5cdr_drug":
        names = _drug_names()
        docs = []
        for d in corpora.bc5cdr(data_dir, split):
            drugs = [
                Span(s.doc, s.start, s.end, "Drug")
                for s in d.chemical_mentions
                if d.text[s.start : s.end].lower().strip() in names
            ]
            docs.append(GoldDocument(d.doc_id, d.text, drugs))
        return docs, _drug_spans
    if name == "phee":
        return corpora.phee(data_dir, split), lambda doc_id, ex: _medication_part_spans(
            doc_id, ex, "Drug", _PHEE_PARTS
        )
    if name == "medextractr":
        return corpora.medextractr(data_dir), lambda doc_id, ex: _medication_part_spans(
            doc_id, ex, "DrugName", _MXR_PARTS, only="tacrolimus"
        )
    raise EvalConfigError(f"Unknown corpus {name!r}; known: {', '.join(CORPORA)}.")


def evaluate_corpus(
    name: str,
    extractor: NoteExtractor,
    data_dir: Path,
    limit: int | None = None,
    split: Split = "test",
) -> CorpusScores:
    """Run the extractor over a corpus and score it, strict and overlap, by label."""
    docs, predict = load_corpus(name, data_dir, split)
    if limit is not None:
        docs = docs[:limit]
    started = time.perf_counter()
    gold: list[Span] = []
    pred: list[Span] = []
    extractions = extractor.iter_extract(d.text for d in docs)
    for doc, ex in zip(docs, extractions, strict=True):
        gold.extend(doc.spans)
        pred.extend(predict(doc.doc_id, ex))
    seconds = time.perf_counter() - started
    return CorpusScores(
        corpus=name,
        split="tune" if name == "medextractr" else split,
        documents=len(docs),
        strict={k: LabelScores.of(v) for k, v in score_by_label(gold, pred, "strict").items()},
        overlap={k: LabelScores.of(v) for k, v in score_by_label(gold, pred, "overlap").items()},
        seconds=round(seconds, 2),
        method=METHOD[name],
    )
