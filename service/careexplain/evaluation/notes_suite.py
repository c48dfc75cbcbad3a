"""Notes suite: entity F1 by corpus and type, and PHI recall/F2 (the notes issue's scorers).

The scorers and pipelines are other modules' work; until they exist, the suite reports
"unavailable: <reason>" instead of failing the run.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from careexplain.evaluation.config import NotesSuite, repo_path
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.results import CaseResult, SuiteResult
from careexplain.evaluation.target import UnavailableError


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise UnavailableError(f"{name} is not available ({exc})") from exc


def as_dict(value: Any) -> Any:
    """Scores objects (pydantic, dataclasses, plain) → JSON-ready dicts."""
    if hasattr(value, "model_dump"):
        return as_dict(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_dict(dataclasses.asdict(value))
    if hasattr(value, "as_dict"):
        return as_dict(value.as_dict())
    if isinstance(value, dict):
        return {str(k): as_dict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_dict(v) for v in value]
    return value


def _corpora(suite: NotesSuite) -> list[str]:
    if suite.corpora:
        return suite.corpora
    module = _module("careexplain.evaluation.corpora")
    for attr in ("CORPORA", "NAMES"):
        if hasattr(module, attr):
            return sorted(getattr(module, attr))
    raise UnavailableError("no corpora configured and careexplain.evaluation.corpora lists none")


def _entities(ctx: RunContext, suite: NotesSuite, result: SuiteResult) -> None:
    scoring = _module("careexplain.evaluation.entity_accuracy")
    pipeline = _module("careexplain.notes.pipeline")
    extractor = pipeline.NoteExtractor.from_settings(ctx.settings)
    corpora = _corpora(suite)
    tick = ctx.step("notes · entities", len(corpora))
    for name in corpora:
        try:
            scores = scoring.evaluate_corpus(
                name, extractor, ctx.settings.shared_data_dir, limit=ctx.cap(suite.limit)
            )
        except FileNotFoundError as exc:
            result.cases.append(
                CaseResult(id=name, group="entities", details={"unavailable": str(exc)})
            )
        else:
            result.scores.setdefault("entities", {})[name] = as_dict(scores)
        tick()


def _phi(ctx: RunContext, suite: NotesSuite, result: SuiteResult) -> None:
    assert suite.phi is not None
    scoring = _module("careexplain.evaluation.phi_recall")
    deid = _module("careexplain.phi.deidentifier")
    deidentifier = deid.Deidentifier.from_settings(ctx.settings)
    tick = ctx.step("notes · PHI", 1)
    result.scores["phi"] = as_dict(scoring.evaluate_phi(deidentifier, repo_path(suite.phi)))
    tick()


def run(ctx: RunContext, suite: NotesSuite) -> SuiteResult:
    result = SuiteResult()
    reasons = []
    for part, fn in (("entities", _entities), ("phi", _phi)):
        if part == "phi" and suite.phi is None:
            continue
        try:
            fn(ctx, suite, result)
        except UnavailableError as exc:
            reasons.append(f"{part}: {exc}")
    if not result.scores:
        result.status = "unavailable"
    result.reason = "; ".join(reasons)
    return result
