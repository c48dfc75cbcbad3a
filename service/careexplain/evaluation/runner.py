"""Run the configured suites against a target and write results.json and report.html."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.progress import Progress

from careexplain.errors import EvalConfigError
from careexplain.evaluation import answers, notes_suite, retrieval, safety, support_suite
from careexplain.evaluation.config import EvalConfig
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.environment import describe
from careexplain.evaluation.report import render
from careexplain.evaluation.results import RESULTS_NAME, RunResults, SuiteResult, load_results
from careexplain.evaluation.target import UnavailableError, Workspace
from careexplain.evaluation.thresholds import check, diff
from careexplain.index.embeddings import Embedder
from careexplain.settings import Settings

log = logging.getLogger(__name__)
REPORT_NAME = "report.html"
SUITES: dict[str, Callable[[RunContext, Any], SuiteResult]] = {
    "retrieval": retrieval.run,
    "answers": answers.run,
    "safety": safety.run,
    "notes": notes_suite.run,
    "support": support_suite.run,
}


def target_settings(base: Settings, overrides: dict[str, Any]) -> Settings:
    """``base`` with the suite's (and command line's) overrides, validated (E701 on error)."""
    unknown = sorted(set(overrides) - set(Settings.model_fields))
    if unknown:
        raise EvalConfigError(f"settings.{unknown[0]}: not a CareExplain setting")
    try:
        return Settings.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise EvalConfigError(f"settings.{where}: {err['msg']}") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run(
    config: EvalConfig,
    base: Settings,
    *,
    out_dir: Path | None = None,
    base_url: str | None = None,
    baseline: Path | None = None,
    limit: int | None = None,
    overrides: dict[str, Any] | None = None,
    progress: bool = True,
    embedder: Embedder | None = None,
) -> tuple[RunResults, Path]:
    """Every enabled suite; returns the results and the folder they were written to."""
    settings = target_settings(base, {**config.settings, **(overrides or {})})
    previous = load_results(baseline) if baseline else None  # fail early on a bad baseline
    started = time.perf_counter()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = out_dir or settings.data_dir / "eval" / "runs" / run_id
    embedder = embedder or Embedder.from_settings(settings)
    workspace = Workspace(settings, embedder, base_url)
    suites: dict[str, SuiteResult] = {}
    started_at = _now()
    try:
        with Progress(disable=not progress, transient=False) as bar:
            ctx = RunContext(config, settings, workspace, embedder, bar, limit)
            for name in config.enabled():
                suites[name] = _run_suite(name, ctx, getattr(config.suites, name))
        indexes = dict(workspace.manifests)
        if base_url:
            health = workspace.deployed().get("/health")
            indexes["deployed"] = health.json() if health.status_code == 200 else {}
    finally:
        workspace.close()
    results = RunResults(
        run_id=run_id,
        started_at=started_at,
        finished_at=_now(),
        duration_s=round(time.perf_counter() - started, 1),
        config=config.model_dump(mode="json"),
        environment=describe(settings, embedder, base_url or "in-process", indexes),
        suites=suites,
    )
    if not base_url:
        results.environment.models["generator"]["runtime"] = workspace.generator.info()
    results.thresholds = check(config.thresholds, results.metrics())
    results.passed = all(t.passed for t in results.thresholds)
    if previous is not None and baseline is not None:
        results.baseline = str(baseline)
        results.diff = diff(results.metrics(), previous.metrics())
    out.mkdir(parents=True, exist_ok=True)
    (out / RESULTS_NAME).write_text(results.model_dump_json(indent=2), encoding="utf-8")
    (out / REPORT_NAME).write_text(render(results), encoding="utf-8")
    return results, out


def _run_suite(name: str, ctx: RunContext, suite: Any) -> SuiteResult:
    started = time.perf_counter()
    try:
        result = SUITES[name](ctx, suite)
    except UnavailableError as exc:
        result = SuiteResult(status="unavailable", reason=str(exc))
    except EvalConfigError:
        raise
    except Exception as exc:  # one broken suite must not hide the others' results
        log.error("suite %s failed: %s", name, traceback.format_exc(limit=3))
        result = SuiteResult(status="error", reason=f"{exc.__class__.__name__}: {exc}"[:500])
    result.seconds = round(time.perf_counter() - started, 1)
    return result
