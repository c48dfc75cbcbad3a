"""PHI finding scored against gold spans: recall, precision and F2 per type, Presidio-style."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from careexplain.errors import EvalConfigError
from careexplain.evaluation.spans import Scores, Span, score_by_label
from careexplain.phi.models import PhiSpan, PhiType

BETA = 2.0  # recall matters more than precision for PHI: a miss leaks, a false alarm does not
ANY = "ANY_PHI"  # every span as one type: what redaction removes whatever type it was given


class PhiFinder(Protocol):
    def analyze(self, text: str) -> list[PhiSpan]: ...


class GoldNote(BaseModel):
    id: str
    text: str
    spans: list[dict[str, int | str]]


class TypeScores(BaseModel):
    precision: float
    recall: float
    f2: float
    gold: int
    predicted: int

    @classmethod
    def of(cls, scores: Scores) -> TypeScores:
        return cls(
            precision=round(scores.precision, 4),
            recall=round(scores.recall, 4),
            f2=round(scores.f, 4),
            gold=scores.gold,
            predicted=scores.pred,
        )


class PhiScores(BaseModel):
    """Scores by PHI type plus ``ALL`` (type must match) and ``ANY_PHI`` (type ignored)."""

    dataset: str
    notes: int
    gold_spans: int
    overlap: dict[str, TypeScores]  # a prediction sharing a character with a gold span
    strict: dict[str, TypeScores]  # exact offsets
    missed: dict[str, int] = Field(default_factory=dict)  # gold spans not found, by type

    @property
    def recall(self) -> float:
        return self.overlap["ALL"].recall


def load_gold(path: Path) -> list[GoldNote]:
    """Read a JSONL gold file and check every span's text against its offsets."""
    if not path.exists():
        raise EvalConfigError(f"PHI gold file not found: {path}")
    notes: list[GoldNote] = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        note = GoldNote.model_validate_json(line)
        for span in note.spans:
            start, end = int(span["start"]), int(span["end"])
            if note.text[start:end] != span.get("text", note.text[start:end]):
                raise EvalConfigError(f"{path.name}:{line_no}: a span's text does not match")
            if str(span["type"]) not in PhiType.__members__:
                raise EvalConfigError(f"{path.name}:{line_no}: unknown PHI type {span['type']}")
        notes.append(note)
    return notes


def evaluate_phi(deidentifier: PhiFinder, path: Path) -> PhiScores:
    """Run ``deidentifier.analyze`` on every gold note and score the spans it finds."""
    notes = load_gold(path)
    gold: list[Span] = []
    pred: list[Span] = []
    for note in notes:
        gold.extend(
            Span(note.id, int(s["start"]), int(s["end"]), str(s["type"])) for s in note.spans
        )
        pred.extend(
            Span(note.id, p.start, p.end, p.type.value) for p in deidentifier.analyze(note.text)
        )
    any_gold = [Span(s.doc, s.start, s.end, ANY) for s in gold]
    any_pred = [Span(s.doc, s.start, s.end, ANY) for s in pred]
    results: dict[str, dict[str, TypeScores]] = {}
    for match in ("overlap", "strict"):
        by_label = score_by_label(gold, pred, match, beta=BETA)
        by_label[ANY] = score_by_label(any_gold, any_pred, match, beta=BETA)["ALL"]
        results[match] = {label: TypeScores.of(s) for label, s in by_label.items()}
    missed: dict[str, int] = {}
    for g in gold:
        if not any(p.overlaps(g) for p in pred if p.doc == g.doc):
            missed[g.label] = missed.get(g.label, 0) + 1
    return PhiScores(
        dataset=path.name,
        notes=len(notes),
        gold_spans=len(gold),
        overlap=results["overlap"],
        strict=results["strict"],
        missed=missed,
    )


def dump(scores: PhiScores) -> str:
    """Scores as indented JSON (for baselines and reports)."""
    return json.dumps(scores.model_dump(), indent=2)
