"""How the guard uses a support judge's score: when it asks, what a score can change.

The judge here is a scripted scorer: these tests are about the guard's policy, and the real
model's own tests are in test_support_judge.py (slow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from careexplain.generate.grounding import (
    GroundingGuard,
    SentenceVerdict,
    SourcePassage,
    SupportScorer,
)
from careexplain.generate.support_judge import LazySupportJudge
from careexplain.index.embeddings import Embedder
from tests.helpers import make_settings, passage


class ScriptedScorer:
    """Returns one fixed score (or raises) and records what it was asked."""

    def __init__(self, score: float | None = 0.0, fail: bool = False) -> None:
        self.value, self.fail = score, fail
        self.asked: list[tuple[str, str, str]] = []

    def score(self, source: str, sentence: str, title: str = "") -> float | None:
        self.asked.append((source, sentence, title))
        if self.fail:
            raise RuntimeError("out of memory")
        return self.value


# Ten sentences about nothing the claims say: a source well over the judge's 300 characters.
FILLER = " ".join(f"Point {word} is about something else entirely." for word in "abcdefghij")
COLD = passage("Most people with a cold get better in 7 to 10 days.")
# Rejected on wording alone (too little shared with the source), nothing else wrong.
DEPRESSION = "Depression is not a weakness. It is not your fault. It can happen to anyone."
REWORDED = (
    DEPRESSION,
    "Having depression doesn't mean you are weak, and you didn't cause it; anyone can get it. [1]",
)


def _verdict(
    embedder: Embedder, scorer: SupportScorer, source: SourcePassage, sentence: str
) -> SentenceVerdict:
    return GroundingGuard(embedder, judge=scorer).prepare([source]).check(sentence)


def test_the_rules_reject_the_rewording_on_wording_alone(embedder: Embedder) -> None:
    verdict = GroundingGuard(embedder).prepare([passage(REWORDED[0])]).check(REWORDED[1])
    assert not verdict.kept
    assert verdict.reason == "unsupported_clause"


@pytest.mark.parametrize(("score", "kept"), [(3.5, False), (3.51, True), (None, False)])
def test_a_wording_rejection_is_overturned_only_above_the_rescue_threshold(
    embedder: Embedder, score: float | None, kept: bool
) -> None:
    scorer = ScriptedScorer(score)
    verdict = _verdict(embedder, scorer, passage(REWORDED[0]), REWORDED[1])
    assert scorer.asked == [(REWORDED[0], REWORDED[1].removesuffix(" [1]"), "Guidance")]
    assert verdict.kept is kept
    assert verdict.judge == score
    if kept:
        assert verdict.detail.startswith("kept by the support judge (+3.51) over the rules (")


@pytest.mark.parametrize(("score", "kept"), [(2.5, False), (2.51, True), (None, True)])
def test_a_kept_sentence_must_score_above_the_veto_threshold(
    embedder: Embedder, score: float | None, kept: bool
) -> None:
    verdict = _verdict(
        embedder, ScriptedScorer(score), COLD, "Most colds get better in 7 to 10 days. [1]"
    )
    assert verdict.kept is kept
    if not kept:
        assert verdict.reason == "judge_rejected"


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Most colds get better in 7 to 14 days. [1]", "unsupported_number"),
        (
            "Most people with a cold get better in 7 to 10 days with amoxicillin. [1]",
            "unsupported_drug",
        ),
        (
            "Most colds get better faster than the flu, in 7 to 10 days. [1]",
            "comparison_unsupported",
        ),
        ("Most colds get better in 7 to 10 days [3].", "bad_citation"),
    ],
)
def test_failures_that_are_not_about_wording_never_reach_the_judge(
    embedder: Embedder, sentence: str, reason: str
) -> None:
    scorer = ScriptedScorer(10.0)
    verdict = _verdict(embedder, scorer, COLD, sentence)
    assert not verdict.kept
    assert verdict.reason == reason
    assert scorer.asked == []


def test_a_changed_hedge_is_never_the_judges_to_overturn(embedder: Embedder) -> None:
    """The judge read "will keep it from getting worse" as "may help keep it from getting
    worse": certainty stays with the rules."""
    source = passage("Treating a flare-up early may help keep it from getting worse.")
    scorer = ScriptedScorer(10.0)
    verdict = _verdict(
        embedder, scorer, source, "Treating a flare-up early will keep it from getting worse. [1]"
    )
    assert not verdict.kept
    assert verdict.reason == "qualifier_mismatch"
    assert scorer.asked == []


