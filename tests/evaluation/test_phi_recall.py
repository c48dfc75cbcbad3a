"""PHI scoring: per-type recall, precision and F2 on gold spans; and the measured target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careexplain.errors import EvalConfigError
from careexplain.evaluation.phi_recall import ANY, evaluate_phi, load_gold
from careexplain.phi.models import PhiSpan, PhiType
from careexplain.settings import REPO_ROOT, Settings

GOLD_SETS = [
    REPO_ROOT / "eval/data/phi_notes.jsonl",
    REPO_ROOT / "eval/data/phi_notes_heldout.jsonl",
]
TEXT = "Pt: Ann Lee  MRN: 1234567  seen 3/4/2024 by Dr. Bo Kim"


class FixedFinder:
    """Returns the spans it was given: this test is about the scoring, not the finder."""

    def __init__(self, spans: list[PhiSpan]) -> None:
        self.spans = spans

    def analyze(self, text: str) -> list[PhiSpan]:
        return self.spans


def span(phi: PhiType, part: str, trim: int = 0) -> PhiSpan:
    start = TEXT.index(part)
    return PhiSpan(type=phi, start=start, end=start + len(part) - trim, score=1.0, recognizer="t")


def write_gold(path: Path, spans: list[tuple[str, str]]) -> Path:
    rows = [
        {"start": TEXT.index(t), "end": TEXT.index(t) + len(t), "type": phi, "text": t}
        for t, phi in spans
    ]
    path.write_text(json.dumps({"id": "n1", "text": TEXT, "spans": rows}) + "\n", encoding="utf-8")
    return path


def test_scores_by_type_overlap_strict_and_any(tmp_path: Path) -> None:
    gold = write_gold(
        tmp_path / "g.jsonl",
        [("Ann Lee", "NAME"), ("1234567", "MRN"), ("3/4/2024", "DATE"), ("Bo Kim", "NAME")],
    )
    finder = FixedFinder(
        [
            span(PhiType.NAME, "Ann Lee", trim=2),  # overlaps, not exact
            span(PhiType.ID, "1234567"),  # found, wrong type
            span(PhiType.DATE, "3/4/2024"),
            span(PhiType.NAME, "Dr."),  # a false positive
        ]
    )
    scores = evaluate_phi(finder, gold)
    assert scores.notes == 1
    assert scores.gold_spans == 4
    assert scores.overlap["NAME"].recall == 0.5
    assert scores.overlap["NAME"].precision == 0.5
    assert scores.strict["NAME"].recall == 0.0
    assert scores.overlap["MRN"].recall == 0.0
    assert scores.overlap["ALL"].recall == 0.5
    assert scores.overlap[ANY].recall == 0.75  # a wrong type is still removed
    assert scores.overlap["DATE"].f2 == 1.0
    assert scores.missed == {"MRN": 1, "NAME": 1}
    # F2 weighs recall four times as much as precision.
    p, r = scores.overlap["ALL"].precision, scores.overlap["ALL"].recall
    assert scores.overlap["ALL"].f2 == pytest.approx(5 * p * r / (4 * p + r), abs=1e-4)


def test_gold_offsets_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(
            {
                "id": "n",
                "text": "abc",
                "spans": [{"start": 0, "end": 2, "type": "NAME", "text": "xx"}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(EvalConfigError):
        load_gold(bad)
    with pytest.raises(EvalConfigError):
        load_gold(tmp_path / "missing.jsonl")


@pytest.mark.parametrize("path", GOLD_SETS, ids=lambda p: p.name)
def test_gold_sets_are_consistent(path: Path) -> None:
    notes = load_gold(path)
    assert len(notes) >= 10
    assert all(note.spans for note in notes)


@pytest.mark.slow
@pytest.mark.parametrize("path", GOLD_SETS, ids=lambda p: p.name)
def test_phi_recall_target_on_synthetic_notes(path: Path) -> None:
    from careexplain.phi.deidentifier import Deidentifier

    scores = evaluate_phi(Deidentifier.from_settings(Settings()), path)
    assert scores.overlap["ALL"].recall >= 0.98
    assert scores.overlap[ANY].recall >= 0.98
    assert scores.overlap["ALL"].precision >= 0.9
