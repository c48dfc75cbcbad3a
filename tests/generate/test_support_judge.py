"""The support judge (Qwen2.5-Coder-1.5B reading meaning) and how the guard uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.generate.grounding import GroundingGuard
from careexplain.generate.support_judge import LazySupportJudge, SupportJudge
from careexplain.index.embeddings import Embedder
from tests.helpers import make_settings, passage

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="module")
def judged_guard(embedder: Embedder, support_judge: SupportJudge) -> GroundingGuard:
    return GroundingGuard(embedder, judge=support_judge)


@pytest.mark.parametrize(
    ("source", "faithful", "unfaithful"),
    [
        (
            "Do not stop or skip it because your home readings look good. Talk to your care "
            "team first.",
            "Keep taking it even when your home readings look good, and talk to your care team "
            "before you stop.",
            "If your home readings look good, you can skip your blood pressure medicine and "
            "tell your care team later.",
        ),
        (
            "Most people with a cold get better in 7 to 10 days.",
            "Most colds clear up in a week to ten days.",
            "A cold always goes away within 3 days.",
        ),
    ],
)
def test_the_judge_leans_yes_on_a_rewording_and_no_on_a_flip(
    support_judge: SupportJudge, source: str, faithful: str, unfaithful: str
) -> None:
    assert support_judge.score(source, faithful) > 0 > support_judge.score(source, unfaithful)


def test_the_guides_title_tells_the_judge_what_it_is_about(support_judge: SupportJudge) -> None:
    source = (
        "Many people first learn they have it when they break a bone. Breaks happen most "
        "often in the hip, the spine, and the wrist."
    )
    sentence = "Many people first find out they have osteoporosis when they break a bone."
    titled = support_judge.score(source, sentence, "Osteoporosis")
    assert titled > support_judge.score(source, sentence)
    assert titled > support_judge.score(source, sentence, "Heart failure")


@pytest.mark.parametrize(
    ("source", "sentence"),
    [
        # The rules see "not" on one side only and too few shared words.
        (
            "Depression is not a weakness. It is not your fault. It can happen to anyone.",
            "Having depression doesn't mean you are weak, and you didn't cause it; anyone can "
            "get it.",
        ),
        (
            "Leafy green foods, like spinach, kale, and broccoli, have a lot of vitamin K. You "
            "do not need to avoid these foods. Just try to eat about the same amount each week.",
            "Spinach, kale, broccoli, and other leafy greens are high in vitamin K, but you "
            "don't have to cut them out; just try to eat about the same amount every week.",
        ),
    ],
)
def test_the_judge_keeps_a_rewording_the_rules_reject(
    embedder: Embedder, judged_guard: GroundingGuard, source: str, sentence: str
) -> None:
    rules = GroundingGuard(embedder).prepare([passage(source)]).check(sentence + " [1]")
    assert not rules.kept
    verdict = judged_guard.prepare([passage(source)]).check(sentence + " [1]")
    assert verdict.kept, verdict
    assert verdict.judge is not None
    assert verdict.judge > judged_guard.thresholds.judge_rescue
    assert f"over the rules ({rules.reason}" in verdict.detail


@pytest.mark.parametrize(
    ("source", "sentence"),
    [
        (
            "Vaccines can help prevent some kinds of pneumonia. Ask your care team about shots "
            "for pneumonia, flu, COVID-19, and RSV.",
            "One pneumonia shot protects you for life.",
        ),
        (
            "Some people with COPD need oxygen. If you use oxygen, never smoke or let anyone "
            "smoke near it.",
            "If you use oxygen, it is fine for others to smoke near it as long as you do not "
            "smoke yourself.",
        ),
    ],
)
def test_the_judge_removes_what_the_rules_let_through(
    embedder: Embedder, judged_guard: GroundingGuard, source: str, sentence: str
) -> None:
    assert GroundingGuard(embedder).prepare([passage(source)]).check(sentence + " [1]").kept
    verdict = judged_guard.prepare([passage(source)]).check(sentence + " [1]")
    assert not verdict.kept
    assert verdict.reason == "judge_rejected"
    assert verdict.judge is not None
    assert verdict.judge <= judged_guard.thresholds.judge_veto


def test_a_dropped_negation_is_never_the_judges_to_overturn(
    judged_guard: GroundingGuard,
) -> None:
    source = passage(
        "Heart failure is a long-term problem. It does not go away. But with care, many people "
        "with heart failure feel better and stay active."
    )
    sentence = (
        "With the right care, heart failure often goes away, and many people feel better and "
        "stay active. [1]"
    )
    verdict = judged_guard.prepare([source]).check(sentence)
    assert not verdict.kept
    assert verdict.reason == "negation_mismatch"
    assert verdict.judge is None


def test_the_judge_never_overturns_a_changed_number(judged_guard: GroundingGuard) -> None:
    source = passage("Most people with a cold get better in 7 to 10 days.")
    verdict = judged_guard.prepare([source]).check("Most colds clear up in 7 to 14 days. [1]")
    assert not verdict.kept
    assert verdict.reason == "unsupported_number"
    assert verdict.judge is None, "the judge is not asked where it may not overturn"


def test_a_judge_that_cannot_load_leaves_the_rules_to_decide(
    embedder: Embedder, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, support_judge_model=str(tmp_path / "no-such-model"))
    lazy = LazySupportJudge(settings)
    guard = GroundingGuard(embedder, judge=lazy)
    source = passage("Most people with a cold get better in 7 to 10 days.")
    verdict = guard.prepare([source]).check("Most colds get better in 7 to 10 days. [1]")
    assert lazy.error is not None
    assert lazy.error.code == "E302"
    assert verdict.kept
    assert verdict.judge is None