def test_the_judge_reads_the_titles_of_the_cited_guides(embedder: Embedder) -> None:
    scorer = ScriptedScorer(3.0)
    bones = passage(
        "Many people first learn they have it when they break a bone.", title="Osteoporosis"
    )
    check = GroundingGuard(embedder, judge=scorer).prepare([bones, passage(COLD.text, n=2)])
    check.check("Many people first find out they have osteoporosis when they break a bone. [1]")
    check.check("Most colds get better in 7 to 10 days [1][2].")
    assert [title for _, _, title in scorer.asked] == ["Osteoporosis", "Osteoporosis; Guidance"]


def test_a_wording_failure_beside_another_failure_is_not_rescued(embedder: Embedder) -> None:
    """Every check still runs after a wording failure: a dropped negation in another clause
    decides, whatever the judge says."""
    source = passage(f"{DEPRESSION} Depression does not go away on its own.")
    scorer = ScriptedScorer(10.0)
    sentence = (
        "Having depression doesn't mean you are weak, and you didn't cause it; depression goes "
        "away on its own. [1]"
    )
    verdict = _verdict(embedder, scorer, source, sentence)
    assert not verdict.kept
    assert verdict.reason == "negation_mismatch"
    assert scorer.asked == []


def test_a_judge_that_fails_leaves_the_rules_verdict(embedder: Embedder, tmp_path: Path) -> None:
    class Broken(LazySupportJudge):
        def load(self) -> Any:
            return ScriptedScorer(fail=True)

    lazy = Broken(make_settings(tmp_path))
    verdict = _verdict(embedder, lazy, COLD, "Most colds get better in 7 to 10 days. [1]")
    assert verdict.kept
    assert verdict.judge is None


def test_a_repaired_citation_is_judged_against_the_source_it_was_given(embedder: Embedder) -> None:
    scorer = ScriptedScorer(0.0)
    other = passage("Wash your hands often.", n=2)
    check = GroundingGuard(embedder, judge=scorer).prepare([other, passage(COLD.text, n=1)])
    verdict = check.check("Most colds get better in 7 to 10 days.")
    assert not verdict.kept
    assert verdict.reason == "judge_rejected"
    assert scorer.asked == [(COLD.text, "Most colds get better in 7 to 10 days.", "Guidance")]


def test_a_long_source_is_cut_to_the_statements_closest_to_the_claim(embedder: Embedder) -> None:
    text = f"{FILLER} Wash your hands before you touch the wound. {FILLER}"
    guard = GroundingGuard(embedder, judge=ScriptedScorer())
    check = guard.prepare([passage(text)])
    shown, sources = guard._judge_source(
        "Clean your hands before touching the wound.", [1], check.index
    )
    assert "Wash your hands before you touch the wound." in shown
    assert len(shown) < len(text) / 2
    assert sources == [1]


def test_a_cut_source_is_judged_under_its_own_title(embedder: Embedder) -> None:
    """Of two cited guides, the judge is told only the title of the one it reads."""
    wound = passage(
        f"{FILLER} Wash your hands before you touch the wound. {FILLER}", n=2, title="Wound care"
    )
    scorer = ScriptedScorer(3.0)
    check = GroundingGuard(embedder, judge=scorer).prepare([passage(COLD.text), wound])
    check.check("Wash your hands before you touch the wound [1][2].")
    assert [title for _, _, title in scorer.asked] == ["Wound care"]
