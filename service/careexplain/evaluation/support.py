"""How well the grounding guard separates supported from unsupported sentences.

Reads the labelled set (``eval/data/support_set.jsonl``): each case is a source passage and a
sentence citing it, labelled supported / paraphrased (should be kept) or partial /
fabricated_comparison / negation_flipped / number_changed / unsupported_other (should go).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pydantic import BaseModel

from careexplain.generate.grounding import GroundingGuard, SourcePassage
from careexplain.ingest.formats import read_documents
from careexplain.text.sentences import cite

KEEP_LABELS = frozenset({"supported", "paraphrased"})


class SupportCase(BaseModel):
    id: str
    doc_id: str
    source: str
    sentence: str
    label: str
    keep: bool
    note: str = ""


class SupportResult(BaseModel):
    cases: int
    rejected_unsupported: float
    kept_paraphrased: float
    kept_supported: float
    precision_keep: float
    recall_keep: float
    by_label: dict[str, dict[str, int]]
    reasons: dict[str, int]
    errors: list[dict[str, str]]


def load_cases(path: Path) -> list[SupportCase]:
    return [
        SupportCase(**json.loads(line)) for line in path.read_text("utf-8").splitlines() if line
    ]


def guidance_titles(folder: Path) -> dict[str, str]:
    """Document id → title of the bundled guidance: a source is judged with its title, as in
    the service, where every retrieved chunk carries the title of its document."""
    return {doc.doc_id: doc.title for doc in read_documents(folder, "md")}


def evaluate(
    guard: GroundingGuard, cases: list[SupportCase], titles: dict[str, str] | None = None
) -> SupportResult:
    by_label: dict[str, Counter[str]] = {}
    reasons: Counter[str] = Counter()
    errors = []
    tp = fp = fn = 0
    for case in cases:
        source = SourcePassage(
            n=1,
            chunk_id=0,
            doc_id=case.doc_id,
            title=(titles or {}).get(case.doc_id, case.doc_id),
            section="",
            text=case.source,
        )
        verdict = guard.prepare([source]).check(cite(case.sentence, 1))
        by_label.setdefault(case.label, Counter())["kept" if verdict.kept else "removed"] += 1
        if not verdict.kept:
            reasons[verdict.reason] += 1
        if verdict.kept and case.keep:
            tp += 1
        elif verdict.kept:
            fp += 1
        elif case.keep:
            fn += 1
        if verdict.kept != case.keep:
            errors.append(
                {
                    "id": case.id,
                    "label": case.label,
                    "reason": verdict.reason,
                    "sentence": case.sentence,
                }
            )

    def share(labels: set[str] | frozenset[str], outcome: str) -> float:
        total = sum(sum(by_label.get(lb, Counter()).values()) for lb in labels)
        hits = sum(by_label.get(lb, Counter())[outcome] for lb in labels)
        return round(hits / total, 3) if total else 0.0

    negative = {lb for lb in by_label if lb not in KEEP_LABELS}
    return SupportResult(
        cases=len(cases),
        rejected_unsupported=share(negative, "removed"),
        kept_paraphrased=share({"paraphrased"}, "kept"),
        kept_supported=share({"supported"}, "kept"),
        precision_keep=round(tp / (tp + fp), 3) if tp + fp else 0.0,
        recall_keep=round(tp / (tp + fn), 3) if tp + fn else 0.0,
        by_label={k: dict(v) for k, v in sorted(by_label.items())},
        reasons=dict(reasons),
        errors=errors,
    )
