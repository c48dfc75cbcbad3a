"""TREC qrels and topics parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.errors import EvalConfigError
from careexplain.evaluation.qrels import load_trec, parse_qrels, parse_topics
from careexplain.settings import REPO_ROOT


def test_parse_qrels_keeps_grades_and_zero_judgements() -> None:
    text = "# comment\n1 0 docA 2\n1 0 docB 0\n2 Q0 docC 1\n\n"
    assert parse_qrels(text) == {"1": {"docA": 2.0, "docB": 0.0}, "2": {"docC": 1.0}}


@pytest.mark.parametrize("line", ["1 0 docA", "1 0 docA high"])
def test_bad_qrels_lines_name_the_line(line: str) -> None:
    with pytest.raises(EvalConfigError, match="line 2"):
        parse_qrels("1 0 x 1\n" + line)


def test_topics_are_tab_separated() -> None:
    assert parse_topics("1\twhat is afib\n2\tstatin pains\n") == {
        "1": "what is afib",
        "2": "statin pains",
    }
    with pytest.raises(EvalConfigError, match="topics line 1"):
        parse_topics("1 what is afib")


def test_load_trec_requires_a_query_per_judged_topic(tmp_path: Path) -> None:
    (tmp_path / "q").write_text("1 0 a 1\n2 0 b 1\n")
    (tmp_path / "t").write_text("1\tfirst\n")
    with pytest.raises(EvalConfigError, match="without a query"):
        load_trec(tmp_path / "q", tmp_path / "t")


def test_the_bundled_guidance_qrels_point_at_real_documents() -> None:
    rows = load_trec(
        REPO_ROOT / "eval/cases/guidance.qrels", REPO_ROOT / "eval/cases/guidance.topics"
    )
    guidance = {p.stem for p in (REPO_ROOT / "knowledge_base" / "guidance").glob("*.md")}
    assert len(rows) == 20
    assert {doc for _, _, gains in rows for doc in gains} <= guidance
