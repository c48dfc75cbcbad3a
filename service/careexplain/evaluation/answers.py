"""Answers suite: /v1/chat over curated, MeQSum and MedQuAD questions.

Per answer: outcome (answer / not covered / escalate / decline) against the expected one,
citation coverage, unsupported-claim rate (claims.py, independent of the guard), relevance
(MiniLM cosine question↔answer), readability against the requested level, latency.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from careexplain.errors import EvalConfigError
from careexplain.evaluation import answer_metrics as am
from careexplain.evaluation.config import AnswersSuite, QuestionSet, repo_path
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.datasets import medquad_queries, medquad_sample, meqsum_questions
from careexplain.evaluation.judge import Judge
from careexplain.evaluation.metrics import mean, percentile
from careexplain.evaluation.results import CaseResult, SuiteResult
from careexplain.evaluation.target import HttpClient, UnavailableError

Outcome = Literal["answer", "not_covered", "escalate", "decline", "error"]


class AnswerCase(BaseModel):
    id: str
    question: str
    expect: Literal["answer", "not_covered", "escalate", "decline"] | None = None
    reading_level: int | None = None
    language: Literal["en", "es"] = "en"


def load_cases(path: Path) -> list[AnswerCase]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        return [AnswerCase.model_validate(item) for item in raw]
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise EvalConfigError(f"{path.name}: {exc}") from exc


def outcome(response: dict[str, Any]) -> Outcome:
    action = response["safety"]["action"]
    if action == "escalate":
        return "escalate"
    if response["grounding"]["fallback"] == "not_covered":
        return "not_covered"
    return "decline" if action == "decline" else "answer"


def _questions(ctx: RunContext, qs: QuestionSet, suite: AnswersSuite) -> list[AnswerCase]:
    n = ctx.cap(qs.limit)
    shared = ctx.settings.shared_data_dir
    if qs.kind == "cases":
        if qs.path is None:
            raise EvalConfigError(f"answers.question_sets.{qs.name}.path: required for kind cases")
        return load_cases(repo_path(qs.path))[:n]
    if qs.kind == "meqsum":
        return [
            AnswerCase(id=f"meqsum-{i}", question=q)
            for i, q in meqsum_questions(shared / "meqsum", n or 20, ctx.config.seed)
        ]
    docs = medquad_sample(shared / "medquad", suite.medquad_documents, ctx.config.seed)
    return [
        AnswerCase(id=q.id, question=q.text, expect="answer" if suite.index == "medquad" else None)
        for q in medquad_queries(docs, n or 20, ctx.config.seed + 7)
    ]


def _client(ctx: RunContext, suite: AnswersSuite) -> HttpClient:
    if suite.index == "medquad":
        docs = medquad_sample(
            ctx.settings.shared_data_dir / "medquad", suite.medquad_documents, ctx.config.seed
        )
        return ctx.workspace.custom(f"medquad-{suite.medquad_documents}", docs)
    return ctx.workspace.deployed()


def evaluate_answer(
    ctx: RunContext, case: AnswerCase, group: str, level: int, data: dict[str, Any]
) -> CaseResult:
    """Every per-answer measure for one /v1/chat response."""
    got = outcome(data)
    details: dict[str, Any] = {"outcome": got, "reading_level": level}
    # The body follows any fixed preface (safety message, English-only notice).
    body = data["answer"].split("\n\n")[-1]
    sources = {int(c["n"]): str(c["text"]) for c in data["citations"]}
    if got in ("answer", "decline") and body.strip():
        details["citation_coverage"] = am.citation_coverage(body, set(sources))
        details["unsupported_claim_rate"] = am.unsupported_claim_rate(body, sources)
        rel = am.relevance(ctx.embedder, case.question, body)
        details["relevance"] = None if rel is None else round(rel, 4)
        details.update(am.readability(body, level))
        details["fallback"] = data["grounding"]["fallback"]
        details["guard_removed"] = data["grounding"]["sentences_removed"]
    parts = [
        details.get("citation_coverage"),
        None
        if details.get("unsupported_claim_rate") is None
        else max(0.0, 1 - details["unsupported_claim_rate"]),
        details.get("relevance"),
    ]
    scored = [p for p in parts if p is not None]
    passed = case.expect is None or got == case.expect
    # The weakest measure is the case's score: a fully cited answer on the wrong topic
    # (low relevance) must rank among the worst, not hide behind its citations.
    score = (min(scored) if scored else 1.0) if passed else 0.0
    return CaseResult(
        id=case.id,
        group=group,
        passed=passed if case.expect else None,
        score=round(score, 4),
        input=case.question,
        output=data["answer"],
        expected=case.expect or "",
        sources=[f"[{c['n']}] {c['title']} — {c['section']}" for c in data["citations"]],
        details=details,
    )


def _summary(cases: list[CaseResult]) -> dict[str, float]:
    def values(key: str) -> list[float]:
        return [float(c.details[key]) for c in cases if c.details.get(key) is not None]

    outcomes = [c.details.get("outcome") for c in cases]
    expected = [c for c in cases if c.expected]
    latencies = values("latency_ms")
    out = {
        "questions": float(len(cases)),
        "answered": outcomes.count("answer") / len(cases),
        "not_covered": outcomes.count("not_covered") / len(cases),
        "errors": float(outcomes.count("error")),
        "expectation_accuracy": mean(1.0 if c.passed else 0.0 for c in expected),
        "citation_coverage": mean(values("citation_coverage")),
        "unsupported_claim_rate": mean(values("unsupported_claim_rate")),
        "relevance": mean(values("relevance")),
        "fk_grade": mean(values("fk_grade")),
        "fk_grade_median": percentile(values("fk_grade"), 50),
        # Issue #7 asks for zero: answers in which the independent check flags any claim.
        "answers_with_unsupported_claims": float(
            sum(1 for v in values("unsupported_claim_rate") if v > 0)
        ),
        "reading_ease": mean(values("reading_ease")),
        "within_level": mean(
            1.0 if c.details["grade_over_requested"] <= 1.0 else 0.0
            for c in cases
            if "grade_over_requested" in c.details
        ),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    if values("faithfulness"):
        out["judge_faithfulness"] = mean(values("faithfulness"))
    return {k: round(v, 4) for k, v in out.items() if v == v}  # NaN: not measured


def run(ctx: RunContext, suite: AnswersSuite) -> SuiteResult:
    result = SuiteResult()
    client = _client(ctx, suite)
    judge = Judge(suite.judge) if suite.judge.enabled else None
    for qs in suite.question_sets:
        try:
            cases = _questions(ctx, qs, suite)
        except UnavailableError as exc:
            result.scores[qs.name] = {"unavailable": 1}
            result.cases.append(
                CaseResult(id=qs.name, group=qs.name, details={"unavailable": str(exc)})
            )
            continue
        tick = ctx.step(f"answers · {qs.name}", len(cases))
        done: list[CaseResult] = []
        for case in cases:
            level = case.reading_level or suite.reading_level
            started = time.perf_counter()
            response = client.post(
                "/v1/chat",
                json={"message": case.question, "reading_level": level, "language": case.language},
            )
            latency = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                done.append(
                    CaseResult(
                        id=case.id,
                        group=qs.name,
                        passed=False if case.expect else None,
                        score=0.0,
                        input=case.question,
                        output=f"HTTP {response.status_code}: {response.text[:300]}",
                        expected=case.expect or "",
                        details={"outcome": "error", "latency_ms": latency},
                    )
                )
                tick()
                continue
            data = response.json()
            evaluated = evaluate_answer(ctx, case, qs.name, level, data)
            evaluated.details["latency_ms"] = round(latency, 1)
            if judge is not None and evaluated.details.get("outcome") == "answer":
                sources = {int(c["n"]): str(c["text"]) for c in data["citations"]}
                evaluated.details["faithfulness"] = judge.faithfulness(
                    case.question, data["answer"], sources
                )
            done.append(evaluated)
            tick()
        if done:
            result.scores[qs.name] = _summary(done)
            result.cases.extend(done)
    answered = [c for c in result.cases if "outcome" in c.details]
    if answered:
        result.scores["all"] = _summary(answered)
        for key in (
            "fk_grade",
            "relevance",
            "citation_coverage",
            "unsupported_claim_rate",
            "latency_ms",
        ):
            result.distributions[key] = [
                float(c.details[key]) for c in answered if c.details.get(key) is not None
            ]
        result.distributions["score"] = [c.score for c in answered if c.score is not None]
    return result
