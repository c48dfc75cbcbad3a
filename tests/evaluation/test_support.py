"""The guard measured on labelled sentence/source pairs."""

from __future__ import annotations

import pytest

from careexplain.evaluation.support import SupportCase, evaluate, guidance_titles, load_cases
from careexplain.generate.grounding import GroundingGuard
from careexplain.generate.support_judge import SupportJudge
from careexplain.index.embeddings import Embedder
from careexplain.settings import REPO_ROOT

SOURCE = "Check your blood sugar again after 15 minutes. Do not drive when your blood sugar is low."


def _case(i: int, sentence: str, label: str, keep: bool) -> SupportCase:
    return SupportCase(
        id=f"t{i}",
        doc_id="low-blood-sugar",
        source=SOURCE,
        sentence=sentence,
        label=label,
        keep=keep,
    )


def test_counts_and_rates_on_hand_made_cases(embedder: Embedder) -> None:
    cases = [
        _case(1, "Check your blood sugar again after 15 minutes.", "supported", True),
        _case(2, "Check your blood sugar again after 30 minutes.", "number_changed", False),
        _case(3, "You can drive when your blood sugar is low.", "negation_flipped", False),
    ]
    result = evaluate(GroundingGuard(embedder), cases)
    assert result.cases == 3
    assert result.kept_supported == 1.0
    assert result.rejected_unsupported == 1.0
    assert result.precision_keep == 1.0
    assert result.reasons == {"unsupported_number": 1, "negation_mismatch": 1}
    assert result.errors == []


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("support_set", 200),
        ("support_heldout", 100),
        ("support_dev2", 140),
        ("support_dev3", 140),
        ("support_blind", 100),
        ("support_blind2", 120),
        ("support_dev4", 140),
        ("support_blind3", 140),
        ("support_dev5", 140),
        ("support_blind4", 140),
        ("support_dev6", 140),
        ("support_blind5", 140),
        ("support_dev7", 140),
        ("support_blind6", 140),
        ("support_dev8", 140),
        ("support_dev9", 140),
        ("support_blind7", 140),
    ],
)
def test_the_bundled_support_sets_load(name: str, size: int) -> None:
    cases = load_cases(REPO_ROOT / "eval" / "data" / f"{name}.jsonl")
    assert len(cases) >= size
    assert {c.label for c in cases} >= {
        "supported",
        "paraphrased",
        "partial",
        "fabricated_comparison",
        "negation_flipped",
        "number_changed",
    }
    assert all(c.keep == (c.label in ("supported", "paraphrased")) for c in cases)


@pytest.mark.parametrize(
    ("name", "rejected", "supported", "paraphrased"),
    [
        ("support_set", 0.96, 0.97, 0.78),
        ("support_heldout", 0.98, 0.99, 0.85),
        # Written unseen, then their errors were read to find rules: development sets.
        ("support_dev2", 0.97, 0.93, 0.81),
        ("support_dev3", 0.93, 0.81, 0.89),
        ("support_dev4", 0.96, 0.99, 0.77),
        # Its misses were named in the README, and rules written for them: no longer blind.
        ("support_blind", 0.99, 0.91, 0.77),
        # Only aggregate figures were ever looked at (blind2 after each round of sessions 6
        # and 7; blind3 five times in session 7): the honest figures for unseen sentences.
        ("support_blind2", 0.96, 0.99, 0.80),
        ("support_blind3", 0.96, 0.99, 0.62),
        # Session 8's sets, written unseen (dev5's errors were read afterwards).
        ("support_dev5", 0.96, 0.93, 0.70),
        ("support_blind4", 0.94, 0.99, 0.72),
        # Session 9's, the same way (dev6's errors were read).
        ("support_dev6", 0.88, 0.99, 0.83),
        ("support_blind5", 0.86, 0.99, 0.68),
        ("support_dev7", 0.89, 0.99, 0.85),
        ("support_blind6", 0.92, 0.99, 0.77),
        # Session 10's, the same way (dev8's and dev9's errors were read).
        ("support_dev8", 0.97, 0.93, 0.85),
        ("support_dev9", 0.94, 0.99, 0.72),
        ("support_blind7", 0.93, 0.93, 0.79),
    ],
)
def test_guard_rules_alone_on_the_labelled_sets_hold_their_measured_figures(
    embedder: Embedder, name: str, rejected: float, supported: float, paraphrased: float
) -> None:
    """A regression gate for the word rules without the support judge (the guard when the
    judge's model cannot load), at the figures the README reports (rounded down)."""
    cases = load_cases(REPO_ROOT / "eval" / "data" / f"{name}.jsonl")
    titles = guidance_titles(REPO_ROOT / "knowledge_base" / "guidance")
    result = evaluate(GroundingGuard(embedder), cases, titles)
    assert result.rejected_unsupported >= rejected
    assert result.kept_supported >= supported
    assert result.kept_paraphrased >= paraphrased


def test_sources_are_judged_with_their_document_title(embedder: Embedder) -> None:
    """ "Your warfarin dose" is supported by a warfarin page that says only "your dose"."""
    case = SupportCase(
        id="t9",
        doc_id="warfarin",
        source="The INR test shows how long your blood takes to clot. Your care team uses it to "
        "set your dose.",
        sentence="Your care team uses the INR test to set your warfarin dose.",
        label="paraphrased",
        keep=True,
    )
    titles = guidance_titles(REPO_ROOT / "knowledge_base" / "guidance")
    assert evaluate(GroundingGuard(embedder), [case], titles).kept_paraphrased == 1.0
    # Without the title (the id stands in for it) the drug name has nothing to stand on.
    untitled = evaluate(GroundingGuard(embedder), [case.model_copy(update={"doc_id": "inr"})])
    assert untitled.reasons == {"unsupported_drug": 1}


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "rejected", "supported", "paraphrased"),
    [
        # The newest blind set (scored only once every choice was made); the rest are gated
        # by `careexplain eval support`, which pytest's time budget leaves out.
        ("support_blind7", 0.96, 0.93, 0.85),
    ],
)
def test_guard_with_its_support_judge_holds_its_measured_figures(
    embedder: Embedder,
    support_judge: SupportJudge,
    name: str,
    rejected: float,
    supported: float,
    paraphrased: float,
) -> None:
    """The guard as the service runs it (rules and judge), about one pair under the README's
    figures (a pair on a threshold can move with the thread count); `careexplain eval
    support` measures every set."""
    cases = load_cases(REPO_ROOT / "eval" / "data" / f"{name}.jsonl")
    titles = guidance_titles(REPO_ROOT / "knowledge_base" / "guidance")
    result = evaluate(GroundingGuard(embedder, judge=support_judge), cases, titles)
    assert result.rejected_unsupported >= rejected
    assert result.kept_supported >= supported
    assert result.kept_paraphrased >= paraphrased
