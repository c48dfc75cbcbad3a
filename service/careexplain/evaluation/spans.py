"""Span-level precision, recall and F-scores, strict and overlap, by entity type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Match = Literal["strict", "overlap"]


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character span ``[start, end)`` in document ``doc``."""

    doc: str
    start: int
    end: int
    label: str

    def overlaps(self, other: Span) -> bool:
        return (
            self.doc == other.doc
            and self.label == other.label
            and self.start < other.end
            and other.start < self.end
        )


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts and scores for one label (or all labels together)."""

    tp_gold: int  # gold spans found
    tp_pred: int  # predicted spans that are right
    gold: int
    pred: int
    beta: float = 1.0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f(self) -> float:
        p, r, b2 = self.precision, self.recall, self.beta**2
        return (1 + b2) * p * r / (b2 * p + r) if p + r > 0 else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            f"f{self.beta:g}": round(self.f, 4),
            "gold": self.gold,
            "predicted": self.pred,
        }


def score_spans(
    gold: Iterable[Span], pred: Iterable[Span], match: Match = "strict", beta: float = 1.0
) -> Scores:
    """Score predictions against gold spans.

    Strict: same document, label and offsets. Overlap: same document and label, and the
    spans share at least one character; each side is counted from its own point of view, so a
    prediction covering two gold spans finds both and counts once as a true prediction.
    """
    gold_l, pred_l = list(set(gold)), list(set(pred))
    if match == "strict":
        hits = len(set(gold_l) & set(pred_l))
        return Scores(hits, hits, len(gold_l), len(pred_l), beta)
    by_key: dict[tuple[str, str], list[Span]] = {}
    for g in gold_l:
        by_key.setdefault((g.doc, g.label), []).append(g)
    tp_pred = 0
    found: set[Span] = set()
    for p in pred_l:
        matched = [g for g in by_key.get((p.doc, p.label), ()) if p.overlaps(g)]
        if matched:
            tp_pred += 1
            found.update(matched)
    return Scores(len(found), tp_pred, len(gold_l), len(pred_l), beta)


def score_by_label(
    gold: Sequence[Span], pred: Sequence[Span], match: Match = "strict", beta: float = 1.0
) -> dict[str, Scores]:
    """Scores per label, plus ``"ALL"`` over every label together."""
    labels = sorted({s.label for s in gold} | {s.label for s in pred})
    out = {
        label: score_spans(
            [g for g in gold if g.label == label],
            [p for p in pred if p.label == label],
            match,
            beta,
        )
        for label in labels
    }
    out["ALL"] = score_spans(gold, pred, match, beta)
    return out
