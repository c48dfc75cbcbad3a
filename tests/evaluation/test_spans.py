"""Span F1 against hand-computed values."""

import pytest

from careexplain.evaluation.spans import Span, score_by_label, score_spans

GOLD = [Span("d", 0, 5, "DRUG"), Span("d", 10, 20, "DRUG"), Span("d", 30, 35, "DOSE")]


def test_strict_counts_exact_offsets_only() -> None:
    pred = [Span("d", 0, 5, "DRUG"), Span("d", 10, 18, "DRUG"), Span("d", 40, 45, "DRUG")]
    s = score_spans(GOLD, pred, "strict")
    # 1 of 3 predictions right, 1 of 3 gold found.
    assert (s.precision, s.recall) == pytest.approx((1 / 3, 1 / 3))
    assert s.f == pytest.approx(1 / 3)


def test_overlap_accepts_partial_spans_of_the_same_label() -> None:
    pred = [Span("d", 0, 5, "DRUG"), Span("d", 10, 18, "DRUG"), Span("d", 30, 35, "DRUG")]
    s = score_spans(GOLD, pred, "overlap")
    # DRUG at 30-35 has the wrong label: 2 of 3 predictions right, 2 of 3 gold found.
    assert (s.precision, s.recall, s.f) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_one_prediction_over_two_gold_spans_finds_both() -> None:
    pred = [Span("d", 0, 20, "DRUG")]
    s = score_spans(GOLD[:2], pred, "overlap")
    assert (s.precision, s.recall) == (1.0, 1.0)


def test_spans_in_other_documents_never_match() -> None:
    assert score_spans([Span("a", 0, 5, "X")], [Span("b", 0, 5, "X")], "overlap").f == 0.0


def test_f2_weights_recall() -> None:
    # P = 0.5, R = 1.0: F2 = 5 * 0.5 * 1 / (4 * 0.5 + 1) = 2.5 / 3.
    gold = [Span("d", 0, 5, "NAME")]
    pred = [Span("d", 0, 5, "NAME"), Span("d", 8, 9, "NAME")]
    assert score_spans(gold, pred, beta=2.0).f == pytest.approx(2.5 / 3)


def test_by_label_adds_an_overall_row() -> None:
    scores = score_by_label(GOLD, GOLD[:2])
    assert scores["DRUG"].f == 1.0
    assert scores["DOSE"].recall == 0.0
    assert scores["ALL"].recall == pytest.approx(2 / 3)


def test_empty_sets_score_zero_not_error() -> None:
    assert score_spans([], []).f == 0.0
