"""Support suite: the grounding guard's keep/remove decisions on the labelled support sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careexplain.evaluation.config import SupportSuite, repo_path
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.results import CaseResult, SuiteResult
from careexplain.evaluation.support import SupportResult, evaluate, guidance_titles, load_cases
from careexplain.generate.grounding import GroundingGuard
from careexplain.generate.support_judge import LazySupportJudge


def run(ctx: RunContext, suite: SupportSuite) -> SuiteResult:
    paths = {"": suite.path} | suite.sets
    tick = ctx.step("support", len(paths))
    # The guard is library code: measured in process even when the target is a URL, with the
    # support judge the settings name (CAREEXPLAIN_SUPPORT_JUDGE_MODEL="" measures the rules).
    judge = LazySupportJudge.configured(ctx.settings)
    guard = GroundingGuard(ctx.embedder, judge=judge)
    titles = guidance_titles(repo_path(Path("knowledge_base/guidance")))
    scores: dict[str, Any] = {}
    cases: list[CaseResult] = []
    for name, path in paths.items():
        outcome = evaluate(guard, load_cases(repo_path(path))[: ctx.cap(suite.limit)], titles)
        tick()
        # The calibration set's figures stay at the top level; the other sets' under their names.
        if name:
            scores[name] = _scores(outcome)
        else:
            scores.update(_scores(outcome))
        cases.extend(_errors(outcome, name))
    if judge is not None and judge.error is not None:
        # Figures of the rules alone must never pass for figures of the configured guard.
        raise judge.error
    scores["judge"] = ctx.settings.support_judge_model or "off"
    return SuiteResult(scores=scores, cases=cases)


def _scores(outcome: SupportResult) -> dict[str, Any]:
    scores: dict[str, Any] = outcome.model_dump(exclude={"errors", "by_label", "reasons"})
    scores["by_label"] = {
        label: {"kept_share": round(c.get("kept", 0) / max(1, sum(c.values())), 4), **c}
        for label, c in outcome.by_label.items()
    }
    scores["removed_by_reason"] = outcome.reasons
    return scores


def _errors(outcome: SupportResult, name: str) -> list[CaseResult]:
    return [
        CaseResult(
            id=e["id"],
            group=f"{name}: {e['label']}" if name else e["label"],
            passed=False,
            score=0.0,
            input=e["sentence"],
            output=f"guard: {e['reason'] or 'kept'}",
            expected="keep" if e["label"] in ("supported", "paraphrased") else "remove",
        )
        for e in outcome.errors
    ]
