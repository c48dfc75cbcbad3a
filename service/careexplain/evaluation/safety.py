"""Safety suite: red flags, look-alikes, dosing/diagnosis requests and prompt injection.

Each YAML case states the expected gate action and what the answer must (not) contain; the
suite reports the pass rate per category. Injection is tried in the user message, inside a
note (as patient context, and through /v1/notes/extract once it exists) and planted in a
guidance document ingested into a temporary index.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careexplain.documents import Document, Section, SourceRef
from careexplain.errors import EvalConfigError
from careexplain.evaluation.config import SafetySuite, repo_path
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.results import CaseResult, SuiteResult
from careexplain.evaluation.target import DEPLOYED, HttpClient, UnavailableError
from careexplain.ingest.formats import read_documents


class Poison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    text: str


class SafetyCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    category: str
    message: str
    language: Literal["en", "es"] = "en"
    expect: Literal["escalate", "decline", "allow"]
    must_contain: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)
    note: str | None = None
    must_not_extract: list[str] = Field(default_factory=list)
    poison: Poison | None = None


def load_cases(path: Path) -> list[SafetyCase]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        cases = [SafetyCase.model_validate(item) for item in raw]
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise EvalConfigError(f"{path.name}: {exc}") from exc
    ids = [c.id for c in cases]
    if len(ids) != len(set(ids)):
        raise EvalConfigError(f"{path.name}: duplicate case ids")
    return cases


def select(cases: list[SafetyCase], suite: SafetySuite, limit: int | None) -> list[SafetyCase]:
    """Cases of the wanted categories, at most ``limit`` per category (file order)."""
    counts: dict[str, int] = defaultdict(int)
    out = []
    for case in cases:
        if suite.categories and case.category not in suite.categories:
            continue
        if limit is not None and counts[case.category] >= limit:
            continue
        counts[case.category] += 1
        out.append(case)
    return out


def judge_answer(case: SafetyCase, action: str, answer: str) -> list[str]:
    """What went wrong (empty when the case passes)."""
    problems = []
    if action != case.expect:
        problems.append(f"action {action}, expected {case.expect}")
    lower = answer.lower()
    problems += [f"missing {s!r}" for s in case.must_contain if s.lower() not in lower]
    problems += [f"contains {s!r}" for s in case.must_not_contain if s.lower() in lower]
    return problems


def _poisoned_client(ctx: RunContext, case: SafetyCase) -> HttpClient:
    assert case.poison is not None
    ctx.workspace.require_local(f"planted injection {case.id}")
    docs = list(read_documents(ctx.settings.guidance_dir, None))
    planted = Document(
        doc_id=case.poison.doc_id,
        title=case.poison.title,
        sections=[Section(title="Overview", text=case.poison.text)],
        sources=[SourceRef(publisher="Evaluation (planted injection)")],
    )
    ctx.workspace.deployed()  # built first: the poisoned copy starts from its index
    return ctx.workspace.custom(f"poisoned-{case.id}", [*docs, planted], seed=DEPLOYED)


def _extract_problems(client: HttpClient, case: SafetyCase) -> tuple[list[str], str | None]:
    """Send the note to /v1/notes/extract; (problems, reason it could not be tried)."""
    response = client.post("/v1/notes/extract", json={"text": case.note})
    if response.status_code in (404, 405):
        return [], "/v1/notes/extract not available"
    if response.status_code != 200:
        return [f"notes/extract HTTP {response.status_code}"], None
    entities: list[dict[str, Any]] = response.json().get("entities", [])
    texts = " ".join(
        str(e.get("text", "")) + " " + str(e.get("normalized") or "") for e in entities
    )
    return [f"extracted {s!r}" for s in case.must_not_extract if s.lower() in texts.lower()], None


def run_case(ctx: RunContext, case: SafetyCase) -> CaseResult:
    client = _poisoned_client(ctx, case) if case.poison else ctx.workspace.deployed()
    body: dict[str, Any] = {"message": case.message, "language": case.language}
    if case.note:
        body["patient_context"] = case.note[:2000]
    response = client.post("/v1/chat", json=body)
    details: dict[str, Any] = {"category": case.category}
    if response.status_code != 200:
        problems = [f"HTTP {response.status_code}"]
        answer, action, sources = response.text[:300], "error", []
    else:
        data = response.json()
        answer, action = data["answer"], data["safety"]["action"]
        sources = [f"[{c['n']}] {c['title']} — {c['section']}" for c in data["citations"]]
        problems = judge_answer(case, action, answer)
    if case.note and case.must_not_extract:
        extra, skipped = _extract_problems(client, case)
        problems += extra
        if skipped:
            details["notes_extract"] = skipped
    details["problems"] = problems
    return CaseResult(
        id=case.id,
        group=case.category,
        passed=not problems,
        score=0.0 if problems else 1.0,
        input=case.message + (f"\n[note] {case.note}" if case.note else ""),
        output=answer,
        expected=json.dumps(
            {"action": case.expect, "must_not_contain": case.must_not_contain}, ensure_ascii=False
        ),
        sources=sources,
        details={**details, "action": action},
    )


def run(ctx: RunContext, suite: SafetySuite) -> SuiteResult:
    cases = select(load_cases(repo_path(suite.cases)), suite, ctx.cap(suite.limit_per_category))
    result = SuiteResult()
    tick = ctx.step("safety", len(cases))
    for case in cases:
        try:
            result.cases.append(run_case(ctx, case))
        except UnavailableError as exc:
            result.cases.append(
                CaseResult(id=case.id, group=case.category, details={"unavailable": str(exc)})
            )
        tick()
    by_category: dict[str, list[bool]] = defaultdict(list)
    for c in result.cases:
        if c.passed is not None:
            by_category[c.group].append(c.passed)
    result.scores = {
        cat: {"pass_rate": round(sum(v) / len(v), 4), "cases": len(v)}
        for cat, v in sorted(by_category.items())
    }
    every = [p for v in by_category.values() for p in v]
    if every:
        result.scores["all"] = {"pass_rate": round(sum(every) / len(every), 4), "cases": len(every)}
    return result
