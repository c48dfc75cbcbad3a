"""The harness end to end: a trimmed smoke run in process, results.json and report.html."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.evaluation.config import load_file
from careexplain.evaluation.results import RESULTS_NAME, RunResults, load_results
from careexplain.evaluation.runner import REPORT_NAME, run
from careexplain.index.embeddings import Embedder
from tests.helpers import FAST_MODEL, make_settings

pytestmark = pytest.mark.integration

TRIMMED = """
description: trimmed smoke run for the test suite
seed: 7
settings: {max_new_tokens: 64}
suites:
  retrieval:
    datasets:
      - kind: trec
        name: guidance
        qrels: eval/cases/guidance.qrels
        topics: eval/cases/guidance.topics
      - {kind: medquad, name: medquad, documents: 40, questions: 8}
      - {kind: rqe, name: rqe, limit: 8}
  answers:
    question_sets:
      - {kind: cases, name: curated, path: eval/cases/answers.yaml, limit: 2}
  safety:
    categories: [red_flag_en, red_flag_es, dosing, injection_document]
    limit_per_category: 1
  notes: {limit: 2}
  support: {limit: 20}
thresholds:
  retrieval.guidance.hybrid.recall@5: ">= 0.8"
  safety.red_flag_en.pass_rate: ">= 1.0"
  answers.curated.expectation_accuracy: ">= 0.5"
"""


@pytest.fixture(scope="module")
def trimmed_run(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    tmp = tmp_path_factory.mktemp("eval")
    suite = tmp / "trimmed.yaml"
    suite.write_text(TRIMMED, encoding="utf-8")
    settings = make_settings(tmp / "data", **FAST_MODEL)
    _, out = run(load_file(suite), settings, out_dir=tmp / "run", progress=False, embedder=embedder)
    return out


def test_the_run_writes_results_with_every_suite(trimmed_run: Path) -> None:
    results = load_results(trimmed_run)
    assert results.schema_version == 1
    assert set(results.suites) == {"retrieval", "answers", "safety", "notes", "support"}
    for name in ("retrieval", "answers", "safety", "support"):
        assert results.suites[name].status == "ok", results.suites[name].reason
    # notes runs or says why not; it never breaks the run
    assert results.suites["notes"].status in ("ok", "unavailable")
    guidance = results.suites["retrieval"].scores["guidance"]
    assert set(guidance) >= {"bm25", "dense", "hybrid"}
    assert 0.0 <= guidance["hybrid"]["ndcg@10"] <= 1.0
    assert results.suites["safety"].scores["red_flag_en"]["cases"] == 1
    curated = results.suites["answers"].scores["curated"]
    assert curated["questions"] == 2
    assert "citation_coverage" in curated
    assert results.suites["support"].scores["cases"] == 20
    assert [t.metric for t in results.thresholds if not t.passed] == []
    assert results.passed


def test_the_exact_configuration_is_recorded(trimmed_run: Path) -> None:
    results = RunResults.model_validate_json((trimmed_run / RESULTS_NAME).read_text())
    env = results.environment
    assert env.target == "in-process"
    assert env.settings["generator_model"] == "smollm2-135m-instruct"
    assert env.settings["max_new_tokens"] == 64  # the suite file's override
    assert len(env.models["generator"]["sha256"]) == 64
    assert len(env.models["embedding"]["digest"]) == 64
    assert env.indexes["deployed"]["documents"] == 44
    assert env.packages["fastapi"]
    assert results.config["seed"] == 7


def test_the_report_is_one_self_contained_page(trimmed_run: Path) -> None:
    html = (trimmed_run / REPORT_NAME).read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "data:image/png;base64," in html
    assert "<link" not in html
    assert "<script" not in html
    for heading in ("Thresholds", "retrieval", "answers", "safety", "support", "Worst cases"):
        assert heading in html
