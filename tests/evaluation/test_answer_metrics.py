"""Per-answer measures against hand-computed values."""

from __future__ import annotations

import pytest

from careexplain.evaluation.answer_metrics import (
    citation_coverage,
    plain_answer,
    readability,
    relevance,
    unsupported_claim_rate,
)
from careexplain.index.embeddings import Embedder
from careexplain.text.readability import fk_grade

ANSWER = (
    "Keep unopened insulin in the fridge [1]. Do not freeze it [1]. "
    "Take 40 units of insulin at night [2]. Ask your care team."
)
SOURCES = {
    1: "Keep unopened insulin in the fridge. Do not freeze insulin.",
    2: "Take insulin at night.",
}


def test_citation_coverage_counts_sentences_citing_a_valid_source() -> None:
    # 4 sentences: three cite, one does not.
    assert citation_coverage(ANSWER, {1, 2}) == pytest.approx(3 / 4)
    # [2] is not a source that was returned: only two sentences cite a valid one.
    assert citation_coverage(ANSWER, {1}) == pytest.approx(2 / 4)
    assert citation_coverage("", {1}) is None


def test_unsupported_claim_rate_uses_the_independent_check() -> None:
    # Sentence 3 claims "40" and "40 unit" that source 2 lacks (two claims); sentence 4 is
    # uncited (one claim): 3 unsupported claims over 4 sentences.
    assert unsupported_claim_rate(ANSWER, SOURCES) == pytest.approx(3 / 4)
    assert unsupported_claim_rate("Do not freeze insulin [1].", SOURCES) == 0.0


def test_readability_reports_grade_and_distance_above_the_requested_level() -> None:
    text = "Keep insulin cold [1]. Do not freeze it [1]."
    plain = plain_answer(text)
    assert plain == "Keep insulin cold. Do not freeze it."
    scores = readability(text, 6)
    assert scores["fk_grade"] == pytest.approx(round(fk_grade(plain), 2))
    assert scores["grade_over_requested"] == max(0.0, round(fk_grade(plain) - 6, 2))
    hard = readability("Pharmacokinetic considerations necessitate individualized titration.", 3)
    assert hard["grade_over_requested"] > 5


def test_relevance_is_higher_for_an_answer_on_topic(embedder: Embedder) -> None:
    question = "How should I store my insulin?"
    on_topic = relevance(embedder, question, "Keep unopened insulin in the refrigerator [1].")
    off_topic = relevance(embedder, question, "Colon polyps can be removed during a scope [1].")
    assert on_topic is not None
    assert off_topic is not None
    assert on_topic > off_topic + 0.2
    assert relevance(embedder, question, "") is None
