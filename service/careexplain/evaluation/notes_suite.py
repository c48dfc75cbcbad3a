"""Notes suite: entity P/R/F1 by corpus and type, and PHI recall/F2 by type.

Calls the notes issue's scorers (``entity_accuracy.evaluate_corpus``, ``phi_recall.evaluate_phi``)
with the notes pipeline and the de-identifier; a corpus whose data is absent is reported as
unavailable with the reason.
"""

from __future__ import annotations

from careexplain.errors import EvalConfigError
from careexplain.evaluation.config import NotesSuite, repo_path
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.results import CaseResult, SuiteResult


def _entities(ctx: RunContext, suite: NotesSuite, result: SuiteResult) -> None:
    # Imported here: spaCy and medspaCy load only when this suite runs.
    from careexplain.evaluation.entity_accuracy import CORPORA, evaluate_corpus
    from careexplain.notes.pipeline import NoteExtractor

    corpora = suite.corpora or list(CORPORA)
    unknown = sorted(set(corpora) - set(CORPORA))
    if unknown:
        raise EvalConfigError(f"notes.corpora: unknown {unknown}; known: {', '.join(CORPORA)}")
    extractor = NoteExtractor.from_settings(ctx.settings)
    tick = ctx.step("notes · entities", len(corpora))
    for name in corpora:
        try:
            scores = evaluate_corpus(
                name, extractor, ctx.settings.shared_data_dir, limit=ctx.cap(suite.limit)
            )
        except EvalConfigError as exc:  # the corpus files are absent
            result.cases.append(
                CaseResult(id=name, group="entities", details={"unavailable": exc.message})
            )
        else:
            result.scores.setdefault("entities", {})[name] = scores.model_dump(exclude={"corpus"})
        tick()


def _phi(ctx: RunContext, suite: NotesSuite, result: SuiteResult) -> None:
    from careexplain.evaluation.phi_recall import evaluate_phi
    from careexplain.phi.deidentifier import Deidentifier

    assert suite.phi is not None
    tick = ctx.step("notes · PHI", 1)
    scores = evaluate_phi(Deidentifier.from_settings(ctx.settings), repo_path(suite.phi))
    result.scores["phi"] = scores.model_dump()
    tick()


def run(ctx: RunContext, suite: NotesSuite) -> SuiteResult:
    result = SuiteResult()
    _entities(ctx, suite, result)
    if suite.phi is not None:
        _phi(ctx, suite, result)
    missing = [c.id for c in result.cases if "unavailable" in c.details]
    if missing:
        result.reason = f"corpora without data: {', '.join(missing)}"
    if not result.scores:
        result.status = "unavailable"
    return result
