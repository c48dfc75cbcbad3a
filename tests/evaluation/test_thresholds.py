"""Thresholds, flattening and baseline diffs."""

from __future__ import annotations

import pytest

from careexplain.errors import EvalConfigError
from careexplain.evaluation.thresholds import check, diff, flatten, parse_rule


def test_parse_rule() -> None:
    assert parse_rule(">= 0.8") == (">=", 0.8)
    assert parse_rule("<2") == ("<", 2.0)
    with pytest.raises(EvalConfigError, match=r"'about 0\.8'"):
        parse_rule("about 0.8")


def test_flatten_keeps_numbers_only() -> None:
    tree = {"a": {"b": 1, "c": {"d": 0.5}, "e": "text", "f": True}}
    assert flatten(tree) == {"a.b": 1.0, "a.c.d": 0.5}


def test_check_fails_missing_and_broken_metrics() -> None:
    results = check(
        {"x": ">= 0.8", "y": "<= 0.1", "z": ">= 0"},
        {"x": 0.85, "y": 0.2},
    )
    assert [(r.metric, r.passed) for r in results] == [("x", True), ("y", False), ("z", False)]
    assert results[2].reason == "not measured"
    assert not check({"n": ">= 0"}, {"n": float("nan")})[0].passed


def test_diff_marks_changes_for_the_worse_as_regressions() -> None:
    rows = {
        r.metric: r
        for r in diff(
            {"r.recall@5": 0.70, "a.latency_p95_ms": 900.0, "a.relevance": 0.695, "new": 1.0},
            {"r.recall@5": 0.80, "a.latency_p95_ms": 1000.0, "a.relevance": 0.70},
        )
    }
    assert rows["r.recall@5"].regression
    assert rows["r.recall@5"].delta == pytest.approx(-0.1)
    assert not rows["a.latency_p95_ms"].regression  # faster is better
    slower = diff(
        {"s.latency_p50_ms": 1100.0, "s.latency_p95_ms": 1300.0},
        {"s.latency_p50_ms": 1000.0, "s.latency_p95_ms": 1000.0},
    )
    # Latency: 10 % slower is noise, 30 % slower is a regression.
    assert [r.regression for r in slower] == [False, True]
    faster = diff({"notes.seconds": 0.01}, {"notes.seconds": 0.03})
    assert not faster[0].regression  # less time is better

    assert not rows["a.relevance"].regression  # within the 1% tolerance
    assert rows["new"].baseline is None
    assert not rows["new"].regression
