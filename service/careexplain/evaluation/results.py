"""The results.json schema (versioned): config, environment, per-suite scores and cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from careexplain.errors import EvalConfigError
from careexplain.evaluation.thresholds import DiffRow, ThresholdResult, flatten

SCHEMA_VERSION = 1
RESULTS_NAME = "results.json"


class CaseResult(BaseModel):
    """One evaluated item: a question, a safety case, a query."""

    id: str
    group: str = Field(description="Dataset, question set or category.")
    passed: bool | None = None
    score: float | None = Field(default=None, description="The case's headline score (0-1).")
    input: str = ""
    output: str = ""
    expected: str = ""
    sources: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class SuiteResult(BaseModel):
    status: Literal["ok", "unavailable", "error"] = "ok"
    reason: str = ""
    seconds: float = 0.0
    scores: dict[str, Any] = Field(default_factory=dict)
    distributions: dict[str, list[float]] = Field(default_factory=dict)
    cases: list[CaseResult] = Field(default_factory=list)


class Environment(BaseModel):
    target: str
    settings: dict[str, Any]
    models: dict[str, dict[str, Any]]
    indexes: dict[str, dict[str, Any]]
    packages: dict[str, str]
    git: dict[str, str]
    python: str
    platform: str
    cpus: int


class RunResults(BaseModel):
    schema_version: int = SCHEMA_VERSION
    run_id: str
    started_at: str
    finished_at: str = ""
    duration_s: float = 0.0
    config: dict[str, Any]
    environment: Environment
    suites: dict[str, SuiteResult] = Field(default_factory=dict)
    thresholds: list[ThresholdResult] = Field(default_factory=list)
    baseline: str | None = None
    diff: list[DiffRow] = Field(default_factory=list)
    passed: bool = True

    def metrics(self) -> dict[str, float]:
        """Every score as ``suite.path.metric`` → value (what thresholds and diffs use)."""
        return flatten({name: s.scores for name, s in self.suites.items() if s.status == "ok"})


def load_results(path: Path) -> RunResults:
    """A previous run: its results.json or the run folder holding it."""
    file = path / RESULTS_NAME if path.is_dir() else path
    if not file.is_file():
        raise EvalConfigError(f"baseline {path}: no {RESULTS_NAME} found")
    try:
        return RunResults.model_validate_json(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise EvalConfigError(
            f"baseline {file}: not a results.json of schema {SCHEMA_VERSION} "
            f"({exc.__class__.__name__})"
        ) from exc
