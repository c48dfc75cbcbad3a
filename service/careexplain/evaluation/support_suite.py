"""Support suite: the grounding guard's keep/remove decisions on the labelled support set."""

from __future__ import annotations

from careexplain.evaluation.config import SupportSuite, repo_path
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.results import CaseResult, SuiteResult
from careexplain.evaluation.support import evaluate, load_cases
from careexplain.generate.grounding import GroundingGuard


def run(ctx: RunContext, suite: SupportSuite) -> SuiteResult:
    cases = load_cases(repo_path(suite.path))[: ctx.cap(suite.limit)]
    tick = ctx.step("support", 1)
    # The guard is library code: measured in process even when the target is a URL.
    outcome = evaluate(GroundingGuard(ctx.embedder), cases)
    tick()
    scores = outcome.model_dump(exclude={"errors", "by_label", "reasons"})
    scores["by_label"] = {
        label: {"kept_share": round(c.get("kept", 0) / max(1, sum(c.values())), 4), **c}
        for label, c in outcome.by_label.items()
    }
    scores["removed_by_reason"] = outcome.reasons
    return SuiteResult(
        scores=scores,
        cases=[
            CaseResult(
                id=e["id"],
                group=e["label"],
                passed=False,
                score=0.0,
                input=e["sentence"],
                output=f"guard: {e['reason'] or 'kept'}",
                expected="keep" if e["label"] in ("supported", "paraphrased") else "remove",
            )
            for e in outcome.errors
        ],
    )
