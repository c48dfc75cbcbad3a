"""`careexplain eval` exits non-zero when a threshold fails, so CI can gate on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careexplain.cli import app
from careexplain.evaluation.results import load_results
from careexplain.settings import get_settings
from tests.helpers import FAST_MODEL

pytestmark = pytest.mark.integration
runner = CliRunner()

RETRIEVAL = """
suites:
  retrieval:
    modes: [bm25, hybrid]
    datasets:
      - kind: trec
        name: guidance
        qrels: eval/cases/guidance.qrels
        topics: eval/cases/guidance.topics
thresholds:
  retrieval.guidance.hybrid.recall@10: "%s"
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CAREEXPLAIN_DATA_DIR", str(tmp_path / "data"))
    for key, value in FAST_MODEL.items():
        monkeypatch.setenv(f"CAREEXPLAIN_{key.upper()}", str(value))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _suite(folder: Path, text: str) -> str:
    path = folder / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_met_threshold_passes_and_an_impossible_one_fails(env: Path) -> None:
    good = runner.invoke(
        app, ["eval", _suite(env, RETRIEVAL % ">= 0.5"), "--out", str(env / "a"), "--no-progress"]
    )
    assert good.exit_code == 0, good.output
    bad = runner.invoke(
        app,
        [
            "eval",
            _suite(env, RETRIEVAL % ">= 1.01"),
            "--out",
            str(env / "b"),
            "--baseline",
            str(env / "a"),
            "--no-progress",
        ],
    )
    assert bad.exit_code == 1
    assert "threshold failed: retrieval.guidance.hybrid.recall@10" in bad.output
    second = load_results(env / "b")
    assert second.baseline
    assert second.diff
    assert not any(d.regression for d in second.diff if "recall" in d.metric)


def test_a_broken_setting_trips_the_gate(env: Path) -> None:
    # Nothing is ever close enough to answer: every "answer" case becomes "not covered".
    broken = """
settings: {min_relevance: 1.0}
suites:
  answers:
    question_sets:
      - {kind: cases, name: curated, path: eval/cases/answers.yaml, limit: 2}
thresholds:
  answers.curated.expectation_accuracy: ">= 0.5"
"""
    result = runner.invoke(
        app, ["eval", _suite(env, broken), "--out", str(env / "c"), "--no-progress"]
    )
    assert result.exit_code == 1
    assert load_results(env / "c").suites["answers"].scores["curated"]["not_covered"] == 1.0


def test_an_invalid_suite_file_is_a_usage_error(env: Path) -> None:
    result = runner.invoke(app, ["eval", _suite(env, "suites:\n  retrieval: {datasets: []}\n")])
    assert result.exit_code == 2
    assert "E701" in result.output
    assert "suites.retrieval.datasets" in result.output
