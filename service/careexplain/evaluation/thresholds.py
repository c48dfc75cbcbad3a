"""Thresholds (``">= 0.8"``) over flattened metric names, and diffs against a baseline."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from careexplain.errors import EvalConfigError

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}
_RULE = re.compile(r"^\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")


class ThresholdResult(BaseModel):
    metric: str
    rule: str
    value: float | None
    passed: bool
    reason: str = ""


def parse_rule(rule: str) -> tuple[str, float]:
    """``">= 0.8"`` → (">=", 0.8); E701 for anything else."""
    match = _RULE.match(rule)
    if not match:
        raise EvalConfigError(f"threshold {rule!r}: use an operator and a number, e.g. '>= 0.8'")
    return match.group(1), float(match.group(2))


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested numeric scores → {"a.b.c": value}; non-numbers are skipped."""
    flat: dict[str, float] = {}
    for key, value in tree.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten(value, name))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float):
            flat[name] = float(value)
    return flat


def check(thresholds: Mapping[str, str], metrics: Mapping[str, float]) -> list[ThresholdResult]:
    """Every threshold checked; a metric that was not measured fails (never a silent pass)."""
    results = []
    for metric, rule in thresholds.items():
        op, bound = parse_rule(rule)
        value = metrics.get(metric)
        if value is None or value != value:  # missing or NaN
            results.append(
                ThresholdResult(
                    metric=metric, rule=rule, value=None, passed=False, reason="not measured"
                )
            )
            continue
        results.append(
            ThresholdResult(metric=metric, rule=rule, value=value, passed=_OPS[op](value, bound))
        )
    return results


# Metrics where a smaller value is better; everything else is better when larger.
_LOWER_IS_BETTER = ("unsupported", "latency", "_ms", "seconds", "grade", "over_requested", "error")
_TIMING = ("latency", "_ms", "seconds")


def lower_is_better(metric: str) -> bool:
    return any(part in metric for part in _LOWER_IS_BETTER)


LATENCY_TOLERANCE = 0.2


class DiffRow(BaseModel):
    metric: str
    baseline: float | None
    current: float | None
    delta: float | None
    regression: bool


def diff(
    current: Mapping[str, float], baseline: Mapping[str, float], tolerance: float = 0.01
) -> list[DiffRow]:
    """Per metric: baseline, current, change; a regression is a change for the worse beyond
    ``tolerance`` relative to the baseline (20 % for latencies), at least ``tolerance``."""
    rows = []
    for metric in sorted(set(current) | set(baseline)):
        cur, base = current.get(metric), baseline.get(metric)
        if cur is None or base is None or cur != cur or base != base:
            rows.append(
                DiffRow(metric=metric, baseline=base, current=cur, delta=None, regression=False)
            )
            continue
        delta = cur - base
        worse = delta > 0 if lower_is_better(metric) else delta < 0
        # Timings vary with machine load: only a change beyond 20 % is called a regression.
        relative = LATENCY_TOLERANCE if any(s in metric for s in _TIMING) else tolerance
        margin = max(tolerance, abs(base) * relative)
        rows.append(
            DiffRow(
                metric=metric,
                baseline=base,
                current=cur,
                delta=round(delta, 4),
                regression=worse and abs(delta) > margin,
            )
        )
    return rows
